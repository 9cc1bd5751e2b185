import { contactApi } from '../../../shared/api/contract/contacts.ts';
import { sendStore } from '../../../shared/runtime/providers/campaigns.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { exportContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contactApi.exportContact, { contacts: contactStore, sends: sendStore }, ({ deps, caller, path }) =>
  exportContact(deps, caller, path.contactId),
);
