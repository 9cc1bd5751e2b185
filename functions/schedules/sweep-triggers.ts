import { triggerStore } from '../../shared/runtime/providers/campaigns.ts';
import { sqsQueue } from '../../shared/runtime/providers/queue.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { sweepDue } from '../../shared/services/triggers.ts';

export const handler = scheduledHandler({ triggers: triggerStore, queue: sqsQueue }, (deps) => sweepDue(deps));
