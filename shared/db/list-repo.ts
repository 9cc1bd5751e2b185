/** Target lists and their memberships in DynamoDB. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound } from '../domain/errors.ts';
import { TargetList } from '../domain/list.ts';
import { mapConcurrent } from '../lib/concurrency.ts';
import { batchWrite, ifConditionFails, queryPage, toItem, withoutKeys, type Item, type Page } from './client.ts';
import { ItemKey, MembershipItem } from './items.ts';
import { gsi1, keys } from './keys.ts';
import { TABLE_KEYS } from './table.ts';
import type { ListStore } from '../runtime/ports.ts';

export function createListRepo(doc: DynamoDBDocumentClient, table: string): ListStore {
  const parseList = (item: Item) => TargetList.parse(withoutKeys(item));

  const adjustCount = async (tenantId: string, listId: string, delta: number) => {
    if (delta === 0) return;
    // A failed condition means the list was deleted meanwhile: nothing left to count.
    await ifConditionFails(
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.list({ tenantId, listId }),
          UpdateExpression: 'ADD memberCount :d',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':d': delta },
        }),
      ),
      () => undefined,
    );
  };

  /**
   * The contact item carries the ids of its lists, so segment rules (`inList`) read one item per
   * contact. Set ADD/DELETE are idempotent, and done on every call, so a retry after a crash
   * between the membership write and this one converges.
   */
  const markContact = async (tenantId: string, contactId: string, listId: string, action: 'ADD' | 'DELETE') => {
    await ifConditionFails(
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.contact({ tenantId, contactId }),
          UpdateExpression: `${action} lists :ids`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':ids': new Set([listId]) },
        }),
      ),
      () => undefined,
    ); // erased meanwhile: nothing to mark
  };

  /**
   * Marks the contact, then re-reads the membership (strongly consistent) and marks again if a
   * concurrent add or remove changed it in between, so the set ends as the membership does.
   */
  const syncContact = async (tenantId: string, contactId: string, listId: string, action: 'ADD' | 'DELETE') => {
    await markContact(tenantId, contactId, listId, action);
    const out = await doc.send(
      new GetCommand({ TableName: table, Key: keys.membership({ tenantId, contactId, listId }), ConsistentRead: true }),
    );
    const member = out.Item !== undefined;
    if (member !== (action === 'ADD')) await markContact(tenantId, contactId, listId, member ? 'ADD' : 'DELETE');
  };

  return {
    async create(tenantId: string, list: TargetList): Promise<void> {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: toItem(
              'list',
              tenantId,
              { ...keys.list({ tenantId, listId: list.listId }), ...gsi1.lists({ tenantId, listId: list.listId }) },
              list,
            ),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
        () => {
          throw new Conflict(`list ${list.listId} already exists`);
        },
      );
    },

    /** AP4 */
    async get(tenantId: string, listId: string): Promise<TargetList | undefined> {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.list({ tenantId, listId }) }));
      return out.Item ? parseList(out.Item) : undefined;
    },

    /** AP8 */
    async list(tenantId: string, limit: number, cursor?: string): Promise<Page<TargetList>> {
      const page = await queryPage(doc, table, { on: 'gsi1', partition: gsi1.listsPartition({ tenantId }), limit, cursor });
      return { items: page.items.map(parseList), cursor: page.cursor };
    },

    async update(tenantId: string, listId: string, change: { name?: string; description?: string }, now: string): Promise<TargetList> {
      const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':now': now };
      const sets = ['#updatedAt = :now'];
      for (const field of ['name', 'description'] as const) {
        if (change[field] === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = change[field];
        sets.push(`#${field} = :${field}`);
      }
      const out = await ifConditionFails(
        doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.list({ tenantId, listId }),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
        () => {
          throw new NotFound(`list ${listId}`);
        },
      );
      return parseList(out.Attributes ?? {});
    },

    /** Deletes the list item; memberships are removed afterwards by the list-cleanup worker. */
    async delete(tenantId: string, listId: string): Promise<void> {
      await ifConditionFails(
        doc.send(
          new DeleteCommand({ TableName: table, Key: keys.list({ tenantId, listId }), ConditionExpression: 'attribute_exists(pk)' }),
        ),
        () => {
          throw new NotFound(`list ${listId}`);
        },
      );
    },

    /** Adds members; each membership is a conditional put, so a repeated call changes nothing. */
    async addMembers(tenantId: string, listId: string, contactIds: string[], now: string): Promise<number> {
      const added = await mapConcurrent(contactIds, 16, async (contactId) => {
        const put = doc
          .send(
            new PutCommand({
              TableName: table,
              Item: toItem(
                'membership',
                tenantId,
                { ...keys.membership({ tenantId, contactId, listId }), ...gsi1.members({ tenantId, listId, contactId }) },
                { listId, contactId, addedAt: now },
              ),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .then(() => 1);
        const added = await ifConditionFails(put, () => 0);
        await syncContact(tenantId, contactId, listId, 'ADD');
        return added;
      });
      const count = added.reduce<number>((a, b) => a + b, 0);
      await adjustCount(tenantId, listId, count);
      return count;
    },

    /** Removes members; only memberships that existed are counted. */
    async removeMembers(tenantId: string, listId: string, contactIds: string[]): Promise<number> {
      const removed = await mapConcurrent(contactIds, 16, async (contactId) => {
        const out = await doc.send(
          new DeleteCommand({
            TableName: table,
            Key: keys.membership({ tenantId, contactId, listId }),
            ReturnValues: 'ALL_OLD',
          }),
        );
        await syncContact(tenantId, contactId, listId, 'DELETE');
        return out.Attributes ? 1 : 0;
      });
      const count = removed.reduce<number>((a, b) => a + b, 0);
      await adjustCount(tenantId, listId, -count);
      return count;
    },

    /** AP6 a page of a list's member ids. */
    async members(tenantId: string, listId: string, limit: number, cursor?: string): Promise<Page<string>> {
      const page = await queryPage(doc, table, { on: 'gsi1', partition: gsi1.membersPartition({ tenantId, listId }), limit, cursor });
      return { items: page.items.map((i) => MembershipItem.parse(i).contactId), cursor: page.cursor };
    },

    /** Deletes one page of a deleted list's memberships; true while more remain. */
    async purgeMembershipPage(tenantId: string, listId: string, pageSize: number): Promise<boolean> {
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': gsi1.membersPartition({ tenantId, listId }) },
          Limit: pageSize,
        }),
      );
      const items = out.Items ?? [];
      await mapConcurrent(items, 16, (i) => markContact(tenantId, MembershipItem.parse(i).contactId, listId, 'DELETE'));
      await batchWrite(
        doc,
        table,
        items.map((i) => ({ delete: ItemKey.parse(i) })),
      );
      return out.LastEvaluatedKey !== undefined;
    },

    /** Lowers the counts of the lists a just-erased contact belonged to. */
    async forgetMember(tenantId: string, listIds: string[]): Promise<void> {
      await mapConcurrent(listIds, 8, (listId) => adjustCount(tenantId, listId, -1));
    },
  };
}
