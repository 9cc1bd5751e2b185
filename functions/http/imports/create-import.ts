import { contract } from '../../../shared/api/contract.ts';
import { WithStatus, httpHandler } from '../../../shared/http/handler.ts';
import { createImport } from '../../../shared/services/imports.ts';

export const handler = httpHandler(contract.createImport, async ({ deps, caller, headers, body }) => {
  const { job, created } = await createImport(deps, caller, body, headers['idempotency-key']);
  return new WithStatus(created ? 201 : 200, job);
});
