/**
 * Triggers in DynamoDB: the workspace's active triggers (AP40), firings and the cooldown in the
 * contact's partition (AP41, AP42), and the due-time index swept every minute (AP43).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Campaign } from '../domain/campaign.ts';
import { DueWork, dueShardOf, Firing } from '../domain/trigger.ts';
import type { TriggerStore } from '../runtime/ports.ts';
import { ifConditionFails, queryAll, toItem, withoutKeys } from './client.ts';
import { keys } from './keys.ts';

export function createTriggerRepo(doc: DynamoDBDocumentClient, table: string): TriggerStore {
  const put = (tenantId: string, campaignId: string, version: number, data: object) =>
    ifConditionFails(
      doc.send(
        new PutCommand({
          TableName: table,
          Item: toItem('activeTrigger', tenantId, keys.activeTrigger({ tenantId, campaignId }), { ...data, v: version }),
          ConditionExpression: 'attribute_not_exists(pk) OR v <= :v',
          ExpressionAttributeValues: { ':v': version },
        }),
      ),
      () => undefined,
    );
  return {
    /** AP40 */
    async active(tenantId) {
      const items = await queryAll(doc, table, { partition: keys.activeTriggersPartition({ tenantId }) });
      return items.flatMap((i) => {
        const parsed = Campaign.safeParse(i.campaign);
        return parsed.success && i.active === true ? [parsed.data] : [];
      });
    },
    /** Versioned: a writer that read an older campaign (the sweep, racing a pause) changes nothing. */
    async setActive(tenantId, campaign) {
      await put(tenantId, campaign.campaignId, campaign.version, { active: true, campaign });
    },
    /** A tombstone with the version, rather than a delete, so an older `setActive` cannot bring it back. */
    async setInactive(tenantId, campaignId, version) {
      await put(tenantId, campaignId, version, { active: false });
    },
    /** AP41 */
    async getFiring(tenantId, contactId, campaignId, firingId) {
      const out = await doc.send(
        new GetCommand({ TableName: table, Key: keys.firing({ tenantId, contactId, campaignId, firingId }), ConsistentRead: true }),
      );
      return out.Item ? Firing.parse(withoutKeys(out.Item)) : undefined;
    },
    async createFiring(tenantId, firing) {
      return ifConditionFails(
        doc
          .send(
            new PutCommand({
              TableName: table,
              Item: toItem('firing', tenantId, keys.firing({ tenantId, ...firing }), firing),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .then(() => true),
        () => false,
      );
    },
    async endFiring(tenantId, firing, change) {
      const names: Record<string, string> = { '#status': 'status' };
      const values: Record<string, unknown> = { ':waiting': 'waiting', ':status': change.status, ':at': change.updatedAt };
      const sets = ['#status = :status', 'updatedAt = :at'];
      if (change.reason) {
        sets.push('reason = :reason');
        values[':reason'] = change.reason;
      }
      if (change.sendId) {
        sets.push('sendId = :send');
        values[':send'] = change.sendId;
      }
      return ifConditionFails(
        doc
          .send(
            new UpdateCommand({
              TableName: table,
              Key: keys.firing({ tenantId, ...firing }),
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: '#status = :waiting',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          )
          .then(() => true),
        () => false,
      );
    },
    /** AP42 */
    async takeCooldown(tenantId, contactId, campaignId, firingId, at, notBefore) {
      return ifConditionFails(
        doc
          .send(
            new UpdateCommand({
              TableName: table,
              Key: keys.triggerState({ tenantId, contactId, campaignId }),
              UpdateExpression: 'SET lastAt = :at, firingId = :firing, entity = :entity, tenantId = :tenant',
              ConditionExpression: 'attribute_not_exists(lastAt) OR lastAt < :notBefore OR firingId = :firing',
              ExpressionAttributeValues: {
                ':at': at,
                ':firing': firingId,
                ':notBefore': notBefore,
                ':entity': 'triggerState',
                ':tenant': tenantId,
              },
            }),
          )
          .then(() => true),
        () => false,
      );
    },
    async segmentState(tenantId, contactId, campaignId) {
      const out = await doc.send(
        new GetCommand({ TableName: table, Key: keys.triggerState({ tenantId, contactId, campaignId }), ConsistentRead: true }),
      );
      const i = out.Item;
      if (typeof i?.inSegment !== 'boolean' || typeof i.segmentId !== 'string') return undefined;
      return { inSegment: i.inSegment, segmentId: i.segmentId, ...(typeof i.entryKey === 'string' ? { entryKey: i.entryKey } : {}) };
    },
    /** From out (or unknown, or another segment) to in, or the same entry again. */
    async enterSegment(tenantId, contactId, campaignId, segmentId, entryKey) {
      return ifConditionFails(
        doc
          .send(
            new UpdateCommand({
              TableName: table,
              Key: keys.triggerState({ tenantId, contactId, campaignId }),
              UpdateExpression: 'SET inSegment = :in, segmentId = :segment, entryKey = :key, entity = :entity, tenantId = :tenant',
              ConditionExpression: 'attribute_not_exists(inSegment) OR inSegment = :out OR segmentId <> :segment OR entryKey = :key',
              ExpressionAttributeValues: {
                ':in': true,
                ':out': false,
                ':segment': segmentId,
                ':key': entryKey,
                ':entity': 'triggerState',
                ':tenant': tenantId,
              },
            }),
          )
          .then(() => true),
        () => false,
      );
    },
    async leaveSegment(tenantId, contactId, campaignId, segmentId, seenEntryKey) {
      await ifConditionFails(
        doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.triggerState({ tenantId, contactId, campaignId }),
            UpdateExpression: 'SET inSegment = :out, segmentId = :segment, entity = :entity, tenantId = :tenant REMOVE entryKey',
            ConditionExpression: `attribute_not_exists(inSegment) OR inSegment = :out OR segmentId <> :segment${seenEntryKey ? ' OR entryKey = :seen' : ''}`,
            ExpressionAttributeValues: {
              ':out': false,
              ':segment': segmentId,
              ':entity': 'triggerState',
              ':tenant': tenantId,
              ...(seenEntryKey ? { ':seen': seenEntryKey } : {}),
            },
          }),
        ),
        () => undefined,
      );
    },
    /** AP43 */
    async addDue(dueAt, id, work) {
      const key = keys.due({ tenantId: work.tenantId, dueAt, id, shard: dueShardOf(id) });
      await doc.send(new PutCommand({ TableName: table, Item: toItem('due', work.tenantId, key, { dueAt, id, work }) }));
    },
    async dueIn(shard, before, limit) {
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk <= :before',
          ExpressionAttributeValues: { ':pk': keys.duePartition(shard), ':before': `${before}#~` },
          Limit: limit,
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((i) => ({ dueAt: String(i.dueAt), id: String(i.id), work: DueWork.parse(i.work) }));
    },
    async removeDue(tenantId, dueAt, id) {
      await doc.send(new DeleteCommand({ TableName: table, Key: keys.due({ tenantId, dueAt, id, shard: dueShardOf(id) }) }));
    },
  };
}
