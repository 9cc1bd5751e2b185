import { campaignStore, sendStore } from '../../../shared/runtime/providers/campaigns.ts';
import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { resolveAudienceStep } from '../../../shared/services/campaign-audience.ts';

export const handler = queueHandler(
  'campaign-audience',
  { campaigns: campaignStore, sends: sendStore, contacts: contactStore, segments: segmentStore, settings: settingsStore, queue: sqsQueue },
  async (deps, message) => {
    await resolveAudienceStep(deps, message);
  },
);
