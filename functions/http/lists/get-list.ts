import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { getList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.getList, ({ deps, caller, path }) => getList(deps, caller, path.listId));
