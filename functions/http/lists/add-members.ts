import { listApi } from '../../../shared/api/contract/lists.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { addMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(listApi.addListMembers, { lists: listStore, contacts: contactStore }, ({ deps, caller, path, body }) =>
  addMembers(deps, caller, path.listId, body.contactIds),
);
