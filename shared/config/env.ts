/**
 * Configuration is read from the environment once per cold start and validated; a missing or
 * wrong variable fails at start with a message naming it.
 */
import * as z from 'zod';
import { TenantId } from '../domain/ids.ts';

/** What every function reads (CDK sets the same variables on each; the local runtime too). */
export const FunctionEnv = z.object({
  TABLE_NAME: z.string().min(3),
  /** Tenant used when the caller's token carries no `custom:tenant` claim. */
  DEFAULT_TENANT: TenantId.default('default'),
  LIST_CLEANUP_QUEUE_URL: z.string().min(1),
});
export type FunctionEnv = z.infer<typeof FunctionEnv>;

/** Parses `env` against a schema, or throws one error naming every bad variable. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid configuration: ${problems}`);
}
