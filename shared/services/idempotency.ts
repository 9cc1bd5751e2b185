/** Creates that an Idempotency-Key makes safe to repeat. */
import { Conflict } from '../domain/errors.ts';

/**
 * Runs a conditional create. When the id came from an idempotency key and the item already
 * exists, the request is a repeat: the existing item is returned with `created: false`.
 */
export async function createOnce<T>(create: () => Promise<T>, existing: () => Promise<T>, idempotencyKey?: string): Promise<{ value: T; created: boolean }> {
  try {
    return { value: await create(), created: true };
  } catch (error) {
    if (!(error instanceof Conflict) || !idempotencyKey) throw error;
    return { value: await existing(), created: false };
  }
}
