import { campaignStore } from '../../shared/runtime/providers/campaigns.ts';
import { evaluationStore } from '../../shared/runtime/providers/evaluation.ts';
import { sqsQueue } from '../../shared/runtime/providers/queue.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { startDueCampaigns } from '../../shared/services/campaigns.ts';

export const handler = scheduledHandler({ campaigns: campaignStore, queue: sqsQueue, evaluation: evaluationStore }, (deps) =>
  startDueCampaigns(deps),
);
