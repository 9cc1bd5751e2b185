import { contract } from '../../../shared/api/contract.ts';
import { contactStore, listStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { eraseContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.eraseContact, { contacts: contactStore, lists: listStore }, ({ deps, caller, path }) =>
  eraseContact(deps, caller, path.contactId),
);
