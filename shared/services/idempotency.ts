/** Creates that an Idempotency-Key makes safe to repeat. */
import { Conflict } from '../domain/errors.ts';
import { derivedId } from '../domain/ids.ts';

/**
 * Runs a conditional create. When the id came from an idempotency key and the item already
 * exists, the request is a repeat: the existing item is returned with `created: false`.
 */
export async function createOnce<T>(
  create: () => Promise<T>,
  existing: () => Promise<T>,
  idempotencyKey?: string,
): Promise<{ value: T; created: boolean }> {
  try {
    return { value: await create(), created: true };
  } catch (error) {
    if (!(error instanceof Conflict) || !idempotencyKey) throw error;
    return { value: await existing(), created: false };
  }
}

/**
 * The id of a new resource: derived from the idempotency key when there is one (so a repeat
 * finds the first one's item), fresh otherwise. `ls_…`, `sg_…`, `im_…`.
 */
export function newResourceId(prefix: string, kind: string, tenantId: string, freshId: () => string, idempotencyKey?: string): string {
  return idempotencyKey ? derivedId(prefix, tenantId, kind, idempotencyKey) : `${prefix}_${freshId()}`;
}
