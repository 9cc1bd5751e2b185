/**
 * Send records (one per campaign and contact, spread over SEND_SHARDS partitions) and each
 * contact's send log. Every status change is conditional on the status read, which is what keeps
 * a recipient from being sent twice by redelivered messages or concurrent senders; the claim in
 * the send log is taken before the email or SMS service is called.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keyOf as recordKey, SendRecord, shardOf, SEND_SHARDS, type SendStatus } from '../domain/campaign.ts';
import type { SendLog, SendStore } from '../runtime/ports.ts';
import { mapConcurrent } from '../lib/concurrency.ts';
import { batchGet, ifConditionFails, isConditionFailed, toItem, withoutKeys } from './client.ts';
import { decodeCursor, encodeCursor, keys } from './keys.ts';

/** Puts in flight at once when writing a page of records. */
const PUT_CONCURRENCY = 16;

const claimName = (key: string) => `s_${key}`;

export function createSendRepo(doc: DynamoDBDocumentClient, table: string): SendStore {
  const parse = (item: Record<string, unknown>) => SendRecord.parse(withoutKeys(item));
  /** `key`: the record's key in its campaign (the contact id, or contact-firing for a triggered message). */
  const keyOf = (tenantId: string, campaignId: string, key: string) =>
    keys.send({ tenantId, campaignId, shard: shardOf(key), contactId: key });
  return {
    /** AP23 conditional puts; an existing record is read back so the caller can requeue a pending one. */
    async createMany(tenantId, records) {
      const existing = new Map<string, SendRecord>();
      const clashes: SendRecord[] = [];
      await mapConcurrent(records, PUT_CONCURRENCY, async (record) => {
        await ifConditionFails(
          doc.send(
            new PutCommand({
              TableName: table,
              Item: toItem('send', tenantId, keyOf(tenantId, record.campaignId, recordKey(record)), record),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
          () => {
            clashes.push(record);
          },
        );
      });
      if (clashes.length > 0) {
        const stored = await this.getMany(
          tenantId,
          clashes[0]?.campaignId as string,
          clashes.map((r) => recordKey(r)),
        );
        for (const [id, r] of stored) existing.set(id, r);
      }
      return existing;
    },
    async getMany(tenantId, campaignId, contactIds) {
      const items = await batchGet(
        doc,
        table,
        contactIds.map((id) => keyOf(tenantId, campaignId, id)),
      );
      return new Map(items.map((i) => parse(i)).map((r) => [recordKey(r), r]));
    },
    async transition(tenantId, campaignId, contactId, from, change) {
      const names: Record<string, string> = { '#status': 'status' };
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      Object.entries(change).forEach(([field, value], i) => {
        if (value === undefined) return;
        names[`#f${i}`] = field;
        values[`:f${i}`] = value;
        sets.push(`#f${i} = :f${i}`);
      });
      from.forEach((s, i) => {
        values[`:from${i}`] = s;
      });
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keyOf(tenantId, campaignId, contactId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
    /** AP24 one shard, optionally filtered by status (a filter: the page may hold fewer than `limit`). */
    async page(tenantId, campaignId, shard, options) {
      if (shard < 0 || shard >= SEND_SHARDS) throw new RangeError(`shard ${shard}`);
      const partition = keys.sendShard({ tenantId, campaignId, shard });
      const statuses: SendStatus[] = options.statuses ?? [];
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ...(statuses.length > 0
            ? {
                FilterExpression: `#status IN (${statuses.map((_, i) => `:s${i}`).join(', ')})`,
                ExpressionAttributeNames: { '#status': 'status' },
              }
            : {}),
          ExpressionAttributeValues: { ':pk': partition, ...Object.fromEntries(statuses.map((s, i) => [`:s${i}`, s])) },
          Limit: options.limit,
          ExclusiveStartKey: decodeCursor(options.cursor, { field: 'pk', value: partition }),
        }),
      );
      return { items: (out.Items ?? []).map(parse), cursor: encodeCursor(out.LastEvaluatedKey) };
    },
    async markFeedback(tenantId, campaignId, contactId, field, at, extra) {
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keyOf(tenantId, campaignId, contactId),
            UpdateExpression: `SET #f = :at${extra?.bounceType ? ', bounceType = :bt' : ''}`,
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#f)',
            ExpressionAttributeNames: { '#f': field },
            ExpressionAttributeValues: { ':at': at, ...(extra?.bounceType ? { ':bt': extra.bounceType } : {}) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes ? parse(out.Attributes) : undefined;
      } catch (error) {
        if (isConditionFailed(error)) return undefined;
        throw error;
      }
    },
    /** AP30 one write per open or click: the first sets the time, every one adds to the total. */
    async recordEngagement(tenantId, campaignId, contactId, kind, at) {
      const [first, total] = kind === 'open' ? (['openedAt', 'opens'] as const) : (['clickedAt', 'clicks'] as const);
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keyOf(tenantId, campaignId, contactId),
            UpdateExpression: 'SET #first = if_not_exists(#first, :at) ADD #total :one',
            ConditionExpression: 'attribute_exists(pk) AND #status IN (:sent, :unknown)',
            ExpressionAttributeNames: { '#first': first, '#total': total, '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':one': 1, ':sent': 'sent', ':unknown': 'unknown' },
            ReturnValues: 'ALL_OLD',
          }),
        );
        if (!out.Attributes) return undefined;
        const before = parse(out.Attributes);
        return { before, first: before[first] === undefined };
      } catch (error) {
        if (isConditionFailed(error)) return undefined;
        throw error;
      }
    },
    /** AP34 */
    async saveShortLink(code, owner) {
      await doc.send(new PutCommand({ TableName: table, Item: toItem('shortLink', owner.tenantId, keys.shortLink({ code }), owner) }));
    },
    async shortLink(code) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.shortLink({ code }) }));
      const i = out.Item;
      return i ? { tenantId: String(i.tenantId), campaignId: String(i.campaignId), contactId: String(i.contactId) } : undefined;
    },
    async forgetPersonalData(tenantId, campaignId, contactId) {
      await ifConditionFails(
        doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keyOf(tenantId, campaignId, contactId),
            UpdateExpression: 'REMOVE links, #data',
            ExpressionAttributeNames: { '#data': 'data' },
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
        () => undefined,
      );
    },
    /** AP25 */
    async sendLogs(tenantId, contactIds) {
      const items = await batchGet(
        doc,
        table,
        contactIds.map((contactId) => keys.sendLog({ tenantId, contactId })),
      );
      const logs = new Map<string, SendLog>();
      for (const item of items) {
        const claims: Record<string, number> = {};
        for (const [name, value] of Object.entries(item)) {
          if (name.startsWith('s_') && typeof value === 'number') claims[name.slice(2)] = value;
        }
        logs.set(String(item.contactId), { claims, version: typeof item.v === 'number' ? item.v : 0 });
      }
      return logs;
    },
    async claim(tenantId, contactId, key, at, expired, readVersion) {
      const names: Record<string, string> = { '#claim': claimName(key) };
      expired.forEach((k, i) => {
        names[`#x${i}`] = claimName(k);
      });
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.sendLog({ tenantId, contactId }),
            UpdateExpression: `SET #claim = :at, v = :next, entity = :entity, tenantId = :tenant, contactId = :contact${
              expired.length > 0 ? ` REMOVE ${expired.map((_, i) => `#x${i}`).join(', ')}` : ''
            }`,
            ConditionExpression: `attribute_not_exists(#claim) AND ${readVersion === 0 ? 'attribute_not_exists(v)' : 'v = :read'}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':at': at,
              ':next': readVersion + 1,
              ':entity': 'sendLog',
              ':tenant': tenantId,
              ':contact': contactId,
              ...(readVersion === 0 ? {} : { ':read': readVersion }),
            },
          }),
        );
        return 'claimed';
      } catch (error) {
        if (isConditionFailed(error)) return 'busy';
        throw error;
      }
    },
    async release(tenantId, contactId, key, at) {
      await ifConditionFails(
        doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.sendLog({ tenantId, contactId }),
            UpdateExpression: 'REMOVE #claim',
            ConditionExpression: '#claim = :at',
            ExpressionAttributeNames: { '#claim': claimName(key) },
            ExpressionAttributeValues: { ':at': at },
          }),
        ),
        () => undefined, // already released, or claimed again by another attempt: leave it
      );
    },
  };
}
