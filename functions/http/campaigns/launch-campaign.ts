import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignEditingProviders } from '../../../shared/runtime/providers/campaign-editing.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { launchCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(campaignApi.launchCampaign, { ...campaignEditingProviders, queue: sqsQueue }, ({ deps, caller, path }) =>
  launchCampaign(deps, caller, path.campaignId),
);
