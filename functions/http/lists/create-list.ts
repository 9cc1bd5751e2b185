import { contract } from '../../../shared/api/contract.ts';
import { listStore } from '../../../shared/runtime/deps.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { createList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.createList, { lists: listStore }, async ({ deps, caller, headers, body }) => {
  const { list, created } = await createList(deps, caller, body, headers['idempotency-key']);
  return new WithStatus(created ? 201 : 200, list);
});
