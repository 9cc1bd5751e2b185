/**
 * Schemas that validate loosely (each item on its own, for per-item errors) but are documented
 * as one of several precise schemas. The OpenAPI generator reads this map; nothing here
 * converts to JSON Schema, so a function's bundle does not carry that work at load.
 */
import type * as z from 'zod';

export const documentedAs = new WeakMap<object, z.ZodType[]>();
