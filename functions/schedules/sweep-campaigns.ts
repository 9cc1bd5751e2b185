import { campaignStore, sendStore, triggerStore } from '../../shared/runtime/providers/campaigns.ts';
import { sqsQueue } from '../../shared/runtime/providers/queue.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { sweepCampaigns } from '../../shared/services/campaign-progress.ts';

export const handler = scheduledHandler({ campaigns: campaignStore, sends: sendStore, triggers: triggerStore, queue: sqsQueue }, (deps) =>
  sweepCampaigns(deps),
);
