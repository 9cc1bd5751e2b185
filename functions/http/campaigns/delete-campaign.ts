import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore } from '../../../shared/runtime/providers/campaigns.ts';
import { deleteCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(campaignApi.deleteCampaign, { campaigns: campaignStore }, ({ deps, caller, path }) =>
  deleteCampaign(deps, caller, path.campaignId),
);
