import { contract } from '../../../shared/api/contract.ts';
import { contactStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { exportContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.exportContact, { contacts: contactStore }, ({ deps, caller, path }) =>
  exportContact(deps, caller, path.contactId),
);
