/** Webhook subscriptions (listed through GSI1) and, in each one's partition, its dead letters. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors.ts';
import { WebhookDeadLetter, WebhookSubscription } from '../domain/webhook.ts';
import type { WebhookStore } from '../runtime/ports.ts';
import { batchWrite, ifConditionFails, queryAll, queryPage, toItem, withoutKeys } from './client.ts';
import { gsi1, keys } from './keys.ts';

export function createWebhookRepo(doc: DynamoDBDocumentClient, table: string): WebhookStore {
  const parse = (item: Record<string, unknown>) => WebhookSubscription.parse(withoutKeys(item));
  const parseDead = (item: Record<string, unknown>) => WebhookDeadLetter.parse(withoutKeys(item));
  const item = (tenantId: string, s: WebhookSubscription) => {
    const k = { tenantId, webhookId: s.webhookId };
    return toItem('webhook', tenantId, { ...keys.webhook(k), ...gsi1.webhooks(k) }, s);
  };
  return {
    /** AP35 */
    async create(tenantId, subscription) {
      await ifConditionFails(
        doc.send(new PutCommand({ TableName: table, Item: item(tenantId, subscription), ConditionExpression: 'attribute_not_exists(pk)' })),
        () => {
          throw new Conflict(`webhook ${subscription.webhookId} already exists`);
        },
      );
    },
    async get(tenantId, webhookId) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.webhook({ tenantId, webhookId }) }));
      return out.Item ? parse(out.Item) : undefined;
    },
    /** AP36 */
    async list(tenantId, limit, cursor) {
      const page = await queryPage(doc, table, { on: 'gsi1', partition: gsi1.webhooksPartition({ tenantId }), limit, cursor });
      return { items: page.items.map(parse), cursor: page.cursor };
    },
    async replace(tenantId, subscription, readVersion) {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: item(tenantId, subscription),
            ConditionExpression: 'version = :read',
            ExpressionAttributeValues: { ':read': readVersion },
          }),
        ),
        () => {
          throw new Conflict(`webhook ${subscription.webhookId} was changed or deleted meanwhile; retry`);
        },
      );
    },
    /** The subscription first (so no new dead letter is written for it), then its whole partition. */
    async delete(tenantId, webhookId) {
      const deleted = await ifConditionFails(
        doc
          .send(
            new DeleteCommand({
              TableName: table,
              Key: keys.webhook({ tenantId, webhookId }),
              ConditionExpression: 'attribute_exists(pk)',
            }),
          )
          .then(() => true),
        () => false,
      );
      const rest = await queryAll(doc, table, { partition: keys.webhookPartition({ tenantId, webhookId }) });
      await batchWrite(
        doc,
        table,
        rest.map((i) => ({ delete: { pk: String(i.pk), sk: String(i.sk) } })),
      );
      return deleted;
    },
    /** AP37 */
    async putDeadLetter(tenantId, dead) {
      const key = keys.webhookDeadLetter({ tenantId, webhookId: dead.webhookId, eventId: dead.eventId });
      await doc.send(new PutCommand({ TableName: table, Item: toItem('webhookDeadLetter', tenantId, key, dead) }));
    },
    async getDeadLetter(tenantId, webhookId, eventId) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.webhookDeadLetter({ tenantId, webhookId, eventId }) }));
      return out.Item ? parseDead(out.Item) : undefined;
    },
    async deadLetters(tenantId, webhookId, limit, cursor) {
      const page = await queryPage(doc, table, {
        on: 'table',
        partition: keys.webhookPartition({ tenantId, webhookId }),
        sortPrefix: keys.webhookDeadLetterPrefix,
        limit,
        cursor,
      });
      return { items: page.items.map(parseDead), cursor: page.cursor };
    },
    async deleteDeadLetter(tenantId, webhookId, eventId, failedAt) {
      return ifConditionFails(
        doc
          .send(
            new DeleteCommand({
              TableName: table,
              Key: keys.webhookDeadLetter({ tenantId, webhookId, eventId }),
              ConditionExpression: failedAt === undefined ? 'attribute_exists(pk)' : 'failedAt = :at',
              ...(failedAt === undefined ? {} : { ExpressionAttributeValues: { ':at': failedAt } }),
            }),
          )
          .then(() => true),
        () => false,
      );
    },
  };
}
