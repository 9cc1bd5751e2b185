/** Static target lists and their members. */
import * as z from 'zod';
import { CreateList, MemberChange, MemberChangeResult, TargetList, UpdateList } from '../../domain/list.ts';
import { Cursor, Id, IdempotencyHeaders, Limit, type Operation, PageOf } from './common.ts';
import { ContactPage } from './contacts.ts';

export const ListPage = PageOf(TargetList);
const ListPath = z.object({ listId: Id });

export const listApi = {
  createList: {
    summary: 'Create a static target list (idempotent with an Idempotency-Key header)',
    headers: IdempotencyHeaders,
    body: CreateList,
    response: TargetList,
    status: 201,
  },
  listLists: { summary: 'List target lists', query: z.object({ limit: Limit, cursor: Cursor }), response: ListPage },
  getList: { summary: 'Get a target list', path: ListPath, response: TargetList },
  updateList: { summary: 'Rename a list or change its description', path: ListPath, body: UpdateList, response: TargetList },
  deleteList: { summary: 'Delete a list (memberships are removed in the background)', path: ListPath, status: 204 },
  addListMembers: { summary: 'Add up to 1000 contacts to a list', path: ListPath, body: MemberChange, response: MemberChangeResult },
  removeListMembers: {
    summary: 'Remove up to 1000 contacts from a list',
    path: ListPath,
    body: MemberChange,
    response: MemberChangeResult,
  },
  listListMembers: {
    summary: "A page of a list's members",
    path: ListPath,
    query: z.object({ limit: Limit, cursor: Cursor }),
    response: ContactPage,
  },
} as const satisfies Record<string, Operation>;
