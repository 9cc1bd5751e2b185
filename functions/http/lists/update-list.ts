import { contract } from '../../../shared/api/contract.ts';
import { listStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { updateList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.updateList, { lists: listStore }, ({ deps, caller, path, body }) =>
  updateList(deps, caller, path.listId, body),
);
