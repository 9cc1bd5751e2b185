/** The ports the trigger-due worker uses: a firing reads the campaign, the contact and its sends, and hands on to the senders. */
import { campaignStore, sendStore, triggerStore } from './campaigns.ts';
import { contactStore } from './contacts.ts';
import { sqsQueue } from './queue.ts';
import { segmentStore } from './segments.ts';
import { settingsStore } from './settings.ts';
import { webhookStore } from './webhooks.ts';

export const triggerDueProviders = {
  triggers: triggerStore,
  campaigns: campaignStore,
  contacts: contactStore,
  sends: sendStore,
  settings: settingsStore,
  segments: segmentStore,
  queue: sqsQueue,
  webhooks: webhookStore,
};
