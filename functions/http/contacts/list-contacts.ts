import { contract } from '../../../shared/api/contract.ts';
import { contactStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { listContacts } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.listContacts, { contacts: contactStore }, ({ deps, caller, query }) =>
  listContacts(deps, caller, query),
);
