import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignEditingProviders } from '../../../shared/runtime/providers/campaign-editing.ts';
import { updateCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(campaignApi.updateCampaign, campaignEditingProviders, ({ deps, caller, path, body }) =>
  updateCampaign(deps, caller, path.campaignId, body),
);
