/** Webhook subscriptions and dead letters (DynamoDB), and the HTTP client that delivers to receivers. */
import { loadEnv, WebhookEnv } from '../../config/env.ts';
import { createWebhookRepo } from '../../db/webhook-repo.ts';
import { WEBHOOK_RETRY_SECONDS } from '../../domain/webhook.ts';
import { createWebhookClient } from '../../http/webhook-client.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const webhookStore = /* @__PURE__ */ once(() => createWebhookRepo(table().doc, table().name));
export const webhookClient = /* @__PURE__ */ once(() => createWebhookClient());

/** The retry schedule, receiver timeout and the local http exception from the environment (defaults: shared/domain/webhook.ts), read once. */
export const webhookOptions = /* @__PURE__ */ once(() => {
  const env = loadEnv(WebhookEnv);
  return {
    retrySeconds: env.WEBHOOK_RETRY_SECONDS ?? WEBHOOK_RETRY_SECONDS,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    allowLocalHttp: env.WEBHOOK_ALLOW_LOCAL_HTTP,
  };
});
