import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';

/** Thin CRUD read: straight to the repository. */
export const handler = httpHandler(contract.listLists, ({ deps, caller, query }) =>
  deps.lists.list(caller.tenantId, query.limit, query.cursor),
);
