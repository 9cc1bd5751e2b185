/**
 * Configuration is read from the environment once per cold start and validated; a missing or
 * wrong variable fails at start with a message naming it.
 */
import * as z from 'zod';
import { TenantId } from '../domain/tenant.ts';

/** What every function with table access reads (CDK's bindTable sets it; the local runtime too). */
export const TableEnv = z.object({ TABLE_NAME: z.string().min(3) });

/** What functions that send email read (CDK's bindEmail sets it; absent locally). */
export const EmailEnv = z.object({ EMAIL_CONFIGURATION_SET: z.string().min(1).optional() });

/**
 * What the campaign senders read: the public base URL of the links a message carries
 * (List-Unsubscribe, the unsubscribe and preference tags). The local runtime sets the gateway's.
 */
export const LinksEnv = z.object({ PUBLIC_URL: z.url().default('http://localhost:3000') });

/**
 * What the campaign senders read besides: how long a claim is taken to belong to a sender still
 * at work (default 120 s, twice the senders' function timeout). Tests of the local stack shorten it.
 */
export const SenderEnv = z.object({ CLAIM_IN_FLIGHT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000) });

/**
 * What the webhook functions read: the retry schedule (seconds after each failed attempt,
 * comma-separated; default WEBHOOK_RETRY_SECONDS in shared/domain/webhook.ts), the time a
 * receiver has to answer, and whether http:// to localhost is allowed. Tests of the local stack
 * shorten the first two.
 */
export const WebhookEnv = z.object({
  WEBHOOK_RETRY_SECONDS: z
    .string()
    .regex(/^(\d{1,6}(,\d{1,6}){0,19})?$/, 'must be up to 20 comma-separated whole seconds')
    .transform((s) => (s === '' ? [] : s.split(',').map(Number)))
    .optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(25_000).default(10_000),
  /** http:// to localhost allowed (the local platform sets it; never on AWS). */
  WEBHOOK_ALLOW_LOCAL_HTTP: z.stringbool().default(false),
});

/** Where the tracking secret is: its value (locally) or its Secrets Manager ARN (on AWS). */
export const TrackingEnv = z
  .object({ TRACKING_SECRET: z.string().min(32).optional(), TRACKING_SECRET_ARN: z.string().startsWith('arn:').optional() })
  .refine((e) => e.TRACKING_SECRET !== undefined || e.TRACKING_SECRET_ARN !== undefined, {
    message: 'set TRACKING_SECRET or TRACKING_SECRET_ARN',
    path: ['TRACKING_SECRET_ARN'],
  });

/** What functions that send SMS read (CDK's bindSms sets it): the configuration set whose events are the delivery receipts. */
export const SmsEnv = z.object({ SMS_CONFIGURATION_SET: z.string().min(1).optional() });

/** What every HTTP function reads. */
export const HttpEnv = z.object({
  /** Tenant used when the caller's token carries no `custom:tenant` claim. */
  DEFAULT_TENANT: TenantId.default('default'),
});

/** Parses `env` against a schema, or throws one error naming every bad variable. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid configuration: ${problems}`);
}
