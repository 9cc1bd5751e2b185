import { contract } from '../../../shared/api/contract.ts';
import { segmentStore, sqsQueue } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getSegmentCount } from '../../../shared/services/segments.ts';

export const handler = httpHandler(contract.getSegmentCount, { segments: segmentStore, queue: sqsQueue }, ({ deps, caller, path }) =>
  getSegmentCount(deps, caller, path.segmentId, path.countId),
);
