import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { sqsQueue } from '../../../shared/runtime/providers/queue.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getSegmentCount } from '../../../shared/services/segments.ts';

export const handler = httpHandler(segmentApi.getSegmentCount, { segments: segmentStore, queue: sqsQueue }, ({ deps, caller, path }) =>
  getSegmentCount(deps, caller, path.segmentId, path.countId),
);
