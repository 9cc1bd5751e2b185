import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';

/** Thin CRUD read: straight to the repository. */
export const handler = httpHandler(segmentApi.listSegments, { segments: segmentStore }, ({ deps, caller, query }) =>
  deps.segments.list(caller.tenantId, query.limit, query.cursor),
);
