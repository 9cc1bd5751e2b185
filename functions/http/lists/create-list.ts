import { listApi } from '../../../shared/api/contract/lists.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { createList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(listApi.createList, { lists: listStore }, async ({ deps, caller, headers, body }) => {
  const { list, created } = await createList(deps, caller, body, headers['idempotency-key']);
  return new WithStatus(created ? 201 : 200, list);
});
