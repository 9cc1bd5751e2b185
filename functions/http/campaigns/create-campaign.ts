import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignEditingProviders } from '../../../shared/runtime/providers/campaign-editing.ts';
import { createCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(campaignApi.createCampaign, campaignEditingProviders, async ({ deps, caller, headers, body }) => {
  const { campaign, created } = await createCampaign(deps, caller, body, headers['idempotency-key']);
  return new WithStatus(created ? 201 : 200, campaign);
});
