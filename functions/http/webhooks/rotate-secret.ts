import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { rotateWebhookSecret } from '../../../shared/services/webhooks.ts';

export const handler = httpHandler(webhookApi.rotateWebhookSecret, { webhooks: webhookStore }, ({ deps, caller, path, query }) =>
  rotateWebhookSecret(deps, caller, path.webhookId, query.keepPreviousSeconds),
);
