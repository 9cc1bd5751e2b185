import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { getWebhook } from '../../../shared/services/webhooks.ts';

export const handler = httpHandler(webhookApi.getWebhook, { webhooks: webhookStore }, ({ deps, caller, path }) =>
  getWebhook(deps, caller, path.webhookId),
);
