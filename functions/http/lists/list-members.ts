import { contract } from '../../../shared/api/contract.ts';
import { contactStore, listStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { listMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(
  contract.listListMembers,
  { lists: listStore, contacts: contactStore },
  ({ deps, caller, path, query }) => listMembers(deps, caller, path.listId, query.limit, query.cursor),
);
