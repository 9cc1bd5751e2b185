import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore, sendStore } from '../../../shared/runtime/providers/campaigns.ts';
import { listRecipients } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(
  campaignApi.listRecipients,
  { campaigns: campaignStore, sends: sendStore },
  ({ deps, caller, path, query }) => listRecipients(deps, caller, path.campaignId, query),
);
