/** Saved segments, and segment count jobs with one progress item per part of the contact key space. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound } from '../domain/errors.ts';
import { Segment, SegmentCount, SegmentCountPart } from '../domain/segment.ts';
import type { SegmentStore } from '../runtime/ports.ts';
import { ifConditionFails, queryAll, queryPage, toItem, withoutKeys } from './client.ts';
import { gsi1, keys } from './keys.ts';

export function createSegmentRepo(doc: DynamoDBDocumentClient, table: string): SegmentStore {
  const parse = (item: Record<string, unknown>) => Segment.parse(withoutKeys(item));
  const segmentItem = (tenantId: string, segment: Segment) =>
    toItem(
      'segment',
      tenantId,
      { ...keys.segment({ tenantId, segmentId: segment.segmentId }), ...gsi1.segments({ tenantId, segmentId: segment.segmentId }) },
      segment,
    );
  return {
    /** AP14 */
    async create(tenantId, segment) {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: segmentItem(tenantId, segment),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
        () => {
          throw new Conflict(`segment ${segment.segmentId} already exists`);
        },
      );
    },
    async get(tenantId, segmentId) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.segment({ tenantId, segmentId }) }));
      return out.Item ? parse(out.Item) : undefined;
    },
    /** AP15 */
    async list(tenantId, limit, cursor) {
      const page = await queryPage(doc, table, { on: 'gsi1', partition: gsi1.segmentsPartition({ tenantId }), limit, cursor });
      return { items: page.items.map(parse), cursor: page.cursor };
    },
    /** Replaces a segment that still exists and has not changed since `readAt` was read. */
    async replace(tenantId, segment, readUpdatedAt) {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: segmentItem(tenantId, segment),
            ConditionExpression: 'updatedAt = :read',
            ExpressionAttributeValues: { ':read': readUpdatedAt },
          }),
        ),
        () => {
          throw new Conflict(`segment ${segment.segmentId} was changed or deleted meanwhile; retry`);
        },
      );
    },
    async delete(tenantId, segmentId) {
      await ifConditionFails(
        doc.send(
          new DeleteCommand({ TableName: table, Key: keys.segment({ tenantId, segmentId }), ConditionExpression: 'attribute_exists(pk)' }),
        ),
        () => {
          throw new NotFound(`segment ${segmentId}`);
        },
      );
    },

    /** AP16 a count job and its parts, created pending. */
    async createCount(tenantId, job) {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: toItem('segmentCount', tenantId, keys.segmentCount({ tenantId, countId: job.countId }), job),
        }),
      );
    },
    async getCount(tenantId, countId) {
      const items = await queryAll(doc, table, { partition: keys.segmentCount({ tenantId, countId }).pk, consistent: true });
      const job = items.find((i) => i.entity === 'segmentCount');
      if (!job) return undefined;
      return {
        job: SegmentCount.parse(withoutKeys(job)),
        parts: items.filter((i) => i.entity === 'segmentCountPart').map((i) => SegmentCountPart.parse(withoutKeys(i))),
      };
    },
    /**
     * Records one step of a part: only if the part is still at `step` (absent for step 0), so a
     * redelivered message cannot count a page twice. False when another delivery got there first.
     */
    async advancePart(tenantId, countId, next) {
      const write = doc.send(
        new PutCommand({
          TableName: table,
          Item: toItem('segmentCountPart', tenantId, keys.segmentCountPart({ tenantId, countId, part: next.part }), next),
          ...(next.step === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'step = :previous', ExpressionAttributeValues: { ':previous': next.step - 1 } }),
        }),
      );
      return ifConditionFails(
        write.then(() => true),
        () => false,
      );
    },
  };
}
