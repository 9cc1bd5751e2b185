/**
 * Outbound webhooks on the local stack, through the public API and a real HTTP receiver
 * (node:http on a free port): a campaign to the SES mailbox simulator fires message.sent and
 * message.delivered, signed and verifiable; a receiver that answers 500 ends in the dead-letter
 * list after the (shortened) retries and is redriven; the test delivery reports status and latency.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../shared/domain/webhook-signing.ts';
import { usePlatform } from '../helpers/platform.ts';

// Retries after 0 s and 1 s: three attempts, then the dead-letter list (10 s … 6 h by default).
const t = usePlatform({ ses: { maxSendRate: 500 }, webhookRetrySeconds: [0, 1] });

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver: every request kept; `/fail` answers `failWith`, anything else 200. */
const receiver = { received: [] as Received[], failWith: 500, url: '' };
const server: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '/';
    receiver.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(path === '/fail' ? receiver.failWith : 200).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const events = (path: string) =>
  receiver.received
    .filter((r) => r.path === path)
    .map((r) => ({ ...r, event: JSON.parse(r.body) as { id: string; type: string; data: any } }));

async function waitFor(check: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for webhooks');
    await t.platform.drainQueues(timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function launchTo(addresses: string[]) {
  await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' } });
  const template = (await t.api('POST', '/templates', { name: 'Hello', channel: 'email', email: { subject: 'Hi', html: '<p>Hello</p>' } }))
    .body;
  const list = (await t.api('POST', '/lists', { name: 'Webhooks' })).body;
  const ids: string[] = [];
  for (const email of addresses)
    ids.push((await t.api('POST', '/contacts', { email, consent: { email: { status: 'subscribed' } } })).body.contactId);
  await t.api('POST', `/lists/${list.listId}/members`, { contactIds: ids });
  const campaign = (
    await t.api('POST', '/campaigns', {
      name: 'Webhooks',
      channel: 'email',
      variants: [{ name: 'A', email: template.templateId }],
      audience: { lists: [list.listId] },
    })
  ).body;
  expect((await t.api('POST', `/campaigns/${campaign.campaignId}/launch`)).status).toBe(202);
  return campaign.campaignId as string;
}

describe('webhooks on the local stack', () => {
  it('refuses bad subscriptions with a 400 naming the field', async () => {
    const plainHttp = await t.api('POST', '/webhooks', { url: 'http://hooks.example.com/x', events: ['message.sent'] });
    expect(plainHttp.status).toBe(400);
    expect(plainHttp.body.error.details.issues[0].field).toBe('body.url');
    const noEvents = await t.api('POST', '/webhooks', { url: 'https://hooks.example.com/x', events: [] });
    expect(noEvents.body.error.details.issues[0].field).toBe('body.events');
    const unknown = await t.api('POST', '/webhooks', { url: 'https://hooks.example.com/x', events: ['message.read'] });
    expect(unknown.body.error.details.issues[0].field).toBe('body.events.0');
    expect((await t.api('PATCH', '/webhooks/wh_nope', { enabled: false })).status).toBe(404);
    expect((await t.api('GET', '/webhooks/wh_nope/dead-letters')).status).toBe(404);
  });

  it('delivers signed message.sent and message.delivered for a campaign to the SES simulator; a failing receiver ends in the dead letters, and is redriven', async () => {
    // Arrange: a working receiver and a failing one
    const ok = await t.api('POST', '/webhooks', { url: `${receiver.url}/ok`, events: ['message.sent', 'message.delivered'] });
    expect(ok.status).toBe(201);
    expect(ok.body.secret).toMatch(/^whsec_/);
    const failing = (await t.api('POST', '/webhooks', { url: `${receiver.url}/fail`, events: ['message.sent'], description: 'broken' }))
      .body;
    const listed = await t.api('GET', '/webhooks');
    expect(listed.body.items.map((w: { webhookId: string }) => w.webhookId)).toEqual([ok.body.webhookId, failing.webhookId]);
    expect(JSON.stringify(listed.body)).not.toContain(ok.body.secret);

    // Act: a campaign to the mailbox simulator
    const campaignId = await launchTo(['success@simulator.amazonses.com']);
    await waitFor(() => events('/ok').length >= 2 && events('/fail').length >= 3);
    await t.platform.drainQueues(20_000);

    // Assess: both facts, each signed and verifiable, ids distinct and stable
    const got = events('/ok');
    expect(got.map((r) => r.event.type).sort()).toEqual(['message.delivered', 'message.sent']);
    for (const r of got) {
      const header = String(r.headers['herald-signature']);
      expect(verifySignature(ok.body.secret, header, r.body)).toBe(true);
      const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
      expect(v1).toBe(createHmac('sha256', ok.body.secret).update(`${ts}.${r.body}`).digest('hex'));
      expect(r.headers['herald-event-id']).toBe(r.event.id);
      expect(r.headers['herald-event-type']).toBe(r.event.type);
      expect(r.event.data).toMatchObject({ campaignId, channel: 'email', variant: 'A' });
    }
    expect(new Set(got.map((r) => r.event.id)).size).toBe(2);

    // The failing receiver: three attempts of the same event, then a dead letter
    const failed = events('/fail');
    expect(failed.map((r) => r.headers['herald-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(failed.map((r) => r.event.id)).size).toBe(1);
    const dead = await t.api('GET', `/webhooks/${failing.webhookId}/dead-letters`);
    expect(dead.body.items).toEqual([
      expect.objectContaining({ eventId: failed[0]?.event.id, eventType: 'message.sent', attempts: 3, lastStatus: 500 }),
    ]);

    // Redrive once the receiver is fixed: the same event id, and the list is empty
    receiver.failWith = 200;
    const redriven = await t.api('POST', `/webhooks/${failing.webhookId}/dead-letters/${failed[0]?.event.id}/redrive`);
    expect(redriven.status).toBe(202);
    await waitFor(() => events('/fail').length >= 4);
    expect(events('/fail').at(-1)?.event.id).toBe(failed[0]?.event.id);
    expect((await t.api('GET', `/webhooks/${failing.webhookId}/dead-letters`)).body.items).toEqual([]);
    expect((await t.api('DELETE', `/webhooks/${failing.webhookId}/dead-letters/${failed[0]?.event.id}`)).status).toBe(404);
  });

  it("test-delivers a ping and reports the receiver's status and latency, or why it got none (never a 5xx)", async () => {
    const hook = (await t.api('POST', '/webhooks', { url: `${receiver.url}/ping`, events: ['*'] })).body;
    const ping = await t.api('POST', `/webhooks/${hook.webhookId}/test`);
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ delivered: true, status: 200 });
    expect(ping.body.latencyMs).toBeGreaterThanOrEqual(0);
    const [received] = events('/ping');
    expect(received?.event).toMatchObject({ id: ping.body.eventId, type: 'webhook.test' });
    expect(verifySignature(hook.secret, String(received?.headers['herald-signature']), received?.body ?? '')).toBe(true);

    // Nobody listens on a port just closed.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = (await t.api('POST', '/webhooks', { url: `http://127.0.0.1:${port}/`, events: ['*'] })).body;
    const refused = await t.api('POST', `/webhooks/${nowhere.webhookId}/test`);
    expect(refused.status).toBe(200);
    expect(refused.body.delivered).toBe(false);
    expect(refused.body.error).toMatch(/ECONNREFUSED|fetch failed/);

    // Rotation: a new secret, the old one still signs for the overlap; delete.
    const rotated = await t.api('POST', `/webhooks/${hook.webhookId}/rotate-secret?keepPreviousSeconds=60`);
    expect(rotated.body.secret).not.toBe(hook.secret);
    await t.api('POST', `/webhooks/${hook.webhookId}/test`);
    const last = events('/ping').at(-1);
    const header = String(last?.headers['herald-signature']);
    expect(verifySignature(hook.secret, header, last?.body ?? '') && verifySignature(rotated.body.secret, header, last?.body ?? '')).toBe(
      true,
    );
    expect((await t.api('DELETE', `/webhooks/${hook.webhookId}`)).status).toBe(204);
    expect((await t.api('POST', `/webhooks/${hook.webhookId}/test`)).status).toBe(404);
  });
});
