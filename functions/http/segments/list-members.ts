import { contract } from '../../../shared/api/contract.ts';
import { contactStore, listStore, segmentStore, settingsStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { listSegmentMembers } from '../../../shared/services/segments.ts';

export const handler = httpHandler(
  contract.listSegmentMembers,
  { segments: segmentStore, contacts: contactStore, settings: settingsStore, lists: listStore },
  ({ deps, caller, path, query }) => listSegmentMembers(deps, caller, path.segmentId, query.limit, query.cursor),
);
