import { triggerDueProviders } from '../../../shared/runtime/providers/triggers.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { runDue } from '../../../shared/services/triggers.ts';

export const handler = queueHandler('trigger-due', triggerDueProviders, async (deps, message) => {
  await runDue(deps, message);
});
