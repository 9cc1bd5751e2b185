import { createSqsQueue } from '../../aws/queue.ts';
import { once } from '../provide.ts';

export const sqsQueue = /* @__PURE__ */ once(() => createSqsQueue());
