import { campaignStore, sendStore } from '../../../shared/runtime/providers/campaigns.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { recordSmsEvent, SmsEvent } from '../../../shared/services/sms-events.ts';

export const handler = queueHandler('sms-events', { sends: sendStore, campaigns: campaignStore }, async (deps, event) => {
  await recordSmsEvent(deps, SmsEvent.parse(event));
});
