import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { queueHandler } from '../../../shared/runtime/queue-handler.ts';
import { purgeDeletedList } from '../../../shared/services/lists.ts';

export const handler = queueHandler('list-cleanup', { lists: listStore, queue: sqsQueue }, (deps, message) =>
  purgeDeletedList(deps, message),
);
