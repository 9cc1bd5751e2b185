/** The workspace suppression list: one item per (channel, address), listed through GSI1. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Suppression } from '../domain/suppression.ts';
import type { SuppressionStore } from '../runtime/ports.ts';
import { batchGet, ifConditionFails, queryPage, toItem, withoutKeys } from './client.ts';
import { gsi1, keys } from './keys.ts';

export function createSuppressionRepo(doc: DynamoDBDocumentClient, table: string): SuppressionStore {
  const parse = (item: Record<string, unknown>) => Suppression.parse(withoutKeys(item));
  return {
    /** AP31 */
    async add(tenantId, s) {
      const key = { tenantId, channel: s.channel, address: s.address };
      return ifConditionFails(
        doc
          .send(
            new PutCommand({
              TableName: table,
              Item: toItem('suppression', tenantId, { ...keys.suppression(key), ...gsi1.suppressions(key) }, s),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .then(() => true),
        () => false,
      );
    },
    async remove(tenantId, channel, address) {
      return ifConditionFails(
        doc
          .send(
            new DeleteCommand({
              TableName: table,
              Key: keys.suppression({ tenantId, channel, address }),
              ConditionExpression: 'attribute_exists(pk)',
            }),
          )
          .then(() => true),
        () => false,
      );
    },
    async get(tenantId, channel, address) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.suppression({ tenantId, channel, address }) }));
      return out.Item ? parse(out.Item) : undefined;
    },
    /** AP32 */
    async list(tenantId, channel, limit, cursor) {
      const page = await queryPage(doc, table, { on: 'gsi1', partition: gsi1.suppressionsPartition({ tenantId, channel }), limit, cursor });
      return { items: page.items.map(parse), cursor: page.cursor };
    },
    async suppressed(tenantId, channel, addresses) {
      if (addresses.length === 0) return new Set();
      const items = await batchGet(
        doc,
        table,
        addresses.map((address) => keys.suppression({ tenantId, channel, address })),
      );
      return new Set(items.map((i) => String(i.address)));
    },
  };
}
