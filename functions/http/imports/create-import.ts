import { importApi } from '../../../shared/api/contract/imports.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { importStore } from '../../../shared/runtime/providers/imports.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { createImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(
  importApi.createImport,
  { imports: importStore, contacts: contactStore },
  async ({ deps, caller, headers, body }) => {
    const { job, created } = await createImport(deps, caller, body, headers['idempotency-key']);
    return new WithStatus(created ? 201 : 200, job);
  },
);
