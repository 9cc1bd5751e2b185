import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { listSegmentMembers } from '../../../shared/services/segments.ts';

export const handler = httpHandler(
  segmentApi.listSegmentMembers,
  { segments: segmentStore, contacts: contactStore, settings: settingsStore, lists: listStore },
  ({ deps, caller, path, query }) => listSegmentMembers(deps, caller, path.segmentId, query.limit, query.cursor),
);
