import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { createList } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.createList, ({ deps, caller, body }) => createList(deps, caller, body));
