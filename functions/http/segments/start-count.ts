import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { startSegmentCount } from '../../../shared/services/segments.ts';

export const handler = httpHandler(
  segmentApi.startSegmentCount,
  { segments: segmentStore, lists: listStore, queue: sqsQueue },
  ({ deps, caller, path }) => startSegmentCount(deps, caller, path.segmentId),
);
