import { contract } from '../../../shared/api/contract.ts';
import { contactStore, listStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { addMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.addListMembers, { lists: listStore, contacts: contactStore }, ({ deps, caller, path, body }) =>
  addMembers(deps, caller, path.listId, body.contactIds),
);
