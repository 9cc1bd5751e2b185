/**
 * What recording an NPS answer needs: the contact (attributes), its events (the answer as an
 * event, triggers on it), the follow-up list, the send records and campaigns (which survey), and
 * the webhooks. The score links add the tracking tokens.
 */
import { campaignStore, sendStore, triggerStore } from './campaigns.ts';
import { contactStore } from './contacts.ts';
import { eventStore } from './events.ts';
import { listStore } from './lists.ts';
import { sqsQueue } from './queue.ts';
import { segmentStore } from './segments.ts';
import { settingsStore } from './settings.ts';
import { trackingTokens } from './tokens.ts';
import { webhookStore } from './webhooks.ts';
import { evaluationStore } from './evaluation.ts';

export const npsAnswerProviders = {
  contacts: contactStore,
  events: eventStore,
  settings: settingsStore,
  segments: segmentStore,
  triggers: triggerStore,
  lists: listStore,
  sends: sendStore,
  campaigns: campaignStore,
  queue: sqsQueue,
  webhooks: webhookStore,
  evaluation: evaluationStore,
};

export const npsLinkProviders = { ...npsAnswerProviders, tokens: trackingTokens };
