import { contract } from '../../../shared/api/contract.ts';
import { httpHandler } from '../../../shared/http/handler.ts';
import { listMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(contract.listListMembers, ({ deps, caller, path, query }) =>
  listMembers(deps, caller, path.listId, query.limit, query.cursor),
);
