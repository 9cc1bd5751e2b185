import { segmentApi } from '../../../shared/api/contract/segments.ts';
import { listStore } from '../../../shared/runtime/providers/lists.ts';
import { segmentStore } from '../../../shared/runtime/providers/segments.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { createSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(
  segmentApi.createSegment,
  { segments: segmentStore, lists: listStore },
  async ({ deps, caller, headers, body }) => {
    const { segment, created } = await createSegment(deps, caller, body, headers['idempotency-key']);
    return new WithStatus(created ? 201 : 200, segment);
  },
);
