/** Purchase, refund and custom events in. */
import { EventBatch, EventBatchResult } from '../../domain/event.ts';
import type { Operation } from './common.ts';

export const eventApi = {
  ingestEvents: {
    summary: 'Ingest up to 500 purchase, refund or custom events (idempotent by eventId)',
    body: EventBatch,
    response: EventBatchResult,
  },
} as const satisfies Record<string, Operation>;
