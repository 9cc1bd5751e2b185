import { contract } from '../../../shared/api/contract.ts';
import { listStore, segmentStore, sqsQueue } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { startSegmentCount } from '../../../shared/services/segments.ts';

export const handler = httpHandler(
  contract.startSegmentCount,
  { segments: segmentStore, lists: listStore, queue: sqsQueue },
  ({ deps, caller, path }) => startSegmentCount(deps, caller, path.segmentId),
);
