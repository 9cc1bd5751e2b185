import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore } from '../../../shared/runtime/providers/campaigns.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';
import { createCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(
  campaignApi.createCampaign,
  { campaigns: campaignStore, templates: templateStore, segments: segmentStore, lists: listStore, settings: settingsStore },
  async ({ deps, caller, headers, body }) => {
    const { campaign, created } = await createCampaign(deps, caller, body, headers['idempotency-key']);
    return new WithStatus(created ? 201 : 200, campaign);
  },
);
