import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { getContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.getContact, ({ deps, caller, path }) => getContact(deps, caller, path.contactId));
