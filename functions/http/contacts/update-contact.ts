import { contactApi } from '../../../shared/api/contract/contacts.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { patchContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(
  contactApi.updateContact,
  { contacts: contactStore, settings: settingsStore },
  ({ deps, caller, path, body }) => patchContact(deps, caller, path.contactId, body),
);
