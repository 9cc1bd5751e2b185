import { contactStore, importStore } from '../../shared/runtime/deps.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { expireStaleImports } from '../../shared/services/imports.ts';

export const handler = scheduledHandler({ imports: importStore, contacts: contactStore }, async (deps) => ({
  abandoned: await expireStaleImports(deps),
}));
