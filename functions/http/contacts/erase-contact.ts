import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { eraseContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.eraseContact, ({ deps, caller, path }) => eraseContact(deps, caller, path.contactId));
