import { evaluationStore } from '../../shared/runtime/providers/evaluation.ts';
import { sqsQueue } from '../../shared/runtime/providers/queue.ts';
import { settingsStore } from '../../shared/runtime/providers/settings.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { requestAllRuns } from '../../shared/services/evaluation.ts';

export const handler = scheduledHandler({ settings: settingsStore, evaluation: evaluationStore, queue: sqsQueue }, (deps) =>
  requestAllRuns(deps),
);
