import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { previewSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(
  segmentApi.previewSegment,
  { segments: segmentStore, contacts: contactStore, settings: settingsStore, lists: listStore },
  ({ deps, caller, body }) => previewSegment(deps, caller, body.rule, { sampleSize: body.sampleSize }),
);
