import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookOptions, webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { createWebhook } from '../../../shared/services/webhooks.ts';

const options = webhookOptions();

export const handler = httpHandler(webhookApi.createWebhook, { webhooks: webhookStore }, async ({ deps, caller, headers, body }) => {
  const { webhook, created } = await createWebhook(deps, caller, body, headers['idempotency-key'], options);
  return new WithStatus(created ? 201 : 200, webhook);
});
