/** Import jobs: progress counters, batch receipts (idempotent retries) and row errors. */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors.ts';
import { BatchCounts, ImportJob, RowError } from '../domain/import.ts';
import { batchWrite, ifConditionFails, queryPage, toItem, withoutKeys, type Page } from './client.ts';
import { OpenImportItem } from './items.ts';
import { gsi1, keys } from './keys.ts';
import { TABLE_KEYS } from './table.ts';
import type { ImportStore } from '../runtime/ports.ts';

export function createImportRepo(doc: DynamoDBDocumentClient, table: string): ImportStore {
  /** Moves bytesReceived forward only: batches in flight may finish out of order. */
  const advanceBytes = async (tenantId: string, jobId: string, bytes: number) => {
    await ifConditionFails(
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.importJob({ tenantId, jobId }),
          UpdateExpression: 'SET bytesReceived = :b',
          ConditionExpression: 'attribute_not_exists(bytesReceived) OR bytesReceived < :b',
          ExpressionAttributeValues: { ':b': bytes },
        }),
      ),
      () => undefined,
    );
  };

  return {
    async create(tenantId: string, job: ImportJob): Promise<void> {
      await ifConditionFails(
        doc.send(
          new PutCommand({
            TableName: table,
            Item: toItem(
              'importJob',
              tenantId,
              {
                ...keys.importJob({ tenantId, jobId: job.jobId }),
                ...gsi1.openImports({ tenantId, jobId: job.jobId, updatedAt: job.updatedAt }),
              },
              job,
            ),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
        () => {
          throw new Conflict(`import ${job.jobId} already exists`);
        },
      );
    },

    /** AP9 */
    async get(tenantId: string, jobId: string): Promise<ImportJob | undefined> {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.importJob({ tenantId, jobId }) }));
      return out.Item ? ImportJob.parse(withoutKeys(out.Item)) : undefined;
    },

    /**
     * Records that the batch starting at `firstRow` was processed, once. Returns the counts
     * stored by the first attempt when the batch was already recorded (a client retry).
     */
    async recordBatch(
      tenantId: string,
      jobId: string,
      firstRow: number,
      counts: BatchCounts,
      errors: RowError[],
    ): Promise<BatchCounts | undefined> {
      const key = keys.importBatch({ tenantId, jobId, firstRow });
      const first = await ifConditionFails(
        doc
          .send(
            new PutCommand({
              TableName: table,
              Item: toItem('importBatch', tenantId, key, { jobId, firstRow, ...counts }),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .then(() => true),
        () => false,
      );
      if (!first) {
        const out = await doc.send(new GetCommand({ TableName: table, Key: key }));
        return BatchCounts.parse(out.Item);
      }
      await batchWrite(
        doc,
        table,
        errors.map((e) => ({
          put: toItem('importError', tenantId, keys.importError({ tenantId, jobId, row: e.row, field: e.field }), { jobId, ...e }),
        })),
      );
      return undefined;
    },

    /** Adds a batch's counts to the job and moves it along the open-jobs index. */
    async addProgress(tenantId: string, jobId: string, counts: BatchCounts, now: string, bytesRead?: number): Promise<ImportJob> {
      const out = await ifConditionFails(
        doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.importJob({ tenantId, jobId }),
            UpdateExpression: 'SET updatedAt = :now, gsi1sk = :sk ADD rowsReceived :r, imported :i, updated :u, unchanged :n, failed :f',
            ConditionExpression: '#status = :receiving',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':now': now,
              ':sk': gsi1.openImports({ tenantId, jobId, updatedAt: now }).gsi1sk,
              ':r': counts.rowsReceived,
              ':i': counts.imported,
              ':u': counts.updated,
              ':n': counts.unchanged,
              ':f': counts.failed,
              ':receiving': 'receiving',
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
        () => {
          throw new Conflict(`import ${jobId} is no longer receiving rows`);
        },
      );
      if (bytesRead !== undefined) await advanceBytes(tenantId, jobId, bytesRead);
      return ImportJob.parse(withoutKeys(out.Attributes ?? {}));
    },

    /** Ends a job (completed or abandoned) and drops it from the open-jobs index. */
    async finish(
      tenantId: string,
      jobId: string,
      status: 'completed' | 'abandoned',
      now: string,
      staleBefore?: string,
    ): Promise<ImportJob | undefined> {
      const out = await ifConditionFails(
        doc.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.importJob({ tenantId, jobId }),
            UpdateExpression: 'SET #status = :status, completedAt = :now, updatedAt = :now REMOVE gsi1pk, gsi1sk',
            ConditionExpression: staleBefore ? '#status = :receiving AND updatedAt < :stale' : '#status = :receiving',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': status,
              ':now': now,
              ':receiving': 'receiving',
              ...(staleBefore ? { ':stale': staleBefore } : {}),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
        () => undefined,
      );
      return out ? ImportJob.parse(withoutKeys(out.Attributes ?? {})) : undefined;
    },

    /** AP9 a page of a job's row errors, in row order. */
    async errors(tenantId: string, jobId: string, limit: number, cursor?: string): Promise<Page<RowError>> {
      const partition = keys.importJob({ tenantId, jobId }).pk;
      const page = await queryPage(doc, table, { on: 'table', partition, sortPrefix: keys.importErrorPrefix, limit, cursor });
      return { items: page.items.map((i) => RowError.parse(i)), cursor: page.cursor };
    },

    /** AP10 open jobs with no activity since `before`, across tenants. */
    async staleOpenJobs(before: string, limit: number): Promise<{ tenantId: string; jobId: string }[]> {
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :before',
          ExpressionAttributeValues: { ':pk': gsi1.openImportsPartition, ':before': before },
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => OpenImportItem.parse(i));
    },
  };
}
