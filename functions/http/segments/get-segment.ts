import { contract } from '../../../shared/api/contract.ts';
import { segmentStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(contract.getSegment, { segments: segmentStore }, ({ deps, caller, path }) =>
  getSegment(deps, caller, path.segmentId),
);
