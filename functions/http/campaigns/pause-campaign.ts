import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore, triggerStore } from '../../../shared/runtime/providers/campaigns.ts';
import { pauseCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(
  campaignApi.pauseCampaign,
  { campaigns: campaignStore, triggers: triggerStore },
  ({ deps, caller, path }) => pauseCampaign(deps, caller, path.campaignId),
);
