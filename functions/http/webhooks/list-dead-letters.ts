import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { listDeadLetters } from '../../../shared/services/webhooks.ts';

export const handler = httpHandler(webhookApi.listWebhookDeadLetters, { webhooks: webhookStore }, ({ deps, caller, path, query }) =>
  listDeadLetters(deps, caller, path.webhookId, query),
);
