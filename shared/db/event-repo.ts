/** Ingested events, each in its contact's partition, idempotent by eventId. */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoredEvent } from '../domain/event.ts';
import type { EventStore } from '../runtime/ports.ts';
import { ifConditionFails, withoutKeys } from './client.ts';
import { keys } from './keys.ts';

export function createEventRepo(doc: DynamoDBDocumentClient, table: string): EventStore {
  return {
    /** AP11 stores an event unless one with its id is already there (then 'duplicate'). */
    async put(tenantId, contactId, event) {
      const write = doc.send(new PutCommand({
        TableName: table,
        Item: { ...keys.event({ tenantId, contactId, eventId: event.eventId }), entity: 'event', tenantId, contactId, ...event },
        ConditionExpression: 'attribute_not_exists(pk)',
      })).then(() => 'accepted' as const);
      return ifConditionFails(write, () => 'duplicate' as const);
    },

    /** AP12 every event of a contact, strongly consistent, so a fold sees all writes before it. */
    async forContact(tenantId, contactId) {
      const events: StoredEvent[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.contactPartition({ tenantId, contactId }), ':prefix': keys.eventPrefix },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }));
        for (const item of out.Items ?? []) {
          const { contactId: _c, ...rest } = withoutKeys(item);
          events.push(StoredEvent.parse(rest));
        }
        start = out.LastEvaluatedKey;
      } while (start);
      return events;
    },
  };
}
