import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { deleteSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(segmentApi.deleteSegment, { segments: segmentStore }, ({ deps, caller, path }) =>
  deleteSegment(deps, caller, path.segmentId),
);
