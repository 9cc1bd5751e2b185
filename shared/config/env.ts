/**
 * Configuration is read from the environment once per cold start and validated; a missing or
 * wrong variable fails at start with a message naming it.
 */
import * as z from 'zod';

export const BaseEnv = z.object({
  TABLE_NAME: z.string().min(3),
  /** Tenant used when the caller's token carries no `custom:tenant` claim. */
  DEFAULT_TENANT: z.string().regex(/^[a-z0-9-]{1,40}$/).default('default'),
});

export const HttpEnv = BaseEnv.extend({
  LIST_CLEANUP_QUEUE_URL: z.string().min(1),
});
export type HttpEnv = z.infer<typeof HttpEnv>;

export const WorkerEnv = HttpEnv;
export type WorkerEnv = z.infer<typeof WorkerEnv>;


/** Parses `env` against a schema, or throws one error naming every bad variable. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid configuration: ${problems}`);
}
