import { campaignStore, triggerStore } from '../../../shared/runtime/providers/campaigns.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { scanForStage } from '../../../shared/services/triggers.ts';

export const handler = queueHandler(
  'trigger-scan',
  { triggers: triggerStore, campaigns: campaignStore, contacts: contactStore, settings: settingsStore, queue: sqsQueue },
  async (deps, message) => {
    await scanForStage(deps, message);
  },
);
