import { sqsQueue } from '../../shared/runtime/providers/queue.ts';
import { settingsStore } from '../../shared/runtime/providers/settings.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { recomputeAllBoundaries } from '../../shared/services/value-model.ts';

export const handler = scheduledHandler({ settings: settingsStore, queue: sqsQueue }, (deps) => recomputeAllBoundaries(deps));
