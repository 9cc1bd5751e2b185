import { contract } from '../../../shared/api/contract.ts';
import { listStore, segmentStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { updateSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(contract.updateSegment, { segments: segmentStore, lists: listStore }, ({ deps, caller, path, body }) =>
  updateSegment(deps, caller, path.segmentId, body),
);
