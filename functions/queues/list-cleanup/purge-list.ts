import { queueHandler } from '../../../shared/http/queue-handler.ts';
import { ListCleanupMessage } from '../../../shared/api/messages.ts';
import { purgeDeletedList } from '../../../shared/services/lists.ts';

export const handler = queueHandler(ListCleanupMessage, (deps, message) => purgeDeletedList(deps, message));
