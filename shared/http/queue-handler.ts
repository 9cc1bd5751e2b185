/**
 * Handler factories for non-HTTP functions. SQS consumers validate each message, process the
 * batch, and report failed message ids (partial batch response) so only those are retried and,
 * after maxReceives, land in the dead-letter queue. Nothing is swallowed.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import type { Deps } from '../services/deps.ts';
import { logger } from './logger.ts';
import { runtimeDeps } from './runtime.ts';

export function queueHandler<S extends z.ZodType>(schema: S, fn: (deps: Deps, message: z.infer<S>) => Promise<void>) {
  const deps = runtimeDeps();
  return middy<SQSEvent, SQSBatchResponse>(async (event: SQSEvent) => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await fn(deps, schema.parse(JSON.parse(record.body)));
      } catch (error) {
        logger.error('message failed', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  }, { timeoutEarlyInMillis: 0 }).use(injectLambdaContext(logger, { resetKeys: true }));
}

export function scheduledHandler<R>(fn: (deps: Deps) => Promise<R>) {
  const deps = runtimeDeps();
  return middy(async () => {
    const result = await fn(deps);
    logger.info('scheduled run finished', { result });
    return result;
  }, { timeoutEarlyInMillis: 0 }).use(injectLambdaContext(logger, { resetKeys: true }));
}
