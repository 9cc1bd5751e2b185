import { campaignStore, sendStore } from '../../../shared/runtime/providers/campaigns.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { controlStep } from '../../../shared/services/campaign-control.ts';

export const handler = queueHandler(
  'campaign-control',
  { campaigns: campaignStore, sends: sendStore, queue: sqsQueue },
  async (deps, message) => {
    await controlStep(deps, message);
  },
);
