import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { updateSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(segmentApi.updateSegment, { segments: segmentStore, lists: listStore }, ({ deps, caller, path, body }) =>
  updateSegment(deps, caller, path.segmentId, body),
);
