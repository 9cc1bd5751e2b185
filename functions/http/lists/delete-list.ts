import { contract } from '../../../shared/api/contract.ts';
import { listStore, sqsQueue } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { deleteList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.deleteList, { lists: listStore, queue: sqsQueue }, ({ deps, caller, path }) =>
  deleteList(deps, caller, path.listId),
);
