import { contactApi } from '../../../shared/api/contract/contacts.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getContactWithValue } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(contactApi.getContact, { contacts: contactStore, settings: settingsStore }, ({ deps, caller, path }) =>
  getContactWithValue(deps, caller, path.contactId),
);
