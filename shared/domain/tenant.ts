/** The workspace id, pure and browser-safe (shared/domain/ids.ts, which derives ids, needs node:crypto). */
import * as z from 'zod';

/** A workspace id: it leads every key, so it is kept to lower-case letters, digits and dashes. */
export const TenantId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1-40 lower-case letters, digits or dashes');
