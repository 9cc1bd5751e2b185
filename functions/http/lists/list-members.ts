import { listApi } from '../../../shared/api/contract/lists.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { listMembers } from '../../../shared/services/lists.ts';

export const handler = httpHandler(listApi.listListMembers, { lists: listStore, contacts: contactStore }, ({ deps, caller, path, query }) =>
  listMembers(deps, caller, path.listId, query.limit, query.cursor),
);
