/**
 * Outbound webhooks: a workspace subscribes an HTTPS endpoint to some of Herald's facts (a message
 * sent, delivered, opened…), and every such fact is POSTed to it as a signed JSON envelope,
 * retried with backoff, dead-lettered after the last attempt (docs/webhooks.md).
 *
 * Pure: schemas, the signature (HMAC-SHA256 over `<t>.<body>`, in the style of Stripe and
 * Standard Webhooks), its verification for receivers, the retry schedule, the event id.
 */
import * as z from 'zod';
import type { SendRecord } from './campaign.ts';
import { Channel } from './contact.ts';
import { TenantId } from './tenant.ts';

/** Every fact a workspace can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'message.sent',
  'message.delivered',
  'message.bounced',
  'message.complained',
  'message.opened',
  'message.clicked',
  'message.unsubscribed',
  'message.converted',
  'nps.answered',
  'trigger.fired',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** The ping `POST /webhooks/{id}/test` sends; nobody subscribes to it. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** Subscriptions per workspace: bounds the fan-out of one fact and the list every publisher caches. */
export const MAX_WEBHOOKS = 20;

/** Hosts an `http:` URL may name: a receiver on the developer's own machine (the local platform). */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An endpoint URL: `https:`, or `http:` to localhost / 127.0.0.1 / [::1] only, so a receiver on a
 * laptop works with `npm start`. Only the local platform allows the latter (isLocalHttp): on AWS
 * plain http to the function's own loopback would reach the Lambda runtime API.
 */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2048)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a URL' });
      return;
    }
    if (url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) return;
    ctx.addIssue({ code: 'custom', message: 'must be an https:// URL (http:// only to localhost or 127.0.0.1)' });
  });

/** Whether a URL is plain http (which WebhookUrl allows to loopback hosts only). */
export const isLocalHttp = (url: string) => url.startsWith('http:');

/** The 400 for such a URL where the local exception does not apply. */
export const LOCAL_HTTP_REFUSED = 'must be an https:// URL (http:// to localhost only on the local platform)';

/** What a subscription listens to: some event types, or `['*']` for all of them (new ones included). */
export const WebhookEvents = z
  .array(z.enum([...WEBHOOK_EVENT_TYPES, '*']))
  .min(1, 'name at least one event type, or "*"')
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((events) => !events.includes('*') || events.length === 1, { message: '"*" stands alone' })
  .transform((events) => [...new Set(events)].sort());
export type WebhookEvents = z.output<typeof WebhookEvents>;

/** A stored subscription. `secret` signs its deliveries; `previousSecret` too, until it expires (rotation). */
export const WebhookSubscription = z.object({
  webhookId: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().optional(),
  enabled: z.boolean(),
  secret: z.string(),
  previousSecret: z.string().optional(),
  previousSecretExpiresAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Incremented on every change; a change is saved only over the version read. */
  version: z.number().int(),
});
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;

/** A subscription as the API shows it: the secret only masked. */
export const WebhookView = WebhookSubscription.omit({ secret: true, previousSecret: true, previousSecretExpiresAt: true }).extend({
  /** `whsec_…` and the last 4 characters, to tell secrets apart. */
  maskedSecret: z.string(),
  /** Until then deliveries also carry a signature with the secret before the last rotation. */
  previousSecretExpiresAt: z.iso.datetime().optional(),
});
export type WebhookView = z.infer<typeof WebhookView>;

/** On create and on rotation only: the secret itself. */
export const WebhookWithSecret = WebhookView.extend({ secret: z.string() });
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

const Description = z.string().trim().max(500);

export const CreateWebhook = z.strictObject({
  url: WebhookUrl,
  events: WebhookEvents,
  description: Description.optional(),
  enabled: z.boolean().default(true),
});
export type CreateWebhook = z.input<typeof CreateWebhook>;

export const UpdateWebhook = z
  .strictObject({ url: WebhookUrl, events: WebhookEvents, description: Description, enabled: z.boolean() })
  .partial()
  .refine((u) => Object.keys(u).length > 0, { message: 'give a url, events, description or enabled to change', path: ['url'] });
export type UpdateWebhook = z.input<typeof UpdateWebhook>;

/** The JSON body of every delivery. `id` is the same for every delivery of one fact: receivers dedupe by it. */
export const WebhookEvent = z.object({
  id: z.string().min(1).max(100),
  type: z.union([WebhookEventType, z.literal(TEST_EVENT_TYPE)]),
  occurredAt: z.iso.datetime(),
  workspaceId: TenantId,
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/**
 * The data of the `message.*` events: which send (campaign and contact) it was about. A receiver
 * that needs the contact's address reads `GET /contacts/{contactId}`: webhooks carry ids, not PII.
 */
export const MessageEventData = z.object({
  sendId: z.string(),
  campaignId: z.string(),
  contactId: z.string(),
  channel: Channel,
  variant: z.string().optional(),
  messageId: z.string().optional(),
  /** message.bounced: Permanent, Undetermined (email) or the SMS failure event. */
  bounceType: z.string().optional(),
  /** message.clicked: which tracked link (its index in the message) and where it led. */
  link: z.object({ index: z.number().int(), url: z.string() }).optional(),
  /** message.clicked: the recipient's first click on this message. */
  unique: z.boolean().optional(),
});
export type MessageEventData = z.infer<typeof MessageEventData>;

/** The data of a message event from its send record; `extra` fields left undefined are left out. */
export function messageEventData(
  record: SendRecord,
  extra: { [K in keyof MessageEventData]?: MessageEventData[K] | undefined } = {},
): MessageEventData {
  const given = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined));
  return {
    sendId: record.sendId,
    campaignId: record.campaignId,
    contactId: record.contactId,
    channel: record.channel ?? 'email',
    ...(record.variant ? { variant: record.variant } : {}),
    ...(record.messageId ? { messageId: record.messageId } : {}),
    ...given,
  };
}

/** A fact to publish: `key` names it deterministically (`<sendId>:delivered`), so a replayed caller gives the same event id. */
export interface WebhookFact {
  type: WebhookEventType;
  key: string;
  data: Record<string, unknown>;
  occurredAt?: string;
}

/** Whether a subscription listens to an event type. */
export const listensTo = (subscription: Pick<WebhookSubscription, 'events' | 'enabled'>, type: string) =>
  subscription.enabled && (subscription.events.includes('*') || subscription.events.includes(type));

/** A queued delivery: one event to one subscription, its attempt number and, for waits past SQS's 15 minutes, when it is due. */
export const WebhookDelivery = z.object({
  tenantId: TenantId,
  webhookId: z.string().min(1),
  event: WebhookEvent,
  /** The attempt this message is for: 1 the first time. */
  attempt: z.number().int().min(1),
  /** Not before (a retry more than 900 s away hops through the queue until then). */
  dueAt: z.iso.datetime().optional(),
  /** What the previous attempt got. */
  lastStatus: z.number().int().optional(),
  lastError: z.string().max(500).optional(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** A delivery that exhausted its attempts (or found its subscription disabled), kept until redriven or deleted. */
export const WebhookDeadLetter = z.object({
  webhookId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  event: WebhookEvent,
  attempts: z.number().int(),
  lastStatus: z.number().int().optional(),
  lastError: z.string().optional(),
  failedAt: z.iso.datetime(),
});
export type WebhookDeadLetter = z.infer<typeof WebhookDeadLetter>;

/** What a test delivery got: the receiver's status and the time to its answer, or why there was none. */
export const WebhookTestResult = z.object({
  eventId: z.string(),
  delivered: z.boolean(),
  status: z.number().int().optional(),
  latencyMs: z.number().int(),
  error: z.string().optional(),
});
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;

// ---------------------------------------------------------------------------------------------
// Secrets and signatures (signing and verifying are in webhook-signing.ts: node:crypto)

export const maskSecret = (secret: string) => `whsec_…${secret.slice(-4)}`;

export const SIGNATURE_HEADER = 'Herald-Signature';
export const EVENT_ID_HEADER = 'Herald-Event-Id';
export const EVENT_TYPE_HEADER = 'Herald-Event-Type';

/** The secrets a delivery at `now` is signed with: the current one, and the previous one until it expires. */
export function signingSecrets(subscription: WebhookSubscription, now: Date): string[] {
  const previous =
    subscription.previousSecret && subscription.previousSecretExpiresAt && Date.parse(subscription.previousSecretExpiresAt) > now.getTime()
      ? [subscription.previousSecret]
      : [];
  return [subscription.secret, ...previous];
}

// ---------------------------------------------------------------------------------------------
// Retries

/**
 * Seconds between attempts: the first attempt at once, then up to 8 retries after 10 s, 30 s,
 * 2 min, 10 min, 30 min, 1 h, 3 h and 6 h (9 attempts over 10 h 43 min), the same for every
 * delivery (no jitter: failures of one receiver are spread by the facts' own times).
 */
export const WEBHOOK_RETRY_SECONDS: readonly number[] = [10, 30, 120, 600, 1800, 3600, 10_800, 21_600];

/** SQS holds a message back at most this long; a longer wait re-queues itself in hops of at most this. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** The wait after failed attempt number `attempt` (1-based) before the next, or undefined when it was the last. */
export function retryDelaySeconds(attempt: number, schedule: readonly number[] = WEBHOOK_RETRY_SECONDS): number | undefined {
  return Number.isInteger(attempt) && attempt >= 1 && attempt <= schedule.length ? schedule[attempt - 1] : undefined;
}

/** The next hop of a wait until `dueAt`: its delay (at most 900 s), or 0 when it is (within a second of) due. */
export function hopSeconds(dueAt: string | undefined, now: Date): number {
  if (!dueAt) return 0;
  const left = Math.ceil((Date.parse(dueAt) - now.getTime()) / 1000);
  return left <= 1 ? 0 : Math.min(MAX_QUEUE_DELAY_SECONDS, left);
}
