import { listApi } from '../../../shared/api/contract/lists.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(listApi.getList, { lists: listStore }, ({ deps, caller, path }) => getList(deps, caller, path.listId));
