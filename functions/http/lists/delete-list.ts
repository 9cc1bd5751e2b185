import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { deleteList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.deleteList, ({ deps, caller, path }) => deleteList(deps, caller, path.listId));
