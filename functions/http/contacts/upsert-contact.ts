import { contactApi } from '../../../shared/api/contract/contacts.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(
  contactApi.upsertContact,
  { contacts: contactStore, settings: settingsStore },
  async ({ deps, caller, body }) => {
    const { contact, created } = await upsertContact(deps, caller, body);
    return new WithStatus(created ? 201 : 200, contact);
  },
);
