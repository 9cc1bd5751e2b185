import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore } from '../../../shared/runtime/providers/campaigns.ts';
import { listCampaigns } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(campaignApi.listCampaigns, { campaigns: campaignStore }, ({ deps, caller, query }) =>
  listCampaigns(deps, caller, query.limit, query.cursor),
);
