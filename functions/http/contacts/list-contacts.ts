import { contactApi } from '../../../shared/api/contract/contacts.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { listContacts } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contactApi.listContacts, { contacts: contactStore }, ({ deps, caller, query }) =>
  listContacts(deps, caller, query),
);
