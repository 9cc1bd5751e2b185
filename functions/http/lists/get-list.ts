import { contract } from '../../../shared/api/contract.ts';
import { listStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.getList, { lists: listStore }, ({ deps, caller, path }) => getList(deps, caller, path.listId));
