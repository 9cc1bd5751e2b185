import { suppressionApi } from '../../../shared/api/contract/suppressions.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { suppressionStore } from '../../../shared/runtime/providers/suppressions.ts';
import { addSuppression } from '../../../shared/services/suppressions.ts';

export const handler = httpHandler(
  suppressionApi.addSuppression,
  { suppressions: suppressionStore, contacts: contactStore },
  async ({ deps, caller, body }) => {
    const { suppression, added } = await addSuppression(deps, caller, body);
    return new WithStatus(added ? 201 : 200, suppression);
  },
);
