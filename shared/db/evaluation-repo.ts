/**
 * Conversion counting and the evaluation's reports. Without transactions, a conversion is counted
 * in three writes that a replay can repeat safely (docs/data-model.md, AP47):
 *   1. on the assignment's send record, conditional on its conversion version: the conversion's
 *      token joins `cv`, the new state is set and `cvPending` holds what the counters must get;
 *   2. one ADD on the group's counter item, conditional on the token not being among the tokens that
 *      item counted lately (two sets, one per day, the older one cleared as days pass);
 *   3. `cvPending` removed.
 * A crash after 1 leaves `cvPending`, which the next event of that assignment (or the replay)
 * finishes first; a crash after 2 repeats the ADD, which the token refuses.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { shardOf } from '../domain/campaign.ts';
import {
  type Assignment,
  type ConversionDelta,
  EvaluatedCampaign,
  EvaluationRun,
  PendingConversion,
  ZERO_DELTA,
  DAY_MS,
} from '../domain/evaluation.ts';
import type { EvaluationStore } from '../runtime/ports.ts';
import { batchGet, ifConditionFails, isConditionFailed, queryAll, toItem, withoutKeys } from './client.ts';
import { keys } from './keys.ts';

/** Counter items per group: conversions of one group spread over this many items (and token sets). */
export const CONVERSION_SHARDS = 8;
const COUNTERS = Object.keys(ZERO_DELTA) as (keyof ConversionDelta)[];

/** A short fixed-length token for the dedupe sets (72 bits of SHA-256: no collision among a shard's tokens of two days). */
export const counterToken = (raw: string) => createHash('sha256').update(raw).digest('base64url').slice(0, 12);

export function createEvaluationRepo(doc: DynamoDBDocumentClient, table: string): EvaluationStore {
  const sendKey = (tenantId: string, campaignId: string, key: string) =>
    keys.send({ tenantId, campaignId, shard: shardOf(key), contactId: key });
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    /** AP46 */
    async markStarted(tenantId, entry) {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: toItem('evaluatedCampaign', tenantId, keys.evaluatedCampaign({ tenantId, campaignId: entry.campaignId }), entry),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
        () => undefined, // started before (a resume): the first start opens the window
      );
    },
    async started(tenantId) {
      const items = await queryAll(doc, table, { partition: keys.evaluatedPartition({ tenantId }) });
      return items.map((i) => EvaluatedCampaign.parse(withoutKeys(i)));
    },
    /** Out of the index: event batches and runs read open campaigns only (the report stays). */
    async markFinal(tenantId, campaignId) {
      await doc.send(new DeleteCommand({ TableName: table, Key: keys.evaluatedCampaign({ tenantId, campaignId }) }));
    },
    /** AP23 */
    async assignments(tenantId, refs) {
      const items = await batchGet(
        doc,
        table,
        refs.map((r) => sendKey(tenantId, r.campaignId, r.key)),
      );
      return items.map((i): Assignment => {
        const data = i.data as { recommendations?: { item?: unknown }[] } | undefined;
        const pending = i.cvPending === undefined ? undefined : PendingConversion.safeParse(i.cvPending);
        return {
          campaignId: String(i.campaignId),
          key: String(i.sk),
          status: String(i.status),
          variant: typeof i.variant === 'string' ? i.variant : undefined,
          createdAt: String(i.createdAt),
          state: {
            counted: i.cv instanceof Set ? (i.cv as Set<string>) : new Set(),
            version: num(i.cvN),
            revenue: num(i.cvRevenue),
            converted: typeof i.cvAt === 'string',
            crossSold: i.cvCross === true,
            recommendedBought: i.cvRec === true,
            recommendations: (data?.recommendations ?? []).flatMap((r) => (typeof r?.item === 'string' ? [r.item] : [])),
          },
          pending: pending?.success ? pending.data : undefined,
        };
      });
    },
    /** AP45 */
    async firedFirings(tenantId, contactId) {
      const items = await queryAll(doc, table, {
        partition: keys.contactPartition({ tenantId, contactId }),
        sortPrefix: keys.firingPrefix,
      });
      return items
        .filter((i) => i.status === 'fired')
        .map((i) => ({ campaignId: String(i.campaignId), firingId: String(i.firingId), firedAt: String(i.updatedAt) }));
    },
    async recordConversion(tenantId, a, pending, next) {
      const read = a.state.version;
      const sets = ['cvN = :next', 'cvRevenue = :revenue', 'cvPending = :pending'];
      const values: Record<string, unknown> = {
        ':next': read + 1,
        ':revenue': next.revenue,
        ':pending': pending,
        ':token': new Set([pending.token]),
      };
      if (next.convertedAt) {
        sets.push('cvAt = if_not_exists(cvAt, :at)');
        values[':at'] = next.convertedAt;
      }
      if (next.crossSold) sets.push('cvCross = :true');
      if (next.recommendedBought) sets.push('cvRec = :true');
      if (next.crossSold || next.recommendedBought) values[':true'] = true;
      if (read > 0) values[':read'] = read;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: sendKey(tenantId, a.campaignId, a.key),
            UpdateExpression: `SET ${sets.join(', ')} ADD cv :token`,
            ConditionExpression: `attribute_exists(pk) AND ${read === 0 ? 'attribute_not_exists(cvN)' : 'cvN = :read'}`,
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
    async clearPending(tenantId, campaignId, key, token) {
      await ifConditionFails(
        doc.send(
          new UpdateCommand({
            TableName: table,
            Key: sendKey(tenantId, campaignId, key),
            UpdateExpression: 'REMOVE cvPending',
            ConditionExpression: 'cvPending.#token = :token',
            ExpressionAttributeNames: { '#token': 'token' },
            ExpressionAttributeValues: { ':token': token },
          }),
        ),
        () => undefined, // cleared already, or another conversion's pending is there now
      );
    },
    /** AP47 */
    async addConversion(tenantId, campaignId, group, rawToken, delta, now) {
      const token = counterToken(rawToken);
      // base64url: 64 characters, so the first one mod 8 spreads tokens evenly.
      const shard = token.charCodeAt(0) % CONVERSION_SHARDS;
      const Key = keys.conversionCounter({ tenantId, campaignId, group, shard });
      for (let attempt = 0; attempt < 5; attempt++) {
        const day = Math.floor(now.getTime() / DAY_MS);
        const slot = day % 2;
        const names: Record<string, string> = { '#t': `t${slot}`, '#d': `d${slot}` };
        const values: Record<string, unknown> = {
          ':day': day,
          ':set': new Set([token]),
          ':token': token,
          ':entity': 'conversionCounter',
          ':tenant': tenantId,
          ':group': group,
        };
        COUNTERS.forEach((c, i) => {
          names[`#c${i}`] = c;
          values[`:c${i}`] = delta[c];
        });
        try {
          await doc.send(
            new UpdateCommand({
              TableName: table,
              Key,
              UpdateExpression: `SET entity = :entity, tenantId = :tenant, #group = :group, #d = :day ADD ${COUNTERS.map((_, i) => `#c${i} :c${i}`).join(', ')}, #t :set`,
              ConditionExpression: '(attribute_not_exists(#d) OR #d = :day) AND NOT contains(t0, :token) AND NOT contains(t1, :token)',
              ExpressionAttributeNames: { ...names, '#group': 'group' },
              ExpressionAttributeValues: values,
            }),
          );
          return 'applied';
        } catch (error) {
          if (!isConditionFailed(error)) throw error;
        }
        const item = (await doc.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }))).Item ?? {};
        const seen = (set: unknown) => set instanceof Set && set.has(token);
        if (seen(item.t0) || seen(item.t1)) return 'duplicate';
        // This day's slot still holds the tokens of two days ago: clear it (whoever gets there first), then add.
        await ifConditionFails(
          doc.send(
            new UpdateCommand({
              TableName: table,
              Key,
              UpdateExpression: 'REMOVE #t SET #d = :day',
              ConditionExpression: '#d = :old',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ':day': day, ':old': item[`d${slot}`] ?? -1 },
            }),
          ),
          () => undefined,
        );
      }
      throw new Error(`conversion counters of ${campaignId}/${group}: too many concurrent changes`);
    },
    async conversionTotals(tenantId, campaignId) {
      const items = await queryAll(doc, table, {
        partition: keys.campaign({ tenantId, campaignId }).pk,
        sortPrefix: keys.conversionCounterPrefix,
        consistent: true,
      });
      const totals: Record<string, ConversionDelta> = {};
      for (const item of items) {
        const group = String(item.group);
        const sum = totals[group] ?? { ...ZERO_DELTA };
        totals[group] = sum;
        for (const c of COUNTERS) sum[c] += num(item[c]);
      }
      return totals;
    },
    /** AP48 */
    async saveReport(tenantId, of, report) {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: toItem('report', tenantId, keys.report({ tenantId, ...(of === 'base' ? {} : of) }), { body: JSON.stringify(report) }),
        }),
      );
    },
    async report(tenantId, of) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.report({ tenantId, ...(of === 'base' ? {} : of) }) }));
      return typeof out.Item?.body === 'string' ? (JSON.parse(out.Item.body) as unknown) : undefined;
    },
    /** AP49 */
    async saveRun(tenantId, run) {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: toItem('evaluationRun', tenantId, keys.evaluationRun({ tenantId, runId: run.runId }), run),
        }),
      );
    },
    async run(tenantId, runId) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.evaluationRun({ tenantId, runId }), ConsistentRead: true }));
      return out.Item ? EvaluationRun.parse(withoutKeys(out.Item)) : undefined;
    },
  };
}
