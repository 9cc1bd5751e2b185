import { contract } from '../../../shared/api/contract.ts';
import { contactStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.getContact, { contacts: contactStore }, ({ deps, caller, path }) => getContact(deps, caller, path.contactId));
