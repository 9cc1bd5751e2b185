import { logger } from '../../../shared/runtime/logger.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { webhookClient, webhookOptions, webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { batchQueueHandler } from '../../../shared/runtime/queue-handler.ts';
import { deliverWebhooks } from '../../../shared/services/webhooks.ts';

const options = webhookOptions();

export const handler = batchQueueHandler(
  'webhook-deliveries',
  { webhooks: webhookStore, webhookClient, queue: sqsQueue },
  (deps, deliveries) =>
    deliverWebhooks(deps, deliveries, options, (error) => logger.error('webhook delivery failed', { error: error as Error })),
);
