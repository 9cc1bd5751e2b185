/**
 * One DynamoDB document client per process, created on first use. The endpoint comes from the
 * SDK's own AWS_ENDPOINT_URL_DYNAMODB when set (the local runtime and tests point it at dynalite),
 * so no code path differs between AWS and a laptop.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, type Entity, type Gsi1Key, type Key } from './keys.ts';
import { TABLE_KEYS } from './table.ts';
import type { Page } from '../runtime/ports.ts';

let shared: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  shared ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 8 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return shared;
}

export type Item = Record<string, NativeAttributeValue>;
export type WriteRequest = { put: Item } | { delete: { pk: string; sk: string } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes in chunks of 25 (the BatchWriteItem limit) and retries unprocessed items with backoff,
 * so a throttled batch is finished rather than silently dropped.
 */
export async function batchWrite(doc: DynamoDBDocumentClient, table: string, writes: WriteRequest[]): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < writes.length; i += 25) chunks.push(writes.slice(i, i + 25));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending = chunk.map((w) => ('put' in w ? { PutRequest: { Item: w.put } } : { DeleteRequest: { Key: w.delete } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 10) throw new Error(`batchWrite: ${pending.length} items still unprocessed after retries`);
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }),
  );
}

/** Reads up to any number of keys in chunks of 100, retrying unprocessed keys. Order is not kept. */
export async function batchGet(doc: DynamoDBDocumentClient, table: string, keys: { pk: string; sk: string }[]): Promise<Item[]> {
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const chunks: (typeof unique)[] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  const results = await Promise.all(
    chunks.map(async (chunk) => {
      const items: Item[] = [];
      let pending: Record<string, NativeAttributeValue>[] = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 10) throw new Error(`batchGet: ${pending.length} keys still unprocessed after retries`);
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
        items.push(...(out.Responses?.[table] ?? []));
        pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
      }
      return items;
    }),
  );
  return results.flat();
}

/** True for the SDK error DynamoDB raises when a condition expression fails. */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Awaits a conditional write; when its condition fails, returns what `otherwise` gives (or
 * throws what it throws, typically a domain error). Other errors pass through.
 */
export async function ifConditionFails<T, F>(write: Promise<T>, otherwise: () => F): Promise<T | F> {
  try {
    return await write;
  } catch (error) {
    if (isConditionFailed(error)) return otherwise();
    throw error;
  }
}

/**
 * A stored item: its keys (and GSI1 keys, if any), the `entity` it is and its tenant, then its
 * data. `withoutKeys` is the inverse.
 */
export function toItem(entity: Entity, tenantId: string, key: Key & Partial<Gsi1Key>, data: object = {}): Item {
  return { ...key, entity, tenantId, ...data };
}

/** Drops the storage-only attributes (keys, entity, tenant) before an item is parsed as a domain object. */
export function withoutKeys(item: Item): Item {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, entity: _e, tenantId: _t, ...rest } = item;
  return rest;
}

export type { Page } from '../runtime/ports.ts';

/**
 * Every item of a partition (optionally with a sort-key prefix), page after page; strongly
 * consistent when asked. For partitions known to be small (one contact's items, one job's parts).
 */
export async function queryAll(
  doc: DynamoDBDocumentClient,
  table: string,
  query: { partition: string; sortPrefix?: string; consistent?: boolean },
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: query.sortPrefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': query.partition, ...(query.sortPrefix === undefined ? {} : { ':prefix': query.sortPrefix }) },
        ConsistentRead: query.consistent,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * One page of a partition, on the table (`pk`) or on GSI1 (`gsi1pk`), optionally limited to sort
 * keys with a prefix. The cursor is checked against the same partition and prefix.
 */
export async function queryPage(
  doc: DynamoDBDocumentClient,
  table: string,
  query: { on: 'table' | 'gsi1'; partition: string; sortPrefix?: string; limit: number; cursor?: string },
): Promise<Page<Item>> {
  const [pkField, skField] = query.on === 'table' ? (['pk', 'sk'] as const) : (['gsi1pk', 'gsi1sk'] as const);
  const out = await doc.send(
    new QueryCommand({
      TableName: table,
      IndexName: query.on === 'gsi1' ? TABLE_KEYS.gsi1.name : undefined,
      KeyConditionExpression: query.sortPrefix === undefined ? `${pkField} = :pk` : `${pkField} = :pk AND begins_with(${skField}, :prefix)`,
      ExpressionAttributeValues: { ':pk': query.partition, ...(query.sortPrefix === undefined ? {} : { ':prefix': query.sortPrefix }) },
      Limit: query.limit,
      ExclusiveStartKey: decodeCursor(query.cursor, {
        field: pkField,
        value: query.partition,
        ...(query.sortPrefix === undefined ? {} : { sortPrefix: { field: skField, prefix: query.sortPrefix } }),
      }),
    }),
  );
  return { items: out.Items ?? [], cursor: encodeCursor(out.LastEvaluatedKey) };
}
