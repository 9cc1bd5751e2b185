import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore, triggerStore } from '../../../shared/runtime/providers/campaigns.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { cancelCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(
  campaignApi.cancelCampaign,
  { campaigns: campaignStore, triggers: triggerStore, queue: sqsQueue },
  ({ deps, caller, path }) => cancelCampaign(deps, caller, path.campaignId),
);
