import { contract } from '../../../shared/api/contract.ts';
import { listStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { removeMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.removeListMembers, { lists: listStore }, ({ deps, caller, path, body }) =>
  removeMembers(deps, caller, path.listId, body.contactIds),
);
