/**
 * The DynamoDB pacer against dynalite through the real SDK, on a simulated clock (a variable the
 * tests move), so the window logic is checked without sleeping.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDynamo, type LocalDynamo } from '../../local/dynamo.ts';
import { createDynamoPacer, type PacerPort } from '../../shared/db/pacer-repo.ts';
import { keys } from '../../shared/db/keys.ts';
import { takeAll } from '../../shared/domain/pacing.ts';

const TABLE = 'herald-pacer-test';
// 2026-01-01T12:00:00.250Z: second 1_767_268_800 is slot 00 of its ring.
const START = 1_767_268_800_250;

let dynamo: LocalDynamo;
let doc: DynamoDBDocumentClient;
let calls = 0;
let clock = START;
let pacer: PacerPort;
let bucketNo = 0;
/** A bucket of its own for each test. */
const freshBucket = () => `test-${process.pid}-${++bucketNo}`;

beforeAll(async () => {
  dynamo = await startDynamo({ tableName: TABLE });
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  doc.middlewareStack.add(
    (next) => async (args) => {
      calls++;
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  pacer = createDynamoPacer(doc, TABLE, () => clock);
});

afterAll(async () => {
  doc?.destroy();
  await dynamo?.close();
});

beforeEach(() => {
  clock = START;
});

const slotItem = async (bucket: string, epochSecond: number) =>
  (await doc.send(new GetCommand({ TableName: TABLE, Key: keys.pacerSlot({ bucket, slot: epochSecond % 60 }), ConsistentRead: true })))
    .Item;
const second = () => Math.floor(clock / 1000);
const sum = (results: { granted: number }[]) => results.reduce((total, r) => total + r.granted, 0);

describe('DynamoDB pacer', () => {
  it('keys a ring of 60 slots per bucket', () => {
    expect(keys.pacerSlot({ bucket: 'ses', slot: 5 })).toEqual({ pk: 'PACER#ses', sk: 'SLOT#05' });
    expect(keys.pacerSlot({ bucket: 'ses', slot: 59 })).toEqual({ pk: 'PACER#ses', sk: 'SLOT#59' });
  });

  it('grants exactly the cap to concurrent takers in one second, then the cap again the next second', async () => {
    const bucket = freshBucket();
    const round = () => Promise.all(Array.from({ length: 8 }, () => pacer.take(bucket, 10, 50)));

    const first = await round();
    expect(sum(first)).toBe(50);
    for (const r of first) {
      expect([0, 10]).toContain(r.granted);
      if (r.granted === 0) expect(r.waitMs).toBe(750);
    }
    expect(first.filter((r) => r.granted === 0)).toHaveLength(3);
    expect(await slotItem(bucket, second())).toMatchObject({ entity: 'pacerSlot', sec: second(), n: 50 });
    expect(await pacer.take(bucket, 1, 50)).toEqual({ granted: 0, waitMs: 750 });

    clock += 999 - 250; // still the same second: still full
    expect(await pacer.take(bucket, 1, 50)).toEqual({ granted: 0, waitMs: 1 });

    clock = START + 1000;
    const next = await round();
    expect(sum(next)).toBe(50);
    expect(await slotItem(bucket, second())).toMatchObject({ sec: second(), n: 50 });
    expect(await slotItem(bucket, second() - 1)).toMatchObject({ sec: second() - 1, n: 50 }); // the previous slot is left alone
  });

  it('resets a slot last used a minute ago (same place in the ring, older second)', async () => {
    const bucket = freshBucket();
    expect(await pacer.take(bucket, 50, 50)).toEqual({ granted: 50, waitMs: 0 });
    expect((await pacer.take(bucket, 1, 50)).granted).toBe(0);

    clock += 60_000;
    expect(await pacer.take(bucket, 7, 50)).toEqual({ granted: 7, waitMs: 0 });
    expect(await slotItem(bucket, second())).toMatchObject({ sec: second(), n: 7 });
    expect(await pacer.take(bucket, 43, 50)).toEqual({ granted: 43, waitMs: 0 });
    expect((await pacer.take(bucket, 1, 50)).granted).toBe(0);

    // Many laps later the same slot resets just as well.
    clock += 60_000 * 1000;
    expect(await pacer.take(bucket, 50, 50)).toEqual({ granted: 50, waitMs: 0 });
  });

  it('grants the remainder of a nearly full second, then nothing (14 per second, batches of 10)', async () => {
    const bucket = freshBucket();
    expect(await pacer.take(bucket, 10, 14)).toEqual({ granted: 10, waitMs: 0 });
    calls = 0;
    expect(await pacer.take(bucket, 10, 14)).toEqual({ granted: 4, waitMs: 750 }); // full now: the hint saves a call
    expect(calls).toBe(4); // ADD, SET, GetItem, ADD of the remainder
    calls = 0;
    expect(await pacer.take(bucket, 10, 14)).toEqual({ granted: 0, waitMs: 750 });
    expect(calls).toBe(3); // ADD, SET, GetItem
    expect(await slotItem(bucket, second())).toMatchObject({ sec: second(), n: 14 });
  });

  it('costs one write per take once the second has begun', async () => {
    const bucket = freshBucket();
    calls = 0;
    await pacer.take(bucket, 10, 200);
    expect(calls).toBe(2); // the first take of a second: a failed ADD, then the SET
    calls = 0;
    for (let i = 0; i < 5; i++) expect((await pacer.take(bucket, 10, 200)).granted).toBe(10);
    expect(calls).toBe(5);
  });

  it('caps a batch at the rate and reads fractional rates down, but never below 1 per second', async () => {
    const bucket = freshBucket();
    expect(await pacer.take(bucket, 500, 200.9)).toEqual({ granted: 200, waitMs: 0 });
    const slow = freshBucket();
    expect(await pacer.take(slow, 3, 0.5)).toEqual({ granted: 1, waitMs: 0 });
    expect((await pacer.take(slow, 3, 0.5)).granted).toBe(0);
    expect(await pacer.take(slow, 0, 10)).toEqual({ granted: 0, waitMs: 0 });
    await expect(pacer.take(slow, 1, 0)).rejects.toThrow(RangeError);
    await expect(pacer.take(slow, 1, Number.NaN)).rejects.toThrow(RangeError);
  });

  it('keeps buckets independent', async () => {
    const account = freshBucket();
    const campaign = freshBucket();
    expect((await pacer.take(account, 14, 14)).granted).toBe(14);
    expect((await pacer.take(account, 1, 14)).granted).toBe(0);
    expect(await pacer.take(campaign, 5, 5)).toEqual({ granted: 5, waitMs: 0 });
    expect((await pacer.take(campaign, 1, 5)).granted).toBe(0);
    expect(await slotItem(account, second())).toMatchObject({ n: 14 });
  });

  it('does not let a clock a minute behind take from a slot a later lap has claimed', async () => {
    const bucket = freshBucket();
    clock += 60_000;
    expect((await pacer.take(bucket, 5, 50)).granted).toBe(5);
    clock -= 60_000; // another caller, a minute behind: same slot, later second in it
    expect(await pacer.take(bucket, 5, 50)).toEqual({ granted: 0, waitMs: 750 });
    expect(await slotItem(bucket, second() + 60)).toMatchObject({ sec: second() + 60, n: 5 });
  });
});

describe('takeAll', () => {
  it('keeps taking, sleeping between seconds, until all tokens are granted', async () => {
    const bucket = freshBucket();
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
      clock += ms;
    };
    await takeAll(pacer, bucket, 120, 50, sleep);
    expect(slept).toEqual([750, 1000]);
    expect(second()).toBe(Math.floor(START / 1000) + 2);
    expect(await slotItem(bucket, second() - 2)).toMatchObject({ n: 50 });
    expect(await slotItem(bucket, second() - 1)).toMatchObject({ n: 50 });
    expect(await slotItem(bucket, second())).toMatchObject({ n: 20 });
  });

  it('lets concurrent senders share one rate: 14 per second, 4 senders of 10 each', async () => {
    const bucket = freshBucket();
    // A sleeping sender wakes when the shared clock reaches its wake-up time, moving it there if no one has.
    const sleep = async (ms: number) => {
      const wake = clock + ms;
      await new Promise((resolve) => setImmediate(resolve));
      clock = Math.max(clock, wake);
    };
    await Promise.all(Array.from({ length: 4 }, () => takeAll(pacer, bucket, 10, 14, sleep)));
    let total = 0;
    for (let s = Math.floor(START / 1000); s <= second(); s++) {
      const n = ((await slotItem(bucket, s)) as { n?: number } | undefined)?.n ?? 0;
      expect(n).toBeLessThanOrEqual(14);
      total += n;
    }
    expect(total).toBe(40);
  });

  it('grants nothing and calls nothing for an empty batch', async () => {
    calls = 0;
    await takeAll(pacer, freshBucket(), 0, 14, () => Promise.reject(new Error('no sleep expected')));
    expect(calls).toBe(0);
  });
});
