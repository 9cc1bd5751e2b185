/** What every part of the HTTP contract shares: the operation shape, ids, paging, errors. */
import * as z from 'zod';

export interface Operation {
  summary: string;
  path?: z.ZodType;
  query?: z.ZodType;
  /** Request headers the operation reads, with lower-case names. */
  headers?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Success status; 204 operations have no response body. */
  status?: number;
  /** When the operation answers 409, for the OpenAPI document. */
  conflict?: string;
  /** The media type of a response that is not JSON (pages, images, redirects). */
  produces?: string;
}

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id of letters, digits, _ or -');
export const Limit = z.coerce.number().int().min(1).max(500).default(50);
export const Cursor = z.string().max(2048).optional();
export const PageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), cursor: z.string().optional() });
export const PageQuery = z.object({ limit: Limit, cursor: Cursor });

/** Creates that carry this header are idempotent: a repeat returns the first result (200). */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be 1-200 visible ASCII characters')
    .optional(),
});

export const ErrorBody = z.object({
  error: z.object({ message: z.string(), details: z.unknown().optional(), requestId: z.string().optional() }),
});
