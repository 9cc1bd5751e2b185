/** Campaigns: drafts, launch and the status machine, live counts, recipients. */
import * as z from 'zod';
import { Campaign, CampaignCounts, CreateCampaign, SendRecord, SendStatus, UpdateCampaign } from '../../domain/campaign.ts';
import { Cursor, Id, IdempotencyHeaders, Limit, type Operation, PageOf } from './common.ts';

export const CampaignPage = PageOf(Campaign);
export const CampaignView = Campaign.extend({ counts: CampaignCounts });
export const RecipientPage = PageOf(SendRecord);
const CampaignPath = z.object({ campaignId: Id });
const launched = 'The campaign is not in a status that allows this (the message names it), or it was changed meanwhile';

export const campaignApi = {
  createCampaign: {
    summary: 'Save a campaign draft: channel, variants, audience, holdout, schedule and limits (idempotent with an Idempotency-Key header)',
    headers: IdempotencyHeaders,
    body: CreateCampaign,
    response: Campaign,
    status: 201,
  },
  listCampaigns: { summary: 'List campaigns, oldest first', query: z.object({ limit: Limit, cursor: Cursor }), response: CampaignPage },
  getCampaign: { summary: 'A campaign with its live counts', path: CampaignPath, response: CampaignView },
  updateCampaign: {
    summary: 'Change a draft (a launched campaign cannot be edited)',
    path: CampaignPath,
    body: UpdateCampaign,
    response: Campaign,
    conflict: launched,
  },
  deleteCampaign: { summary: 'Delete a draft', path: CampaignPath, status: 204, conflict: launched },
  launchCampaign: {
    summary: 'Launch a draft: sending now, or scheduled; checks templates, audience and sender identity first',
    path: CampaignPath,
    response: Campaign,
    status: 202,
    conflict: launched,
  },
  pauseCampaign: { summary: 'Pause sending (within a batch)', path: CampaignPath, response: Campaign, conflict: launched },
  resumeCampaign: { summary: 'Resume a paused campaign where it stopped', path: CampaignPath, response: Campaign, conflict: launched },
  cancelCampaign: { summary: 'Cancel: nothing more is sent', path: CampaignPath, response: Campaign, conflict: launched },
  listRecipients: {
    summary: "A campaign's recipients and what happened to each, optionally of one status",
    path: CampaignPath,
    query: z.object({ status: SendStatus.optional(), limit: Limit, cursor: Cursor }),
    response: RecipientPage,
  },
} as const satisfies Record<string, Operation>;
