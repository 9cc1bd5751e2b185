/**
 * Webhooks on the in-memory ports: subscriptions and their secret, publication (nothing queued
 * without a subscriber, the same ids on a replay), signed deliveries checked by an independent
 * HMAC, the retry schedule to the dead-letter list, redrive, the test delivery, and the facts the
 * senders, SES feedback and the recipient routes publish.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../../shared/domain/webhook.ts';
import { verifySignature, webhookEventId } from '../../../shared/domain/webhook-signing.ts';
import { Conflict, NotFound } from '../../../shared/domain/errors.ts';
import { recordSesEvent, SesEventDetail } from '../../../shared/services/campaign-feedback.ts';
import { createCampaign, launchCampaign } from '../../../shared/services/campaigns.ts';
import { followLink, recordOpen, unsubscribe } from '../../../shared/services/recipients.ts';
import { recordSmsEvent, SmsEvent } from '../../../shared/services/sms-events.ts';
import {
  createWebhook,
  deleteDeadLetter,
  deleteWebhook,
  deliverWebhook,
  getWebhook,
  listDeadLetters,
  listWebhooks,
  publishWebhookEvent,
  publishWebhookEvents,
  redriveDeadLetter,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from '../../../shared/services/webhooks.ts';
import { caller, failure, play, world } from '../../helpers/campaign-world.ts';
import { fakeClock, fakeDeps, type FakeDeps } from '../../helpers/fakes.ts';

const SCHEDULE = { retrySeconds: [10, 30, 120, 600, 1800, 3600, 10_800, 21_600], timeoutMs: 10_000 };

function setUp() {
  const clock = fakeClock('2026-03-02T12:00:00.000Z');
  return { clock, deps: fakeDeps(clock.now) };
}

const subscribe = async (deps: FakeDeps, events: string[] = ['*'], url = 'https://hooks.example/herald') =>
  (await createWebhook(deps, caller, { url, events: events as never })).webhook;

/** Plays the webhook-deliveries queue on the simulated clock until it is empty; the outcomes in order. */
async function playDeliveries(deps: FakeDeps, clock: ReturnType<typeof fakeClock>, options = SCHEDULE) {
  const outcomes: string[] = [];
  const waiting: { message: WebhookDelivery; at: number }[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    for (const s of deps.sent.splice(0)) {
      if (s.queue !== 'webhook-deliveries') continue;
      waiting.push({ message: s.message as WebhookDelivery, at: clock.now().getTime() + (s.delaySeconds ?? 0) * 1000 });
    }
    waiting.sort((a, b) => a.at - b.at);
    const next = waiting.shift();
    if (!next) return outcomes;
    if (next.at > clock.now().getTime()) clock.advance(next.at - clock.now().getTime());
    outcomes.push(await deliverWebhook(deps, next.message, options));
  }
  throw new Error('the queue never drained');
}

describe('subscriptions', () => {
  it('show the secret on create only; list and get mask it', async () => {
    // Arrange
    const { deps } = setUp();
    // Act
    const created = await subscribe(deps, ['message.delivered', 'message.sent']);
    const listed = await listWebhooks(deps, caller, { limit: 10 });
    const got = await getWebhook(deps, caller, created.webhookId);
    // Assess
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ events: ['message.delivered', 'message.sent'], enabled: true, version: 1 });
    expect(listed.items).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(6));
    expect(JSON.stringify(got)).not.toContain(created.secret.slice(6));
    expect(got.maskedSecret).toBe(`whsec_…${created.secret.slice(-4)}`);
  });

  it('are idempotent with an Idempotency-Key (the same secret), capped at 20 per workspace', async () => {
    const { deps } = setUp();
    const input = { url: 'https://hooks.example/a', events: ['*'] as ['*'] };
    const first = await createWebhook(deps, caller, input, 'key-1');
    const again = await createWebhook(deps, caller, input, 'key-1');
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.webhook).toEqual(first.webhook);
    for (let i = 1; i < 20; i++) await subscribe(deps);
    const refused = await failure(subscribe(deps));
    expect(refused).toMatchObject({ statusCode: 409 });
    expect((await createWebhook(deps, caller, input, 'key-1')).created).toBe(false); // a repeat still answers
  });

  it('change on the version read, rotate the secret with an overlap, and delete with their dead letters', async () => {
    const { deps, clock } = setUp();
    const hook = await subscribe(deps);
    const changed = await updateWebhook(deps, caller, hook.webhookId, { events: ['message.opened'], description: 'CRM' });
    expect(changed).toMatchObject({ events: ['message.opened'], description: 'CRM', version: 2 });
    expect((await updateWebhook(deps, caller, hook.webhookId, { description: '' })).description).toBeUndefined();
    const stored = await deps.webhooks.get(caller.tenantId, hook.webhookId);
    // A writer that read version 2 is too late: version 3 is stored.
    expect(await failure(deps.webhooks.replace(caller.tenantId, { ...stored!, version: 3 }, 2))).toBeInstanceOf(Conflict);

    const rotated = await rotateWebhookSecret(deps, caller, hook.webhookId);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.previousSecretExpiresAt).toBe(new Date(clock.now().getTime() + 86_400_000).toISOString());
    const revoked = await rotateWebhookSecret(deps, caller, hook.webhookId, 0);
    expect(revoked.previousSecretExpiresAt).toBeUndefined();

    await deps.webhooks.putDeadLetter(caller.tenantId, {
      webhookId: hook.webhookId,
      eventId: 'evt_x',
      eventType: 'message.sent',
      event: { id: 'evt_x', type: 'message.sent', occurredAt: clock.now().toISOString(), workspaceId: caller.tenantId, data: {} },
      attempts: 9,
      failedAt: clock.now().toISOString(),
    });
    await deleteWebhook(deps, caller, hook.webhookId);
    expect(deps.world.webhookDeadLetters.of(caller.tenantId).size).toBe(0);
    expect(await failure(deleteWebhook(deps, caller, hook.webhookId))).toBeInstanceOf(NotFound);
    expect(await failure(getWebhook(deps, caller, hook.webhookId))).toBeInstanceOf(NotFound);
  });
});

describe('plain http', () => {
  it('to localhost is only for the local platform: refused at create, update and delivery elsewhere', async () => {
    const { deps, clock } = setUp();
    const local = { url: 'http://localhost:8080/hook', events: ['*'] as ['*'] };
    const refused = await failure(createWebhook(deps, caller, local));
    expect(refused).toMatchObject({ statusCode: 400, details: { issues: [{ field: 'body.url' }] } });
    const hook = await subscribe(deps);
    expect(await failure(updateWebhook(deps, caller, hook.webhookId, { url: local.url }))).toMatchObject({ statusCode: 400 });
    const onLaptop = (await createWebhook(deps, caller, local, undefined, { allowLocalHttp: true })).webhook;
    // Saved where it was allowed, never called where it is not.
    expect(await testWebhook(deps, caller, onLaptop.webhookId, { timeoutMs: 10 })).toMatchObject({
      delivered: false,
      error: expect.stringMatching(/https/),
    });
    await publishWebhookEvent(deps, caller.tenantId, 'message.sent', {}, 'l:sent');
    await playDeliveries(deps, clock, { retrySeconds: [], timeoutMs: 10 });
    expect(deps.webhookCalls.map((c) => c.url)).toEqual(['https://hooks.example/herald']);
  });
});

describe('publication', () => {
  it('queues nothing, and reads the subscriptions once per 30 s, when nobody subscribes', async () => {
    const { deps, clock } = setUp();
    expect(await publishWebhookEvent(deps, caller.tenantId, 'message.sent', { a: 1 }, 'k1')).toBe(0);
    // Cached: a store failure now would surface if it were read again.
    deps.failOnce('webhooks.list');
    expect(await publishWebhookEvent(deps, caller.tenantId, 'message.sent', { a: 1 }, 'k2')).toBe(0);
    expect(deps.sent).toEqual([]);
    clock.advance(30_001);
    expect(await failure(publishWebhookEvent(deps, caller.tenantId, 'message.sent', { a: 1 }, 'k3'))).toBeInstanceOf(Error);
  });

  it('queues one delivery per enabled subscription that listens, with the same deterministic event id on a replay', async () => {
    // Arrange: one for everything, one for deliveries only, one disabled
    const { deps, clock } = setUp();
    const all = await subscribe(deps, ['*']);
    const delivered = await subscribe(deps, ['message.delivered']);
    const off = await subscribe(deps, ['*']);
    await updateWebhook(deps, caller, off.webhookId, { enabled: false });
    // Act
    const facts = [
      { type: 'message.sent' as const, key: 'cp_1.ct_1:sent', data: { sendId: 'cp_1.ct_1' } },
      { type: 'message.delivered' as const, key: 'cp_1.ct_1:delivered', data: { sendId: 'cp_1.ct_1' }, occurredAt: '2026-03-02T11:59:00Z' },
    ];
    expect(await publishWebhookEvents(deps, caller.tenantId, facts)).toBe(3);
    const first = deps.take('webhook-deliveries');
    clock.advance(5000);
    await publishWebhookEvents(deps, caller.tenantId, facts); // the caller replayed
    const replay = deps.take('webhook-deliveries');
    // Assess
    expect(first.map((m) => [m.webhookId, m.event.type])).toEqual([
      [all.webhookId, 'message.sent'],
      [all.webhookId, 'message.delivered'],
      [delivered.webhookId, 'message.delivered'],
    ]);
    expect(replay.map((m) => m.event.id)).toEqual(first.map((m) => m.event.id));
    expect(first[1]?.event).toEqual({
      id: webhookEventId(caller.tenantId, 'cp_1.ct_1:delivered'),
      type: 'message.delivered',
      occurredAt: '2026-03-02T11:59:00.000Z',
      workspaceId: caller.tenantId,
      data: { sendId: 'cp_1.ct_1' },
    });
    expect(first.every((m) => m.attempt === 1)).toBe(true);
  });
});

describe('delivery', () => {
  it('POSTs the envelope signed with the secret, verifiable by an independent HMAC', async () => {
    // Arrange
    const { deps, clock } = setUp();
    const hook = await subscribe(deps);
    await publishWebhookEvent(deps, caller.tenantId, 'message.opened', { sendId: 's' }, 's:opened');
    // Act
    expect(await playDeliveries(deps, clock)).toEqual(['delivered']);
    // Assess
    const [call] = deps.webhookCalls;
    expect(call?.url).toBe('https://hooks.example/herald');
    expect(call?.timeoutMs).toBe(10_000);
    const headers = call?.headers ?? {};
    const event = JSON.parse(call?.body ?? '{}');
    expect(event).toMatchObject({ id: webhookEventId(caller.tenantId, 's:opened'), type: 'message.opened', data: { sendId: 's' } });
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'Herald-Event-Id': event.id,
      'Herald-Event-Type': 'message.opened',
      'Herald-Delivery-Attempt': '1',
    });
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(headers['Herald-Signature'] ?? '') ?? [];
    expect(Number(t)).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(v1).toBe(createHmac('sha256', hook.secret).update(`${t}.${call?.body}`).digest('hex'));
    expect(verifySignature(hook.secret, headers['Herald-Signature'] ?? '', call?.body ?? '', clock.now())).toBe(true);
  });

  it('retries a failing receiver on the schedule (long waits in hops of 15 minutes), then dead-letters it', async () => {
    // Arrange: a receiver that answers 500, then nothing at all
    const { deps, clock } = setUp();
    const hook = await subscribe(deps);
    let calls = 0;
    deps.answerWebhooks(() => {
      calls++;
      if (calls < 9) return 500;
      throw new Error('fetch failed: ECONNREFUSED');
    });
    const start = clock.now().getTime();
    await publishWebhookEvent(deps, caller.tenantId, 'message.sent', {}, 'x:sent');
    // Act
    const outcomes = await playDeliveries(deps, clock);
    // Assess: 9 attempts at 0, 10 s, 40 s, 2m40, 12m40, 42m40, 1h42m40, 4h42m40, 10h42m40
    expect(deps.webhookCalls.map((c) => Number(c.headers['Herald-Delivery-Attempt']))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(deps.webhookCalls.map((c) => c.body)).size).toBe(1); // the same event every time
    expect(outcomes.filter((o) => o === 'retrying')).toHaveLength(8);
    expect(outcomes.filter((o) => o === 'waiting')).toHaveLength(1 + 3 + 11 + 23); // 30 min, 1 h, 3 h, 6 h: hops of 900 s after the first
    expect(outcomes.at(-1)).toBe('dead-lettered');
    expect(clock.now().getTime() - start).toBe(38_560_000);
    const dead = await listDeadLetters(deps, caller, hook.webhookId, { limit: 10 });
    expect(dead.items).toEqual([
      expect.objectContaining({
        eventId: webhookEventId(caller.tenantId, 'x:sent'),
        eventType: 'message.sent',
        attempts: 9,
        lastError: 'fetch failed: ECONNREFUSED',
        failedAt: clock.now().toISOString(),
      }),
    ]);
    expect(dead.items[0]?.lastStatus).toBeUndefined();
  });

  it('a dead letter keeps the last status; redrive sends it again with the same id and takes it off the list', async () => {
    // Arrange
    const { deps, clock } = setUp();
    const hook = await subscribe(deps);
    deps.answerWebhooks(() => 503);
    await publishWebhookEvent(deps, caller.tenantId, 'message.clicked', { n: 1 }, 'c:1');
    await playDeliveries(deps, clock, { retrySeconds: [0, 1], timeoutMs: 50 });
    const [dead] = (await listDeadLetters(deps, caller, hook.webhookId, { limit: 10 })).items;
    expect(dead).toMatchObject({ attempts: 3, lastStatus: 503 });
    // Act: the receiver is fixed, the dead letter redriven
    deps.answerWebhooks(() => 204);
    expect(await redriveDeadLetter(deps, caller, hook.webhookId, dead?.eventId ?? '')).toEqual({ eventId: dead?.eventId, queued: true });
    const outcomes = await playDeliveries(deps, clock);
    // Assess
    expect(outcomes).toEqual(['delivered']);
    expect(deps.webhookCalls.at(-1)?.headers['Herald-Event-Id']).toBe(dead?.eventId);
    expect(JSON.parse(deps.webhookCalls.at(-1)?.body ?? '{}')).toEqual(dead?.event);
    expect((await listDeadLetters(deps, caller, hook.webhookId, { limit: 10 })).items).toEqual([]);
    expect(await failure(redriveDeadLetter(deps, caller, hook.webhookId, dead?.eventId ?? ''))).toBeInstanceOf(NotFound);
    expect(await failure(deleteDeadLetter(deps, caller, hook.webhookId, dead?.eventId ?? ''))).toBeInstanceOf(NotFound);
  });

  it('a redrive never removes a newer failure of the same event, and is refused while the webhook is disabled', async () => {
    const { deps, clock } = setUp();
    const hook = await subscribe(deps);
    deps.answerWebhooks(() => 500);
    await publishWebhookEvent(deps, caller.tenantId, 'message.sent', {}, 'r:sent');
    await playDeliveries(deps, clock, { retrySeconds: [], timeoutMs: 50 });
    const [dead] = (await listDeadLetters(deps, caller, hook.webhookId, { limit: 10 })).items;
    if (!dead) throw new Error('no dead letter');
    // Another failure lands (a later failedAt) between the redrive's read and its delete.
    clock.advance(1000);
    await deps.webhooks.putDeadLetter(caller.tenantId, { ...dead, failedAt: clock.now().toISOString() });
    expect(await deps.webhooks.deleteDeadLetter(caller.tenantId, hook.webhookId, dead?.eventId ?? '', dead?.failedAt)).toBe(false);
    await updateWebhook(deps, caller, hook.webhookId, { enabled: false });
    expect(await failure(redriveDeadLetter(deps, caller, hook.webhookId, dead?.eventId ?? ''))).toBeInstanceOf(Conflict);
    await deleteDeadLetter(deps, caller, hook.webhookId, dead?.eventId ?? '');
    expect((await listDeadLetters(deps, caller, hook.webhookId, { limit: 10 })).items).toEqual([]);
  });

  it('drops deliveries of a deleted webhook, and dead-letters those of a disabled one without calling it', async () => {
    const { deps, clock } = setUp();
    const gone = await subscribe(deps);
    const off = await subscribe(deps);
    await publishWebhookEvent(deps, caller.tenantId, 'message.sent', {}, 'd:sent');
    await deleteWebhook(deps, caller, gone.webhookId);
    await updateWebhook(deps, caller, off.webhookId, { enabled: false });
    expect((await playDeliveries(deps, clock)).sort()).toEqual(['dead-lettered', 'dropped']);
    expect(deps.webhookCalls).toEqual([]);
    const [dead] = (await listDeadLetters(deps, caller, off.webhookId, { limit: 10 })).items;
    expect(dead).toMatchObject({ attempts: 0, lastError: 'the webhook is disabled' });
    expect(await failure(listDeadLetters(deps, caller, gone.webhookId, { limit: 10 }))).toBeInstanceOf(NotFound);
  });

  it('signs with the previous secret too until it expires', async () => {
    const { deps, clock } = setUp();
    const hook = await subscribe(deps);
    const rotated = await rotateWebhookSecret(deps, caller, hook.webhookId, 60);
    await testWebhook(deps, caller, hook.webhookId, { timeoutMs: 1000 });
    clock.advance(61_000);
    await testWebhook(deps, caller, hook.webhookId, { timeoutMs: 1000 });
    const [during, after] = deps.webhookCalls;
    expect(during?.headers['Herald-Signature']?.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(hook.secret, during?.headers['Herald-Signature'] ?? '', during?.body ?? '', clock.now())).toBe(true);
    expect(verifySignature(rotated.secret, during?.headers['Herald-Signature'] ?? '', during?.body ?? '', clock.now())).toBe(true);
    expect(verifySignature(hook.secret, after?.headers['Herald-Signature'] ?? '', after?.body ?? '', clock.now())).toBe(false);
    expect(verifySignature(rotated.secret, after?.headers['Herald-Signature'] ?? '', after?.body ?? '', clock.now())).toBe(true);
  });
});

describe('test delivery', () => {
  it("answers the receiver's status and latency, or its error, never throwing for a receiver's failure", async () => {
    const { deps } = setUp();
    const hook = await subscribe(deps, ['message.sent']);
    const ok = await testWebhook(deps, caller, hook.webhookId, { timeoutMs: 10_000 });
    expect(ok).toMatchObject({ delivered: true, status: 200 });
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(deps.webhookCalls[0]?.body ?? '{}')).toMatchObject({ id: ok.eventId, type: 'webhook.test' });
    deps.answerWebhooks(() => 500);
    expect(await testWebhook(deps, caller, hook.webhookId, { timeoutMs: 10_000 })).toMatchObject({ delivered: false, status: 500 });
    deps.answerWebhooks(() => {
      throw new Error('timed out after 10000 ms');
    });
    const timedOut = await testWebhook(deps, caller, hook.webhookId, { timeoutMs: 10_000 });
    expect(timedOut).toMatchObject({ delivered: false, error: 'timed out after 10000 ms' });
    expect(timedOut.status).toBeUndefined();
    expect(await failure(testWebhook(deps, caller, 'wh_nope', { timeoutMs: 10_000 }))).toBeInstanceOf(NotFound);
  });
});

describe('facts published by the existing flows', () => {
  const types = (deps: FakeDeps) => deps.take('webhook-deliveries').map((m) => m.event);

  it('campaign sends publish message.sent, one per recipient, keyed by the send', async () => {
    const { deps, clock, campaign } = await world(3);
    await subscribe(deps, ['message.sent']);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock, { dup: true }); // a redelivered batch sends nothing, and publishes nothing, again
    const events = types(deps);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.type === 'message.sent')).toBe(true);
    const data = events[0]?.data as { sendId: string; channel: string; messageId: string; variant: string };
    expect(data).toMatchObject({ campaignId: draft.campaignId, channel: 'email', variant: 'A' });
    expect(data.messageId).toMatch(/^em-/);
    expect(events[0]?.id).toBe(webhookEventId(caller.tenantId, `${data.sendId}:sent`));
  });

  it('without a subscription, a campaign queues no webhook at all', async () => {
    const { deps, clock, campaign } = await world(3);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    expect(deps.take('webhook-deliveries')).toEqual([]);
  });

  it('SES and SMS feedback publish delivered / bounced / complained once, with the same id for the same fact', async () => {
    const { deps } = setUp();
    await subscribe(deps);
    const at = '2026-03-02T12:00:00.000Z';
    const rec = (contactId: string, channel: 'email' | 'sms') => {
      const sendId = `cp_1.${contactId}`;
      deps.world.sends
        .of(caller.tenantId)
        .set(sendId, { sendId, campaignId: 'cp_1', contactId, status: 'sent', channel, createdAt: at, updatedAt: at, messageId: 'm-0' });
      return sendId;
    };
    const a = rec('ct_a', 'email');
    const b = rec('ct_b', 'sms');
    const ses = (eventType: string, send: string, extra = {}) =>
      SesEventDetail.parse({ eventType, mail: { messageId: 'm-1', tags: { workspace: [caller.tenantId], send: [send] } }, ...extra });
    await recordSesEvent(deps, ses('Delivery', a, { delivery: { timestamp: '2026-03-02T12:00:05.000Z' } }));
    await recordSesEvent(deps, ses('Delivery', a)); // SES repeats itself
    await recordSesEvent(deps, ses('Bounce', a, { bounce: { bounceType: 'Permanent', bouncedRecipients: [] } }));
    await recordSesEvent(deps, ses('Complaint', a, { complaint: { complainedRecipients: [] } }));
    await recordSmsEvent(deps, SmsEvent.parse({ eventType: 'TEXT_CARRIER_UNREACHABLE', context: { workspace: caller.tenantId, send: b } }));
    const events = types(deps);
    expect(events.map((e) => [e.type, e.id])).toEqual([
      ['message.delivered', webhookEventId(caller.tenantId, `${a}:delivered`)],
      ['message.bounced', webhookEventId(caller.tenantId, `${a}:bounced`)],
      ['message.complained', webhookEventId(caller.tenantId, `${a}:complained`)],
      ['message.bounced', webhookEventId(caller.tenantId, `${b}:bounced`)],
    ]);
    expect(events[0]).toMatchObject({ occurredAt: '2026-03-02T12:00:05.000Z', data: { sendId: a, channel: 'email', messageId: 'm-1' } });
    expect(events[1]?.data).toMatchObject({ bounceType: 'Permanent' });
    expect(events[3]?.data).toMatchObject({ channel: 'sms', bounceType: 'TEXT_CARRIER_UNREACHABLE', messageId: 'm-0' });
  });

  it('recipients publish the first open only, every click (unique on the first), and an unsubscribe once', async () => {
    // Arrange: a sent campaign, a subscriber, the recipient's tokens
    const { deps, clock, campaign } = await world(1);
    const { campaign: draft } = await createCampaign(deps, caller, campaign());
    await launchCampaign(deps, caller, draft.campaignId);
    await play(deps, clock);
    await subscribe(deps);
    clock.advance(5000); // a person, not a scanner at the moment of sending
    const [email] = deps.delivered.emails;
    const token = (path: string) =>
      new RegExp(`/${path}/([A-Za-z0-9_-]+)`).exec(`${email?.html} ${email?.headers?.['List-Unsubscribe']}`)?.[1] ?? '';
    const person = { method: 'GET', userAgent: 'Mozilla/5.0 (Macintosh) Firefox/130.0' };
    // Act
    await recordOpen(deps, token('o'), person);
    await recordOpen(deps, token('o'), person);
    await followLink(deps, token('r'), person);
    await followLink(deps, token('r'), person);
    await followLink(deps, token('r'), { method: 'HEAD', userAgent: person.userAgent }); // a scanner's check: not a click
    const body = 'List-Unsubscribe=One-Click';
    const form = { contentType: 'application/x-www-form-urlencoded', body, preferences: async () => '/p/x' };
    await unsubscribe(deps, token('u'), form);
    await unsubscribe(deps, token('u'), form);
    // Assess
    const events = types(deps);
    const sendId = String(events[0]?.data.sendId);
    expect(events.map((e) => [e.type, e.id, (e.data as { unique?: boolean }).unique])).toEqual([
      ['message.opened', webhookEventId(caller.tenantId, `${sendId}:opened`), undefined],
      ['message.clicked', webhookEventId(caller.tenantId, `${sendId}:click:1`), true],
      ['message.clicked', webhookEventId(caller.tenantId, `${sendId}:click:2`), false],
      ['message.unsubscribed', webhookEventId(caller.tenantId, `${sendId}:unsubscribed`), undefined],
    ]);
    expect(events[1]?.data).toMatchObject({ link: { index: 0, url: 'https://shop.example/sale?size=42' } });
  });
});
