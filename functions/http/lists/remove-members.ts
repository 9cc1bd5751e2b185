import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { removeMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.removeListMembers, ({ deps, caller, path, body }) =>
  removeMembers(deps, caller, path.listId, body.contactIds),
);
