import { contactApi } from '../../../shared/api/contract/contacts.ts';
import { sendStore } from '../../../shared/runtime/providers/campaigns.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { eraseContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(
  contactApi.eraseContact,
  { contacts: contactStore, lists: listStore, sends: sendStore },
  ({ deps, caller, path }) => eraseContact(deps, caller, path.contactId),
);
