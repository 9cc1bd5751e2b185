import { webhookApi } from '@shared/api/contract/webhooks.ts';
import { apiOf } from '../../api/client.ts';

export const webhooks = apiOf(webhookApi);
