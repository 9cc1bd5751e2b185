import { webhookApi } from '../../../shared/api/contract/webhooks.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { listWebhooks } from '../../../shared/services/webhooks.ts';

export const handler = httpHandler(webhookApi.listWebhooks, { webhooks: webhookStore }, ({ deps, caller, query }) =>
  listWebhooks(deps, caller, query),
);
