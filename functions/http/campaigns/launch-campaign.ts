import { campaignApi } from '../../../shared/api/contract/campaigns.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { campaignStore, triggerStore } from '../../../shared/runtime/providers/campaigns.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { templateStore } from '../../../shared/runtime/providers/templates.ts';
import { launchCampaign } from '../../../shared/services/campaigns.ts';

export const handler = httpHandler(
  campaignApi.launchCampaign,
  {
    campaigns: campaignStore,
    triggers: triggerStore,
    templates: templateStore,
    segments: segmentStore,
    lists: listStore,
    settings: settingsStore,
    queue: sqsQueue,
  },
  ({ deps, caller, path }) => launchCampaign(deps, caller, path.campaignId),
);
