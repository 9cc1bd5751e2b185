import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { updateList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.updateList, ({ deps, caller, path, body }) => updateList(deps, caller, path.listId, body));
