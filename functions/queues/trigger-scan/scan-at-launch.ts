import { eventIngestProviders } from '../../../shared/runtime/providers/ingest.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { scanAtLaunch } from '../../../shared/services/triggers.ts';

export const handler = queueHandler('trigger-scan', eventIngestProviders, async (deps, message) => {
  await scanAtLaunch(deps, message);
});
