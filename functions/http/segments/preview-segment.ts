import { contract } from '../../../shared/api/contract.ts';
import { contactStore, listStore, segmentStore, settingsStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { previewSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(
  contract.previewSegment,
  { segments: segmentStore, contacts: contactStore, settings: settingsStore, lists: listStore },
  ({ deps, caller, body }) => previewSegment(deps, caller, body.rule, { sampleSize: body.sampleSize }),
);
