import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { getSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(segmentApi.getSegment, { segments: segmentStore }, ({ deps, caller, path }) =>
  getSegment(deps, caller, path.segmentId),
);
