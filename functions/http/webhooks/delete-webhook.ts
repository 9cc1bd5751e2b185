import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { deleteWebhook } from '../../../shared/services/webhooks.ts';

export const handler = httpHandler(webhookApi.deleteWebhook, { webhooks: webhookStore }, ({ deps, caller, path }) =>
  deleteWebhook(deps, caller, path.webhookId),
);
