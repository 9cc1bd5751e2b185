import { contract } from '../../../shared/api/contract.ts';
import { contactStore, settingsStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getContactWithValue } from '../../../shared/services/value-model.ts';

export const handler = httpHandler(contract.getContact, { contacts: contactStore, settings: settingsStore }, ({ deps, caller, path }) =>
  getContactWithValue(deps, caller, path.contactId),
);
