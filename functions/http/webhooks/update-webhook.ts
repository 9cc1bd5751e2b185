import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookOptions, webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { updateWebhook } from '../../../shared/services/webhooks.ts';

const options = webhookOptions();

export const handler = httpHandler(webhookApi.updateWebhook, { webhooks: webhookStore }, ({ deps, caller, path, body }) =>
  updateWebhook(deps, caller, path.webhookId, body, options),
);
