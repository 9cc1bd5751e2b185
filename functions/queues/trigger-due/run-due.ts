import { campaignStore, sendStore, triggerStore } from '../../../shared/runtime/providers/campaigns.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { runDue } from '../../../shared/services/triggers.ts';
import { webhookStore } from '../../../shared/runtime/providers/webhooks.ts';

export const handler = queueHandler(
  'trigger-due',
  {
    triggers: triggerStore,
    campaigns: campaignStore,
    contacts: contactStore,
    sends: sendStore,
    settings: settingsStore,
    segments: segmentStore,
    queue: sqsQueue,
    webhooks: webhookStore,
  },
  async (deps, message) => {
    await runDue(deps, message);
  },
);
