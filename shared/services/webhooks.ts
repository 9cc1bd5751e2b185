/**
 * Outbound webhooks (docs/webhooks.md): a workspace's subscriptions, the publication of facts to
 * them, their delivery with retries, the dead-letter list, and a synchronous test delivery.
 *
 * Publication is cheap when nobody subscribes: each container keeps a workspace's subscriptions
 * for SUBSCRIPTIONS_CACHE_MS, so a fact costs no I/O at all then, and one queue message per
 * listening subscription otherwise. A subscription created or changed elsewhere is seen by a warm
 * publisher within that time.
 *
 * Delivery is at least once: a fact's event id is derived from the caller's deterministic key
 * (`<sendId>:delivered`), so a replayed caller, a redelivered queue message or a redrive carries
 * the same id, and receivers dedupe by it.
 */
import { Conflict, DomainError, NotFound, ValidationFailed } from '../domain/errors.ts';
import {
  CreateWebhook,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  listensTo,
  MAX_QUEUE_DELAY_SECONDS,
  MAX_WEBHOOKS,
  maskSecret,
  retryDelaySeconds,
  hopSeconds,
  isLocalHttp,
  LOCAL_HTTP_REFUSED,
  SIGNATURE_HEADER,
  signingSecrets,
  TEST_EVENT_TYPE,
  UpdateWebhook,
  type WebhookDeadLetter,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookFact,
  type WebhookSubscription,
  type WebhookTestResult,
  type WebhookView,
  type WebhookWithSecret,
} from '../domain/webhook.ts';
import { newWebhookSecret, signatureHeader, webhookEventId } from '../domain/webhook-signing.ts';
import type { Caller, Deps, Page, WebhookStore } from '../runtime/ports.ts';
import { createOnce, newResourceId } from './idempotency.ts';

/** How long a container keeps a workspace's subscriptions before reading them again. */
export const SUBSCRIPTIONS_CACHE_MS = 30_000;

/** How a delivery is retried, how long a receiver has to answer, whether http://localhost is allowed (WebhookEnv). */
export interface WebhookDeliveryOptions {
  retrySeconds: readonly number[];
  timeoutMs: number;
  /** Only on the local platform: on AWS, plain http to loopback would reach the Lambda runtime API. */
  allowLocalHttp?: boolean;
}

/** Where http:// is allowed: the options' say, on the local platform only. */
export type UrlOptions = Pick<WebhookDeliveryOptions, 'allowLocalHttp'>;

function assertUrlAllowed(url: string | undefined, options: UrlOptions) {
  if (url !== undefined && isLocalHttp(url) && !options.allowLocalHttp)
    throw new ValidationFailed([{ field: 'body.url', message: LOCAL_HTTP_REFUSED }]);
}

const view = (s: WebhookSubscription): WebhookView => ({
  webhookId: s.webhookId,
  url: s.url,
  events: s.events,
  ...(s.description ? { description: s.description } : {}),
  enabled: s.enabled,
  maskedSecret: maskSecret(s.secret),
  ...(s.previousSecretExpiresAt ? { previousSecretExpiresAt: s.previousSecretExpiresAt } : {}),
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  version: s.version,
});
const withSecret = (s: WebhookSubscription): WebhookWithSecret => ({ ...view(s), secret: s.secret });

// ---------------------------------------------------------------------------------------------
// Subscriptions

/** Per store (a container's, or one test's fakes), per workspace: its subscriptions, kept briefly. */
const cache = new WeakMap<WebhookStore, Map<string, { subscriptions: Promise<WebhookSubscription[]>; until: number }>>();

function subscriptionsOf(deps: Pick<Deps, 'webhooks' | 'now'>, tenantId: string): Promise<WebhookSubscription[]> {
  const byTenant = cache.get(deps.webhooks) ?? new Map();
  cache.set(deps.webhooks, byTenant);
  const now = deps.now().getTime();
  const hit = byTenant.get(tenantId);
  if (hit && hit.until > now) return hit.subscriptions;
  // One read for concurrent publishers; a failed read is not kept.
  const subscriptions = deps.webhooks.list(tenantId, MAX_WEBHOOKS * 5).then((page) => page.items);
  subscriptions.catch(() => byTenant.delete(tenantId));
  if (byTenant.size > 1000) byTenant.clear();
  byTenant.set(tenantId, { subscriptions, until: now + SUBSCRIPTIONS_CACHE_MS });
  return subscriptions;
}

/** Whether anyone listens to this type in the workspace (cached as publishing is): lets a publisher skip the reads a fact would need. */
export async function hasSubscribers(deps: Pick<Deps, 'webhooks' | 'now'>, tenantId: string, type: WebhookEventType): Promise<boolean> {
  return (await subscriptionsOf(deps, tenantId)).some((s) => listensTo(s, type));
}

/** A change made here is seen here at once (locally, every function shares one store). */
const forget = (deps: Pick<Deps, 'webhooks'>, tenantId: string) => cache.get(deps.webhooks)?.delete(tenantId);

async function requireWebhook(deps: Pick<Deps, 'webhooks'>, caller: Caller, webhookId: string): Promise<WebhookSubscription> {
  const found = await deps.webhooks.get(caller.tenantId, webhookId);
  if (!found) throw new NotFound(`webhook ${webhookId}`);
  return found;
}

/**
 * Subscribes an endpoint. The secret is generated here and shown in this answer (and on
 * rotation) only. With an Idempotency-Key a repeat answers the first subscription (200).
 */
export async function createWebhook(
  deps: Pick<Deps, 'webhooks' | 'now' | 'newId'>,
  caller: Caller,
  input: CreateWebhook,
  idempotencyKey?: string,
  options: UrlOptions = {},
): Promise<{ webhook: WebhookWithSecret; created: boolean }> {
  const parsed = CreateWebhook.parse(input);
  assertUrlAllowed(parsed.url, options);
  const webhookId = newResourceId('wh', 'webhook', caller.tenantId, deps.newId, idempotencyKey);
  const repeat = idempotencyKey ? await deps.webhooks.get(caller.tenantId, webhookId) : undefined;
  if (repeat) return { webhook: withSecret(repeat), created: false };
  const existing = await deps.webhooks.list(caller.tenantId, MAX_WEBHOOKS);
  if (existing.items.length >= MAX_WEBHOOKS) throw new DomainError(409, `a workspace has at most ${MAX_WEBHOOKS} webhooks`);
  const now = deps.now().toISOString();
  const subscription: WebhookSubscription = {
    webhookId,
    url: parsed.url,
    events: parsed.events,
    ...(parsed.description ? { description: parsed.description } : {}),
    enabled: parsed.enabled,
    secret: newWebhookSecret(),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const { value, created } = await createOnce(
    () => deps.webhooks.create(caller.tenantId, subscription).then(() => subscription),
    () => requireWebhook(deps, caller, webhookId),
    idempotencyKey,
  );
  forget(deps, caller.tenantId);
  return { webhook: withSecret(value), created };
}

export async function listWebhooks(
  deps: Pick<Deps, 'webhooks'>,
  caller: Caller,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<WebhookView>> {
  const page = await deps.webhooks.list(caller.tenantId, query.limit, query.cursor);
  return { items: page.items.map(view), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

export async function getWebhook(deps: Pick<Deps, 'webhooks'>, caller: Caller, webhookId: string): Promise<WebhookView> {
  return view(await requireWebhook(deps, caller, webhookId));
}

/** Changes the URL, events, description or enabled flag; the version goes up by one. */
export async function updateWebhook(
  deps: Pick<Deps, 'webhooks' | 'now'>,
  caller: Caller,
  webhookId: string,
  change: UpdateWebhook,
  options: UrlOptions = {},
): Promise<WebhookView> {
  const parsed = UpdateWebhook.parse(change);
  assertUrlAllowed(parsed.url, options);
  const current = await requireWebhook(deps, caller, webhookId);
  const next: WebhookSubscription = {
    ...current,
    ...(parsed.url !== undefined ? { url: parsed.url } : {}),
    ...(parsed.events !== undefined ? { events: parsed.events } : {}),
    ...(parsed.enabled !== undefined ? { enabled: parsed.enabled } : {}),
    updatedAt: deps.now().toISOString(),
    version: current.version + 1,
  };
  if (parsed.description !== undefined) {
    if (parsed.description === '') delete next.description;
    else next.description = parsed.description;
  }
  await deps.webhooks.replace(caller.tenantId, next, current.version);
  forget(deps, caller.tenantId);
  return view(next);
}

/** Deletes a subscription and its dead letters; deliveries still queued for it are dropped. */
export async function deleteWebhook(deps: Pick<Deps, 'webhooks'>, caller: Caller, webhookId: string): Promise<void> {
  if (!(await deps.webhooks.delete(caller.tenantId, webhookId))) throw new NotFound(`webhook ${webhookId}`);
  forget(deps, caller.tenantId);
}

/**
 * A new secret. Deliveries carry a second signature with the old one for `keepPreviousSeconds`
 * (default a day), so receivers can switch without losing a delivery; 0 revokes it at once.
 */
export async function rotateWebhookSecret(
  deps: Pick<Deps, 'webhooks' | 'now'>,
  caller: Caller,
  webhookId: string,
  keepPreviousSeconds = 86_400,
): Promise<WebhookWithSecret> {
  const current = await requireWebhook(deps, caller, webhookId);
  const now = deps.now();
  const { previousSecret: _p, previousSecretExpiresAt: _e, ...rest } = current;
  const next: WebhookSubscription = {
    ...rest,
    secret: newWebhookSecret(),
    ...(keepPreviousSeconds > 0
      ? { previousSecret: current.secret, previousSecretExpiresAt: new Date(now.getTime() + keepPreviousSeconds * 1000).toISOString() }
      : {}),
    updatedAt: now.toISOString(),
    version: current.version + 1,
  };
  await deps.webhooks.replace(caller.tenantId, next, current.version);
  return withSecret(next);
}

// ---------------------------------------------------------------------------------------------
// Publication

/**
 * Publishes facts of one workspace: one queue message per fact and enabled subscription that
 * listens to its type; nothing (and no I/O while the cache is warm) when none does. Returns the
 * number of deliveries queued. `fact.key` must be deterministic for the fact (see webhookEventId).
 */
export async function publishWebhookEvents(
  deps: Pick<Deps, 'webhooks' | 'queue' | 'now'>,
  tenantId: string,
  facts: readonly WebhookFact[],
): Promise<number> {
  if (facts.length === 0) return 0;
  const subscriptions = await subscriptionsOf(deps, tenantId);
  if (subscriptions.length === 0) return 0;
  const now = deps.now().toISOString();
  const messages: WebhookDelivery[] = facts.flatMap((fact) => {
    const event: WebhookEvent = {
      id: webhookEventId(tenantId, fact.key),
      type: fact.type,
      occurredAt: fact.occurredAt ? new Date(fact.occurredAt).toISOString() : now,
      workspaceId: tenantId,
      data: fact.data,
    };
    return subscriptions.filter((s) => listensTo(s, fact.type)).map((s) => ({ tenantId, webhookId: s.webhookId, event, attempt: 1 }));
  });
  if (messages.length > 0) await deps.queue.sendMany('webhook-deliveries', messages);
  return messages.length;
}

/**
 * Publishes one fact: `eventKey` names it deterministically (`<sendId>:delivered`,
 * `<triggerId>:<contactId>:<firing>`), so the same fact published again has the same event id.
 * `occurredAt` defaults to now. The entry point for every emitter, including those still to come
 * (message.converted, nps.answered, trigger.fired).
 */
export function publishWebhookEvent(
  deps: Pick<Deps, 'webhooks' | 'queue' | 'now'>,
  tenantId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  eventKey: string,
  occurredAt?: string,
): Promise<number> {
  return publishWebhookEvents(deps, tenantId, [{ type, key: eventKey, data, ...(occurredAt ? { occurredAt } : {}) }]);
}

// ---------------------------------------------------------------------------------------------
// Delivery

/** POSTs one event to a subscription's URL, signed: the receiver's status, or why there was none. */
async function post(
  deps: Pick<Deps, 'webhookClient'>,
  subscription: WebhookSubscription,
  event: WebhookEvent,
  attempt: number,
  options: Pick<WebhookDeliveryOptions, 'timeoutMs' | 'allowLocalHttp'>,
  now: Date,
): Promise<{ status: number } | { error: string }> {
  // Checked again here: a subscription saved where http was allowed is never called with it elsewhere.
  if (isLocalHttp(subscription.url) && !options.allowLocalHttp) return { error: LOCAL_HTTP_REFUSED };
  const body = JSON.stringify(event);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Herald-Webhooks/1.0',
    [SIGNATURE_HEADER]: signatureHeader(signingSecrets(subscription, now), Math.floor(now.getTime() / 1000), body),
    [EVENT_ID_HEADER]: event.id,
    [EVENT_TYPE_HEADER]: event.type,
    'Herald-Delivery-Attempt': String(attempt),
  };
  try {
    return await deps.webhookClient.post(subscription.url, body, headers, options.timeoutMs);
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
  }
}

const isSuccess = (outcome: { status: number } | { error: string }) => 'status' in outcome && outcome.status >= 200 && outcome.status < 300;

export type WebhookDeliveryOutcome = 'delivered' | 'retrying' | 'waiting' | 'dead-lettered' | 'dropped';

/**
 * One message of the webhook-deliveries queue.
 * 1. Not due yet (a wait longer than SQS's 15 minutes): queued again for the next hop.
 * 2. The subscription is gone: dropped. Disabled: dead-lettered at once (a redrive sends it later).
 * 3. POST, signed at this moment. A 2xx is done; anything else (another status, a timeout, no
 *    connection) is retried after the schedule's next wait, as a new message with attempt + 1.
 * 4. After the last attempt: a dead letter, listed per subscription until redriven or deleted.
 */
export async function deliverWebhook(
  deps: Pick<Deps, 'webhooks' | 'webhookClient' | 'queue' | 'now'>,
  delivery: WebhookDelivery,
  options: WebhookDeliveryOptions,
): Promise<WebhookDeliveryOutcome> {
  const now = deps.now();
  const hop = hopSeconds(delivery.dueAt, now);
  if (hop > 0) {
    await deps.queue.send('webhook-deliveries', delivery, { delaySeconds: hop });
    return 'waiting';
  }
  const { tenantId, webhookId, event, attempt } = delivery;
  const subscription = await deps.webhooks.get(tenantId, webhookId);
  if (!subscription) return 'dropped';
  const outcome = subscription.enabled
    ? await post(deps, subscription, event, attempt, options, now)
    : { error: 'the webhook is disabled' };
  if (isSuccess(outcome)) return 'delivered';
  const last = 'status' in outcome ? { lastStatus: outcome.status } : { lastError: outcome.error };
  const wait = subscription.enabled ? retryDelaySeconds(attempt, options.retrySeconds) : undefined;
  if (wait !== undefined) {
    const next: WebhookDelivery = {
      tenantId,
      webhookId,
      event,
      attempt: attempt + 1,
      ...(wait > MAX_QUEUE_DELAY_SECONDS ? { dueAt: new Date(now.getTime() + wait * 1000).toISOString() } : {}),
      ...last,
    };
    await deps.queue.send('webhook-deliveries', next, { delaySeconds: Math.min(wait, MAX_QUEUE_DELAY_SECONDS) });
    return 'retrying';
  }
  await deps.webhooks.putDeadLetter(tenantId, {
    webhookId,
    eventId: event.id,
    eventType: event.type,
    event,
    attempts: subscription.enabled ? attempt : attempt - 1,
    ...last,
    failedAt: now.toISOString(),
  });
  return 'dead-lettered';
}

/**
 * A batch of the webhook-deliveries queue, its deliveries side by side (each waits up to the
 * timeout for its receiver). Returns the indexes of those that failed on Herald's side (a store or
 * queue error, passed to `onError`): the queue retries them. A receiver's failure is not one.
 */
export async function deliverWebhooks(
  deps: Pick<Deps, 'webhooks' | 'webhookClient' | 'queue' | 'now'>,
  deliveries: readonly (WebhookDelivery & { receiveCount?: number })[],
  options: WebhookDeliveryOptions,
  onError: (error: unknown) => void = () => {},
): Promise<number[]> {
  const outcomes = await Promise.allSettled(deliveries.map(({ receiveCount: _r, ...delivery }) => deliverWebhook(deps, delivery, options)));
  return outcomes.flatMap((outcome, index) => {
    if (outcome.status === 'fulfilled') return [];
    onError(outcome.reason);
    return [index];
  });
}

/**
 * Sends a `webhook.test` event to the subscription now (enabled or not) and reports what the
 * receiver answered and how long it took. A receiver's failure is the answer, never an error.
 */
export async function testWebhook(
  deps: Pick<Deps, 'webhooks' | 'webhookClient' | 'now' | 'newId'>,
  caller: Caller,
  webhookId: string,
  options: Pick<WebhookDeliveryOptions, 'timeoutMs' | 'allowLocalHttp'>,
): Promise<WebhookTestResult> {
  const subscription = await requireWebhook(deps, caller, webhookId);
  const now = deps.now();
  const event: WebhookEvent = {
    id: `evt_test_${deps.newId()}`,
    type: TEST_EVENT_TYPE,
    occurredAt: now.toISOString(),
    workspaceId: caller.tenantId,
    data: { webhookId, message: 'A test delivery from Herald.' },
  };
  const started = performance.now();
  const outcome = await post(deps, subscription, event, 1, options, now);
  const latencyMs = Math.round(performance.now() - started);
  return { eventId: event.id, delivered: isSuccess(outcome), latencyMs, ...outcome };
}

// ---------------------------------------------------------------------------------------------
// Dead letters

export async function listDeadLetters(
  deps: Pick<Deps, 'webhooks'>,
  caller: Caller,
  webhookId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<WebhookDeadLetter>> {
  await requireWebhook(deps, caller, webhookId);
  return deps.webhooks.deadLetters(caller.tenantId, webhookId, query.limit, query.cursor);
}

/**
 * Sends a dead letter again, as a new first attempt (the whole retry schedule again), and takes it
 * off the list. The event keeps its id. A disabled webhook is enabled first (409 until then).
 */
export async function redriveDeadLetter(
  deps: Pick<Deps, 'webhooks' | 'queue'>,
  caller: Caller,
  webhookId: string,
  eventId: string,
): Promise<{ eventId: string; queued: true }> {
  const subscription = await requireWebhook(deps, caller, webhookId);
  if (!subscription.enabled) throw new Conflict(`webhook ${webhookId} is disabled: enable it, then redrive`);
  const dead = await deps.webhooks.getDeadLetter(caller.tenantId, webhookId, eventId);
  if (!dead) throw new NotFound(`dead letter ${eventId}`);
  await deps.queue.send('webhook-deliveries', { tenantId: caller.tenantId, webhookId, event: dead.event, attempt: 1 });
  // Only the failure read: if the new attempt has failed for good already, its dead letter stays.
  await deps.webhooks.deleteDeadLetter(caller.tenantId, webhookId, eventId, dead.failedAt);
  return { eventId, queued: true };
}

export async function deleteDeadLetter(deps: Pick<Deps, 'webhooks'>, caller: Caller, webhookId: string, eventId: string): Promise<void> {
  if (!(await deps.webhooks.deleteDeadLetter(caller.tenantId, webhookId, eventId))) throw new NotFound(`dead letter ${eventId}`);
}
