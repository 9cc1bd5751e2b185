/** Target-list use cases. Thin over the repository, except membership changes and deletion. */
import { NotFound } from '../domain/errors.ts';
import type { CreateList, MemberChangeResult, TargetList, UpdateList } from '../domain/list.ts';
import type { Caller, Deps } from '../runtime/ports.ts';
import { createOnce, newResourceId } from './idempotency.ts';

/**
 * Creates a list. With an idempotency key the id is derived from it, so a repeated request finds
 * the list the first one made and returns it (`created: false`) instead of making a second.
 */
export async function createList(
  deps: Pick<Deps, 'lists' | 'now' | 'newId'>,
  caller: Caller,
  input: CreateList,
  idempotencyKey?: string,
): Promise<{ list: TargetList; created: boolean }> {
  const now = deps.now().toISOString();
  const listId = newResourceId('ls', 'list', caller.tenantId, deps.newId, idempotencyKey);
  const list: TargetList = { listId, ...input, memberCount: 0, createdAt: now, updatedAt: now };
  const { value, created } = await createOnce(
    () => deps.lists.create(caller.tenantId, list).then(() => list),
    () => getList(deps, caller, listId),
    idempotencyKey,
  );
  return { list: value, created };
}

export async function getList(deps: Pick<Deps, 'lists'>, caller: Caller, listId: string): Promise<TargetList> {
  const list = await deps.lists.get(caller.tenantId, listId);
  if (!list) throw new NotFound(`list ${listId}`);
  return list;
}

export async function updateList(
  deps: Pick<Deps, 'lists' | 'now'>,
  caller: Caller,
  listId: string,
  change: UpdateList,
): Promise<TargetList> {
  return deps.lists.update(caller.tenantId, listId, change, deps.now().toISOString());
}

/**
 * Deletes a list at once and hands its memberships to the list-cleanup queue: a list of a
 * million members cannot be emptied inside one API request.
 */
export async function deleteList(deps: Pick<Deps, 'lists' | 'queue'>, caller: Caller, listId: string): Promise<void> {
  await deps.lists.delete(caller.tenantId, listId);
  await deps.queue.send('list-cleanup', { tenantId: caller.tenantId, listId });
}

/** Queue consumer: removes one page of a deleted list's memberships, re-queueing itself while more remain. */
export async function purgeDeletedList(deps: Pick<Deps, 'lists' | 'queue'>, message: { tenantId: string; listId: string }): Promise<void> {
  if (await deps.lists.get(message.tenantId, message.listId)) return; // re-created? never purge a live list
  const more = await deps.lists.purgeMembershipPage(message.tenantId, message.listId, 500);
  if (more) await deps.queue.send('list-cleanup', message);
}

/** Adds contacts to a list; ids naming no contact are reported and skipped. Repeating a call changes nothing. */
export async function addMembers(
  deps: Pick<Deps, 'lists' | 'contacts' | 'now'>,
  caller: Caller,
  listId: string,
  contactIds: string[],
): Promise<MemberChangeResult> {
  await getList(deps, caller, listId);
  const unique = [...new Set(contactIds)];
  const found = await deps.contacts.getMany(caller.tenantId, unique);
  const existing = unique.filter((id) => found.has(id));
  const changed = await deps.lists.addMembers(caller.tenantId, listId, existing, deps.now().toISOString());
  return { changed, unchanged: existing.length - changed, notFound: unique.filter((id) => !found.has(id)) };
}

export async function removeMembers(
  deps: Pick<Deps, 'lists'>,
  caller: Caller,
  listId: string,
  contactIds: string[],
): Promise<MemberChangeResult> {
  await getList(deps, caller, listId);
  const unique = [...new Set(contactIds)];
  const changed = await deps.lists.removeMembers(caller.tenantId, listId, unique);
  return { changed, unchanged: unique.length - changed, notFound: [] };
}

export async function listMembers(deps: Pick<Deps, 'lists' | 'contacts'>, caller: Caller, listId: string, limit: number, cursor?: string) {
  await getList(deps, caller, listId);
  const page = await deps.lists.members(caller.tenantId, listId, limit, cursor);
  const contacts = await deps.contacts.getMany(caller.tenantId, page.items);
  return { items: page.items.flatMap((id) => contacts.get(id) ?? []), cursor: page.cursor };
}
