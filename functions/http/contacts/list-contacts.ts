import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { listContacts } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.listContacts, ({ deps, caller, query }) => listContacts(deps, caller, query));
