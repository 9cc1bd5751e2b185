/** Ingested events, each in its contact's partition, idempotent by eventId. */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoredEvent } from '../domain/event.ts';
import type { EventStore } from '../runtime/ports.ts';
import { ifConditionFails, queryAll, toItem, withoutKeys } from './client.ts';
import { keys } from './keys.ts';

export function createEventRepo(doc: DynamoDBDocumentClient, table: string): EventStore {
  return {
    /** AP11 stores an event unless one with its id is already there (then 'duplicate'). */
    async put(tenantId, contactId, event) {
      const write = doc
        .send(
          new PutCommand({
            TableName: table,
            Item: toItem('event', tenantId, keys.event({ tenantId, contactId, eventId: event.eventId }), { contactId, ...event }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        .then(() => 'accepted' as const);
      return ifConditionFails(write, () => 'duplicate' as const);
    },

    /** AP12 every event of a contact, strongly consistent, so a fold sees all writes before it. */
    async forContact(tenantId, contactId) {
      const items = await queryAll(doc, table, {
        partition: keys.contactPartition({ tenantId, contactId }),
        sortPrefix: keys.eventPrefix,
        consistent: true,
      });
      return items.map((item) => {
        const { contactId: _c, ...rest } = withoutKeys(item);
        return StoredEvent.parse(rest);
      });
    },
  };
}
