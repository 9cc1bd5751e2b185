/**
 * What ingesting events needs: the contact and its events, the settings (value model), and what
 * the events may set off (the active triggers, their campaigns, segments and the queue) and the
 * conversions they count for the evaluation.
 */
import { campaignStore, sendStore, triggerStore } from './campaigns.ts';
import { contactStore } from './contacts.ts';
import { eventStore } from './events.ts';
import { sqsQueue } from './queue.ts';
import { segmentStore } from './segments.ts';
import { settingsStore } from './settings.ts';
import { webhookStore } from './webhooks.ts';
import { evaluationStore } from './evaluation.ts';

export const eventIngestProviders = {
  contacts: contactStore,
  events: eventStore,
  settings: settingsStore,
  triggers: triggerStore,
  campaigns: campaignStore,
  segments: segmentStore,
  sends: sendStore,
  webhooks: webhookStore,
  queue: sqsQueue,
  evaluation: evaluationStore,
};
