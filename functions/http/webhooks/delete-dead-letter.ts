import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { deleteDeadLetter } from '../../../shared/services/webhooks.ts';

export const handler = httpHandler(webhookApi.deleteWebhookDeadLetter, { webhooks: webhookStore }, ({ deps, caller, path }) =>
  deleteDeadLetter(deps, caller, path.webhookId, path.eventId),
);
