import { suppressionApi } from '../../../shared/api/contract/suppressions.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { suppressionStore } from '../../../shared/runtime/providers/suppressions.ts';
import { removeSuppression } from '../../../shared/services/suppressions.ts';

export const handler = httpHandler(
  suppressionApi.removeSuppression,
  { suppressions: suppressionStore, contacts: contactStore },
  ({ deps, caller, path }) => removeSuppression(deps, caller, path.channel, path.address),
);
