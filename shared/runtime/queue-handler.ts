/**
 * Handler factories for non-HTTP functions. SQS consumers validate each message, process the
 * batch, and report failed message ids (partial batch response) so only those are retried and,
 * after maxReceives, land in the dead-letter queue. EventBridge targets validate the detail and
 * throw on failure, so the bus retries and then dead-letters. Nothing is swallowed.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import { queueMessages, type QueueName } from '../api/messages.ts';
import { provide, type Providers } from './provide.ts';
import { logger, metrics } from './logger.ts';
import type { Deps } from './ports.ts';

type Base = Pick<Deps, 'now' | 'newId' | 'sleep'>;

/** A queue's consumer: its messages are parsed with the queue table's schema for that queue. */
export function queueHandler<Q extends QueueName, D>(
  queue: Q,
  providers: Providers<D>,
  fn: (deps: D & Base, message: z.infer<(typeof queueMessages)[Q]>) => Promise<void>,
) {
  const deps = provide(providers);
  const schema = queueMessages[queue];
  return middy<SQSEvent, SQSBatchResponse>(
    async (event: SQSEvent) => {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        try {
          await fn(deps, schema.parse(JSON.parse(record.body)) as z.infer<(typeof queueMessages)[Q]>);
        } catch (error) {
          logger.error('message failed', { messageId: record.messageId, error: error as Error });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      metrics.addMetric('QueueMessagesProcessed', 'Count', event.Records.length - failures.length);
      if (failures.length > 0) metrics.addMetric('QueueMessagesFailed', 'Count', failures.length);
      return { batchItemFailures: failures };
    },
    { timeoutEarlyInMillis: 0 },
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

/**
 * A queue's consumer that takes the whole batch at once (the campaign senders pace and count per
 * batch). `fn` gets each valid message with its receive count and returns the indexes to retry;
 * a message that does not parse is retried (and so dead-lettered), never dropped.
 */
export function batchQueueHandler<Q extends QueueName, D>(
  queue: Q,
  providers: Providers<D>,
  fn: (deps: D & Base, messages: (z.infer<(typeof queueMessages)[Q]> & { receiveCount: number })[]) => Promise<number[]>,
) {
  const deps = provide(providers);
  const schema = queueMessages[queue];
  return middy<SQSEvent, SQSBatchResponse>(
    async (event: SQSEvent) => {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      const valid: { record: SQSEvent['Records'][number]; message: z.infer<(typeof queueMessages)[Q]> & { receiveCount: number } }[] = [];
      for (const record of event.Records) {
        try {
          const message = schema.parse(JSON.parse(record.body)) as z.infer<(typeof queueMessages)[Q]>;
          valid.push({ record, message: { ...message, receiveCount: Number(record.attributes.ApproximateReceiveCount ?? 1) } });
        } catch (error) {
          logger.error('message does not parse', { messageId: record.messageId, error: error as Error });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      try {
        for (const index of await fn(
          deps,
          valid.map((v) => v.message),
        )) {
          failures.push({ itemIdentifier: (valid[index] as (typeof valid)[number]).record.messageId });
        }
      } catch (error) {
        logger.error('batch failed', { error: error as Error });
        return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
      }
      metrics.addMetric('QueueMessagesProcessed', 'Count', event.Records.length - failures.length);
      if (failures.length > 0) metrics.addMetric('QueueMessagesFailed', 'Count', failures.length);
      return { batchItemFailures: failures };
    },
    { timeoutEarlyInMillis: 0 },
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

export function scheduledHandler<D, R>(providers: Providers<D>, fn: (deps: D & Base) => Promise<R>) {
  const deps = provide(providers);
  return middy(
    async () => {
      const result = await fn(deps);
      metrics.addMetric('ScheduledRuns', 'Count', 1);
      logger.info('scheduled run finished', { result });
      return result;
    },
    { timeoutEarlyInMillis: 0 },
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

/** An EventBridge rule's target: the detail is parsed with `schema`; a failure throws, so the bus retries. */
export function eventHandler<S extends z.ZodType, D, R>(
  schema: S,
  providers: Providers<D>,
  fn: (deps: D & Base, detail: z.infer<S>, event: EventBridgeEvent<string, unknown>) => Promise<R>,
) {
  const deps = provide(providers);
  return middy(
    async (event: EventBridgeEvent<string, unknown>) => {
      try {
        const result = await fn(deps, schema.parse(event.detail), event);
        metrics.addMetric('BusEventsProcessed', 'Count', 1);
        return result;
      } catch (error) {
        metrics.addMetric('BusEventsFailed', 'Count', 1);
        throw error; // the bus retries, then dead-letters
      }
    },
    { timeoutEarlyInMillis: 0 },
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
