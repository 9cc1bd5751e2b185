import { listApi } from '../../../shared/api/contract/lists.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';

/** Thin CRUD read: straight to the repository. */
export const handler = httpHandler(listApi.listLists, { lists: listStore }, ({ deps, caller, query }) =>
  deps.lists.list(caller.tenantId, query.limit, query.cursor),
);
