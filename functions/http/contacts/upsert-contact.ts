import { contract } from '../../../shared/api/contract.ts';
import { contactStore } from '../../../shared/runtime/deps.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.upsertContact, { contacts: contactStore }, async ({ deps, caller, body }) => {
  const { contact, created } = await upsertContact(deps, caller, body);
  return new WithStatus(created ? 201 : 200, contact);
});
