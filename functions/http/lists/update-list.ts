import { listApi } from '../../../shared/api/contract/lists.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { updateList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(listApi.updateList, { lists: listStore }, ({ deps, caller, path, body }) =>
  updateList(deps, caller, path.listId, body),
);
