import { contactStore, segmentStore, settingsStore, sqsQueue } from '../../../shared/runtime/deps.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { countSegmentStep } from '../../../shared/services/segments.ts';

export const handler = queueHandler(
  'segment-count',
  { segments: segmentStore, contacts: contactStore, settings: settingsStore, queue: sqsQueue },
  (deps, message) => countSegmentStep(deps, message),
);
