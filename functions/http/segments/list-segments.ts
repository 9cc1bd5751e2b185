import { contract } from '../../../shared/api/contract.ts';
import { segmentStore } from '../../../shared/runtime/deps.ts';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';

/** Thin CRUD read: straight to the repository. */
export const handler = httpHandler(contract.listSegments, { segments: segmentStore }, ({ deps, caller, query }) =>
  deps.segments.list(caller.tenantId, query.limit, query.cursor),
);
