/**
 * A rate limiter shared by every concurrent sender (many Lambda invocations at once), kept in
 * DynamoDB: fixed one-second windows, one item per window, in a ring of 60 items per bucket.
 *
 * Layout (keys.pacerSlot): pk PACER#<bucket>, sk SLOT#<ss> with ss = epochSecond % 60 (two digits); the item
 * holds `sec` (the epoch second the slot currently counts) and `n` (tokens taken in that second),
 * plus `entity: 'pacerSlot'`.
 *
 * take(bucket, want, perSecond), with s = the caller's epoch second, cap = max(1, floor(perSecond)),
 * k = min(want, cap):
 * 1. UpdateItem `ADD n :k` if `sec = :s AND n <= :cap - :k`: the slot already counts this
 *    second and has room for the whole batch (the common case).
 * 2. Else UpdateItem `SET sec = :s, n = :k` if `attribute_not_exists(sec) OR sec < :s`: the first
 *    taker of a new second resets the slot it left a minute ago (or creates it).
 * 3. Else someone else counts this second and it lacked room for k: a consistent GetItem, and if
 *    `cap - n > 0`, one `ADD` of min(k, cap - n) under the same kind of condition. Otherwise (or
 *    if that last ADD lost a race) nothing is granted and `waitMs` says when the next second starts.
 * Every step is a single conditional write, so there is no read-modify-write race and no need for
 * transactions (dynalite, the local emulator, has none); at most 4 DynamoDB calls per take.
 *
 * Properties:
 * - At most `cap` tokens are granted per calendar second per bucket, across all callers: every
 *   increment is conditional on the total staying at or under cap, and only one caller can move a
 *   slot to a new second. Seconds are the takers' clocks (Lambda's are NTP-synchronised; clocks
 *   are assumed to agree to well under a minute).
 * - Fixed windows: a burst of up to 2 × cap can pass across a second boundary (cap at the end of
 *   one second, cap at the start of the next). Callers that need a smoother flow take smaller
 *   batches spread through the second.
 * - Grants can fall short of cap in a second when takers lose races (a failed remainder ADD is not
 *   retried), never exceed it.
 * - Cost: 1 write per successful take in steady state, amortised over the batch it grants (10
 *   tokens a take = 0.1 write per token). The first take of each second costs 2 writes (a failed
 *   conditional write is still billed); a take that finds the window full costs 2 writes and a
 *   strongly consistent read, plus 1 write when a remainder is left.
 * - Why a ring of 60 slots: one item per second would pile up (86,400 items a day per bucket)
 *   without TTL, which dynalite lacks; with the ring each slot is reused once a minute and a bucket
 *   never holds more than 60 items. Keeping consecutive seconds in separate items also means a
 *   caller whose clock still says s - 1 counts against that second's slot instead of failing
 *   against (or resetting) the item for s, and the partition shows the last minute's use.
 * - All slots of a bucket share one partition; with batches of 10 even 200/s is ~20-40 writes/s,
 *   far below DynamoDB's 1,000 writes/s per partition.
 *
 * Buckets are global names (the SES account, a campaign): callers put the tenant in the bucket
 * name when the limit is per tenant.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './client.ts';
import { keys, type Key } from './keys.ts';
import type { PacerPort } from '../runtime/ports.ts';

export type { PacerPort };

/** Slots in a bucket's ring: one per second of a minute. */
export const PACER_SLOTS = 60;

export function createDynamoPacer(doc: DynamoDBDocumentClient, tableName: string, now: () => number = Date.now): PacerPort {
  /** True if the conditional write went through, false if its condition failed. */
  const conditional = async (write: UpdateCommand): Promise<boolean> => {
    try {
      await doc.send(write);
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  };
  const add = (key: Key, s: number, tokens: number, cap: number) =>
    conditional(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'ADD n :k',
        ConditionExpression: 'sec = :s AND n <= :room',
        ExpressionAttributeValues: { ':k': tokens, ':s': s, ':room': cap - tokens },
      }),
    );

  return {
    async take(bucket, want, perSecond) {
      if (!(perSecond > 0 && Number.isFinite(perSecond)))
        throw new RangeError(`pacer: perSecond must be a positive number, got ${perSecond}`);
      const wanted = Math.floor(want);
      if (!(wanted > 0)) return { granted: 0, waitMs: 0 };
      const ms = now();
      const s = Math.floor(ms / 1000);
      const untilNextSecond = (s + 1) * 1000 - ms;
      const cap = Math.max(1, Math.floor(perSecond));
      const k = Math.min(wanted, cap);
      const key = keys.pacerSlot({ bucket, slot: s % PACER_SLOTS });

      // 1. This second has begun and has room for the whole batch.
      if (await add(key, s, k, cap)) return { granted: k, waitMs: 0 };

      // 2. First taker of a new second: reset the slot it left a minute ago (or create it).
      const reset = await conditional(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET sec = :s, n = :k, entity = :entity',
          ConditionExpression: 'attribute_not_exists(sec) OR sec < :s',
          ExpressionAttributeValues: { ':s': s, ':k': k, ':entity': 'pacerSlot' },
        }),
      );
      if (reset) return { granted: k, waitMs: 0 };

      // 3. Someone else counts this second and it lacked room for k: take what is left, once.
      const out = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      const item = out.Item as { sec?: number; n?: number } | undefined;
      if (item?.sec === s) {
        const left = Math.min(k, cap - (item.n ?? 0));
        // The window is now full: the hint saves the caller a round trip that would find it so.
        if (left > 0 && (await add(key, s, left, cap))) return { granted: left, waitMs: left < k ? untilNextSecond : 0 };
      }
      // Full, lost the race for the remainder, or the slot counts a later lap of the ring (a
      // clock a minute or more ahead): try again next second.
      return { granted: 0, waitMs: untilNextSecond };
    },
  };
}
