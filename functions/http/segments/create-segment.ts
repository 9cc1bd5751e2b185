import { contract } from '../../../shared/api/contract.ts';
import { listStore, segmentStore } from '../../../shared/runtime/deps.ts';
import { WithStatus, httpHandler } from '../../../shared/runtime/http-handler.ts';
import { createSegment } from '../../../shared/services/segments.ts';

export const handler = httpHandler(
  contract.createSegment,
  { segments: segmentStore, lists: listStore },
  async ({ deps, caller, headers, body }) => {
    const { segment, created } = await createSegment(deps, caller, body, headers['idempotency-key']);
    return new WithStatus(created ? 201 : 200, segment);
  },
);
