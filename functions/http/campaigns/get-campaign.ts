import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore } from '../../../shared/runtime/providers/campaigns.ts';
import { getCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(campaignApi.getCampaign, { campaigns: campaignStore }, ({ deps, caller, path }) =>
  getCampaign(deps, caller, path.campaignId),
);
