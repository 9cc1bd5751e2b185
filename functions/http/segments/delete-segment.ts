import { contract } from '../../../shared/api/contract.ts';
import { segmentStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { deleteSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(contract.deleteSegment, { segments: segmentStore }, ({ deps, caller, path }) =>
  deleteSegment(deps, caller, path.segmentId),
);
