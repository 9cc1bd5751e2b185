import { campaignStore, sendStore } from '../../../shared/runtime/providers/campaigns.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { recordSmsEvent, SmsEvent } from '../../../shared/services/sms-events.ts';

export const handler = queueHandler(
  'sms-events',
  { sends: sendStore, campaigns: campaignStore, webhooks: webhookStore, queue: sqsQueue },
  async (deps, event) => {
    await recordSmsEvent(deps, SmsEvent.parse(event));
  },
);
