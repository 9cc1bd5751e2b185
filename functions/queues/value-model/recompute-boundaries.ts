import { contactStore } from '../../../shared/runtime/providers/contacts.ts';
import { settingsStore } from '../../../shared/runtime/providers/settings.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { recomputeBoundaries } from '../../../shared/services/value-model.ts';

export const handler = queueHandler('value-model', { contacts: contactStore, settings: settingsStore }, async (deps, message) => {
  await recomputeBoundaries(deps, message.tenantId);
});
