import { contactStore, settingsStore } from '../../shared/runtime/deps.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { recomputeAllBoundaries } from '../../shared/services/value-model.ts';

export const handler = scheduledHandler({ contacts: contactStore, settings: settingsStore }, (deps) => recomputeAllBoundaries(deps));
