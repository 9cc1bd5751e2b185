import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { redriveDeadLetter } from '../../../shared/services/webhooks.ts';

export const handler = httpHandler(
  webhookApi.redriveWebhookDeadLetter,
  { webhooks: webhookStore, queue: sqsQueue },
  ({ deps, caller, path }) => redriveDeadLetter(deps, caller, path.webhookId, path.eventId),
);
