/**
 * Typed clients for the campaign pages (and the trigger pages, which are campaigns too): the
 * campaigns themselves, and what a campaign refers to (segments, lists, templates, the workspace's
 * sending settings), each from its contract module.
 */
import { campaignApi } from '@shared/api/contract/campaigns.ts';
import { listApi } from '@shared/api/contract/lists.ts';
import { segmentApi } from '@shared/api/contract/segments.ts';
import { settingsApi } from '@shared/api/contract/settings.ts';
import { templateApi } from '@shared/api/contract/templates.ts';
import type { Campaign } from '@shared/domain/campaign.ts';
import { queryOptions } from '@tanstack/react-query';
import { apiOf } from '../../api/client.ts';

export const campaigns = apiOf(campaignApi);
export const segments = apiOf(segmentApi);
export const lists = apiOf(listApi);
export const templates = apiOf(templateApi);
export const settings = apiOf(settingsApi);

/** At most this many campaigns are read for the list pages (pages of 500, the API's largest). */
export const MOST_CAMPAIGNS = 5000;

/**
 * Every campaign, newest first. The API lists oldest first in pages; the pages read them all (a
 * workspace has hundreds, not millions) so they can show the newest first and filter by status.
 * Keyed under listCampaigns, so invalidating that operation refreshes it.
 */
export const allCampaigns = () =>
  queryOptions({
    queryKey: [campaigns.listCampaigns.operationId, 'all'] as const,
    queryFn: async ({ signal }) => {
      const items: Campaign[] = [];
      let cursor: string | undefined;
      do {
        const page = await campaigns.listCampaigns({ query: { limit: 500, ...(cursor ? { cursor } : {}) } }, { signal });
        items.push(...page.items);
        cursor = page.cursor;
      } while (cursor && items.length < MOST_CAMPAIGNS);
      return { items: items.reverse(), truncated: cursor !== undefined };
    },
  });
