import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { exportContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.exportContact, ({ deps, caller, path }) => exportContact(deps, caller, path.contactId));
