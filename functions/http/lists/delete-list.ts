import { listApi } from '../../../shared/api/contract/lists.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { deleteList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(listApi.deleteList, { lists: listStore, queue: sqsQueue }, ({ deps, caller, path }) =>
  deleteList(deps, caller, path.listId),
);
