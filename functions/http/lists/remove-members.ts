import { listApi } from '../../../shared/api/contract/lists.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { removeMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(listApi.removeListMembers, { lists: listStore }, ({ deps, caller, path, body }) =>
  removeMembers(deps, caller, path.listId, body.contactIds),
);
