/** Webhook signatures (a known vector, computed apart), their verification, the retry schedule and the input rules. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CreateWebhook, hopSeconds, maskSecret, retryDelaySeconds, WEBHOOK_RETRY_SECONDS } from '../../../shared/domain/webhook.ts';
import { newWebhookSecret, signatureHeader, signPayload, verifySignature, webhookEventId } from '../../../shared/domain/webhook-signing.ts';

const SECRET = 'whsec_test';
const BODY = '{"id":"evt_1","type":"message.sent"}';
const T = 1_700_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe('signatures', () => {
  it('are hex HMAC-SHA256 of "<t>.<body>" keyed with the whole secret (vector from openssl dgst -sha256 -hmac)', () => {
    // Arrange: the same computation done independently
    const independent = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    // Act
    const signed = signPayload(SECRET, T, BODY);
    // Assess
    expect(signed).toBe('30cb788fc68af37efc8c0f07b7993f4f164ddb2e394ba3126d7b52b75ee0a917');
    expect(signed).toBe(independent);
    expect(signatureHeader([SECRET], T, BODY)).toBe(`t=${T},v1=${independent}`);
  });

  it('verify for the right secret, body and time only', () => {
    const header = signatureHeader([SECRET], T, BODY);
    expect(verifySignature(SECRET, header, BODY, at(T))).toBe(true);
    expect(verifySignature(SECRET, header, BODY, at(T + 300))).toBe(true);
    expect(verifySignature(SECRET, header, BODY, at(T - 300))).toBe(true);
    expect(verifySignature('whsec_other', header, BODY, at(T))).toBe(false);
    expect(verifySignature(SECRET, header, `${BODY} `, at(T))).toBe(false);
    expect(verifySignature(SECRET, header, BODY, at(T + 301))).toBe(false); // a replay of an old delivery
    expect(verifySignature(SECRET, header, BODY, at(T + 3600), 7200)).toBe(true);
    // The timestamp is signed too: changing it breaks the signature.
    expect(verifySignature(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, at(T))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['no timestamp', `v1=${signPayload(SECRET, T, BODY)}`],
    ['no signature', `t=${T}`],
    ['a signature that is not hex', `t=${T},v1=zz`],
    ['a short signature', `t=${T},v1=${signPayload(SECRET, T, BODY).slice(2)}`],
    ['another scheme only', `t=${T},v0=${signPayload(SECRET, T, BODY)}`],
  ])('refuse a header with %s', (_why, header) => {
    expect(verifySignature(SECRET, header, BODY, at(T))).toBe(false);
  });

  it('during a rotation carry one v1 per secret, and either verifies', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], T, BODY);
    expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expect(verifySignature('whsec_new', header, BODY, at(T))).toBe(true);
    expect(verifySignature('whsec_old', header, BODY, at(T))).toBe(true);
    expect(verifySignature('whsec_neither', header, BODY, at(T))).toBe(false);
  });

  it('secrets are whsec_ and 32 random bytes; masked to the last 4 characters', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(secret);
    expect(maskSecret(secret)).toBe(`whsec_…${secret.slice(-4)}`);
  });
});

describe('the retry schedule', () => {
  it('is the first attempt at once, then 8 retries: 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => retryDelaySeconds(attempt));
    expect(waits).toEqual([10, 30, 120, 600, 1800, 3600, 10_800, 21_600]);
    expect(retryDelaySeconds(9)).toBeUndefined(); // the 9th attempt was the last
    expect(retryDelaySeconds(0)).toBeUndefined();
    expect(WEBHOOK_RETRY_SECONDS.reduce((a, b) => a + b, 0)).toBe(10 * 3600 + 42 * 60 + 40);
  });

  it('takes another schedule (tests, the local platform)', () => {
    expect([1, 2, 3].map((a) => retryDelaySeconds(a, [0, 1]))).toEqual([0, 1, undefined]);
    expect(retryDelaySeconds(1, [])).toBeUndefined();
  });

  it('waits past SQS 15 minutes in hops of at most 900 s, then is due', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    const due = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
    expect(hopSeconds(undefined, now)).toBe(0);
    expect(hopSeconds(due(21_600), now)).toBe(900);
    expect(hopSeconds(due(901), now)).toBe(900);
    expect(hopSeconds(due(300), now)).toBe(300);
    expect(hopSeconds(due(1), now)).toBe(0);
    expect(hopSeconds(due(-5), now)).toBe(0);
  });
});

describe('subscriptions', () => {
  it.each([
    'https://hooks.example.com/herald',
    'https://hooks.example.com:8443/x?y=1',
    'http://localhost:8080/hook',
    'http://127.0.0.1:3000/',
    'http://[::1]:3000/',
  ])('accept %s', (url) => {
    expect(CreateWebhook.safeParse({ url, events: ['message.sent'] }).success).toBe(true);
  });

  it.each([
    ['plain http elsewhere', 'http://hooks.example.com/herald'],
    ['a look-alike of localhost', 'http://localhost.example.com/'],
    ['another scheme', 'ftp://hooks.example.com/'],
    ['not a URL', 'hooks.example.com'],
  ])('refuse %s, naming the url', (_why, url) => {
    const parsed = CreateWebhook.safeParse({ url, events: ['message.sent'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['url']);
  });

  it('take some event types (deduplicated) or "*" alone, nothing else', () => {
    const ok = CreateWebhook.parse({ url: 'https://h.example', events: ['message.opened', 'message.sent', 'message.sent'] });
    expect(ok.events).toEqual(['message.opened', 'message.sent']);
    expect(ok.enabled).toBe(true);
    expect(CreateWebhook.parse({ url: 'https://h.example', events: ['*'] }).events).toEqual(['*']);
    for (const events of [[], ['*', 'message.sent'], ['message.read'], 'message.sent'])
      expect(CreateWebhook.safeParse({ url: 'https://h.example', events }).error?.issues[0]?.path[0]).toBe('events');
    expect(CreateWebhook.safeParse({ url: 'https://h.example', events: ['*'], secret: 'mine' }).success).toBe(false);
  });
});

describe('event ids', () => {
  it('are deterministic per workspace and key, and differ between workspaces and keys', () => {
    const id = webhookEventId('acme', 'cp_1.ct_1:delivered');
    expect(id).toMatch(/^evt_[0-9a-z]{26}$/);
    expect(webhookEventId('acme', 'cp_1.ct_1:delivered')).toBe(id);
    expect(webhookEventId('other', 'cp_1.ct_1:delivered')).not.toBe(id);
    expect(webhookEventId('acme', 'cp_1.ct_1:bounced')).not.toBe(id);
  });
});
