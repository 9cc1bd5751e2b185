import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { countSegmentStep } from '../../../shared/services/segments.ts';

export const handler = queueHandler(
  'segment-count',
  { segments: segmentStore, contacts: contactStore, settings: settingsStore, queue: sqsQueue },
  (deps, message) => countSegmentStep(deps, message),
);
