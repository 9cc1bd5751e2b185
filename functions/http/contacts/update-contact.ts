import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { patchContact } from '../../../shared/services/contacts.ts';

export const handler = httpHandler(contract.updateContact, ({ deps, caller, path, body }) =>
  patchContact(deps, caller, path.contactId, body),
);
