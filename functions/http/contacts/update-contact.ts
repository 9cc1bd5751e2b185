import { contract } from '../../../shared/api/contract.ts';
import { contactStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { patchContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.updateContact, { contacts: contactStore }, ({ deps, caller, path, body }) =>
  patchContact(deps, caller, path.contactId, body),
);
