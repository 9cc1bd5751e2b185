import { contract } from '../../../shared/api/contract.ts';
import { listStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';

/** Thin CRUD read: straight to the repository. */
export const handler = httpHandler(contract.listLists, { lists: listStore }, ({ deps, caller, query }) =>
  deps.lists.list(caller.tenantId, query.limit, query.cursor),
);
