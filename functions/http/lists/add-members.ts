import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { addMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.addListMembers, ({ deps, caller, path, body }) =>
  addMembers(deps, caller, path.listId, body.contactIds),
);
