import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore, sendStore, triggerStore } from '../../../shared/runtime/providers/campaigns.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { resumeCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(
  campaignApi.resumeCampaign,
  { campaigns: campaignStore, triggers: triggerStore, sends: sendStore, queue: sqsQueue },
  ({ deps, caller, path }) => resumeCampaign(deps, caller, path.campaignId),
);
