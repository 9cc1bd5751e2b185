import { contactStore } from '../../shared/runtime/providers/contacts.ts';
import { importStore } from '../../shared/runtime/providers/imports.ts';
import { scheduledHandler } from '../../shared/runtime/queue-handler.ts';
import { expireStaleImports } from '../../shared/services/imports.ts';

export const handler = scheduledHandler({ imports: importStore, contacts: contactStore }, async (deps) => ({
  abandoned: await expireStaleImports(deps),
}));
