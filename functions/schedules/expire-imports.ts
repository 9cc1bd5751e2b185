import { scheduledHandler } from '../../shared/http/queue-handler.ts';
import { expireStaleImports } from '../../shared/services/imports.ts';

export const handler = scheduledHandler(async (deps) => ({ abandoned: await expireStaleImports(deps) }));
