import { contract } from '../../../shared/api/contract.ts';
import { contactStore, importStore } from '../../../shared/runtime/deps.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { createImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(
  contract.createImport,
  { imports: importStore, contacts: contactStore },
  async ({ deps, caller, headers, body }) => {
    const { job, created } = await createImport(deps, caller, body, headers['idempotency-key']);
    return new WithStatus(created ? 201 : 200, job);
  },
);
