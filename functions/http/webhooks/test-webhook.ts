import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookClient, webhookOptions, webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { testWebhook } from '../../../shared/services/webhooks.ts';

const options = webhookOptions();

export const handler = httpHandler(webhookApi.testWebhook, { webhooks: webhookStore, webhookClient }, ({ deps, caller, path }) =>
  testWebhook(deps, caller, path.webhookId, options),
);
