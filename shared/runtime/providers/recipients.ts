/**
 * What the recipient-facing routes need: tokens, the send records, campaigns (names, counters),
 * contacts (consent), and the webhook subscriptions and queue (opens, clicks, unsubscribes).
 */
import { campaignStore, sendStore } from './campaigns.ts';
import { contactStore } from './contacts.ts';
import { sqsQueue } from './queue.ts';
import { trackingTokens } from './tokens.ts';
import { webhookStore } from './webhooks.ts';

export const recipientProviders = {
  tokens: trackingTokens,
  sends: sendStore,
  campaigns: campaignStore,
  contacts: contactStore,
  webhooks: webhookStore,
  queue: sqsQueue,
};
