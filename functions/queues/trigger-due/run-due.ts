import { logger } from '../../../shared/runtime/logger.ts';
import { triggerDueProviders } from '../../../shared/runtime/providers/triggers.ts';
import { batchQueueHandler } from '../../../shared/runtime/queue-handler.ts';
import { runDueBatch } from '../../../shared/services/triggers.ts';

/** A batch of due firings and lifecycle checks, run at once; the failed ones go back to the queue. */
export const handler = batchQueueHandler('trigger-due', triggerDueProviders, (deps, messages) =>
  runDueBatch(deps, messages, (error) => logger.error('due work failed', { error: error as Error })),
);
