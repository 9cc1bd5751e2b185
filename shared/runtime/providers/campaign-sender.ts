/** What both campaign senders need besides their channel's port (campaign-email, campaign-sms). */
import { LinksEnv, loadEnv, SenderEnv } from '../../config/env.ts';
import { campaignStore, sendStore } from './campaigns.ts';
import { contactStore } from './contacts.ts';
import { dynamoPacer } from './pacer.ts';
import { sqsQueue } from './queue.ts';
import { settingsStore } from './settings.ts';
import { templateStore } from './templates.ts';
import { suppressionStore } from './suppressions.ts';
import { trackingTokens } from './tokens.ts';
import { webhookStore } from './webhooks.ts';

export const senderProviders = {
  campaigns: campaignStore,
  sends: sendStore,
  contacts: contactStore,
  templates: templateStore,
  settings: settingsStore,
  pacer: dynamoPacer,
  suppressions: suppressionStore,
  tokens: trackingTokens,
  queue: sqsQueue,
  webhooks: webhookStore,
};

/** The senders' options from the environment, read once per cold start. */
export const senderOptions = () => ({ publicUrl: loadEnv(LinksEnv).PUBLIC_URL, claimInFlightMs: loadEnv(SenderEnv).CLAIM_IN_FLIGHT_MS });
