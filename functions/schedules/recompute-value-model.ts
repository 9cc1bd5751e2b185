import { settingsStore, sqsQueue } from '../../shared/runtime/deps.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { recomputeAllBoundaries } from '../../shared/services/value-model.ts';

export const handler = scheduledHandler({ settings: settingsStore, queue: sqsQueue }, (deps) => recomputeAllBoundaries(deps));
