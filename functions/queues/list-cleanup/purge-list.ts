import { listStore, sqsQueue } from '../../../shared/runtime/deps.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { purgeDeletedList } from '../../../shared/services/lists.ts';

export const handler = queueHandler('list-cleanup', { lists: listStore, queue: sqsQueue }, (deps, message) =>
  purgeDeletedList(deps, message),
);
