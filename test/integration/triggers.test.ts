/**
 * Triggered campaigns end to end on the local stack, through the public API, the queue workers
 * and the minute schedule, with the platform's clock moved ahead instead of waiting: a purchase
 * posted, the delay passed, the email in the local mailbox; the same event again, nothing more; a
 * purchase during the delay that breaks the condition, nothing; a lapse, a win-back; an NPS
 * score link clicked, the score on the contact and a signed webhook at a local receiver.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../shared/domain/webhook-signing.ts';
import { documentClient } from '../../shared/db/client.ts';
import { createTriggerRepo } from '../../shared/db/trigger-repo.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();
const DAY = 86_400_000;

interface MailboxEmail {
  subject: string;
  destination: { to: string[] };
  tags?: Record<string, string>;
}

async function mailOf(campaignId: string): Promise<{ to: string; subject: string }[]> {
  const res = await fetch(`${t.platform.mailboxUrl}/messages`);
  const body = (await res.json()) as { emails: MailboxEmail[] };
  return body.emails.filter((e) => e.tags?.campaign === campaignId).map((e) => ({ to: e.destination.to.join(','), subject: e.subject }));
}

const purchase = (eventId: string, email: string, category: string) => ({
  eventId,
  type: 'purchase',
  email,
  orderId: eventId,
  total: 60,
  currency: 'EUR',
  items: [{ sku: `${category}-1`, category, price: 60, quantity: 1 }],
});

/** A webhook receiver on loopback: every request kept. */
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200).end();
  });
});
beforeAll(() => new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** How far the platform's clock has been moved ahead (signatures carry its time). */
let ahead = 0;

/** What the minute schedule does, after the clock has moved on. */
async function minutePasses(ms: number) {
  ahead += ms;
  t.platform.advanceClock(ms);
  await t.platform.runSchedule('sweep-triggers');
  await t.platform.drainQueues(30_000);
}

describe('triggered campaigns on the local stack', () => {
  it('cross-sell: a purchase, the delay, one email; a repeat sends nothing; a purchase during the delay cancels', async () => {
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' } });
    const template = (
      await t.api('POST', '/templates', {
        name: 'Goes with your order',
        channel: 'email',
        email: { subject: 'Your {{ trigger.event.items[0].category }} need company', html: '<p>Order {{ trigger.event.orderId }}</p>' },
      })
    ).body;
    for (const email of ['ann@example.com', 'bob@example.com'])
      await t.api('POST', '/contacts', { email, consent: { email: { status: 'subscribed' } } });
    const created = await t.api('POST', '/campaigns', {
      name: 'Cross-sell',
      channel: 'email',
      variants: [{ name: 'A', email: template.templateId }],
      trigger: {
        on: { event: 'purchase', where: [{ field: 'items.category', op: 'eq', value: 'shoes' }] },
        delay: 'P3D',
        cancelIfPurchased: true,
      },
    });
    expect(created.status).toBe(201);
    const campaignId = created.body.campaignId as string;
    expect((await t.api('POST', `/campaigns/${campaignId}/launch`)).body.status).toBe('sending');

    expect((await t.api('POST', '/events', { events: [purchase('o-1', 'ann@example.com', 'shoes')] })).body.accepted).toBe(1);
    await t.api('POST', '/events', { events: [purchase('o-2', 'bob@example.com', 'shoes')] });
    await minutePasses(DAY);
    await t.api('POST', '/events', { events: [purchase('o-3', 'bob@example.com', 'books')] }); // breaks Bob's condition
    await minutePasses(DAY);
    expect(await mailOf(campaignId)).toEqual([]);
    await minutePasses(DAY + 120_000);
    expect(await mailOf(campaignId)).toEqual([{ to: 'ann@example.com', subject: 'Your shoes need company' }]);

    // The same event again (a shop's retry): no second firing, no second email.
    expect((await t.api('POST', '/events', { events: [purchase('o-1', 'ann@example.com', 'shoes')] })).body.duplicates).toBe(1);
    await minutePasses(4 * DAY);
    expect(await mailOf(campaignId)).toHaveLength(1);

    const view = (await t.api('GET', `/campaigns/${campaignId}`)).body;
    expect(view.status).toBe('sending');
    expect(view.counts).toMatchObject({ audience: 1, variants: { A: { sent: 1 } } });
    const recipients = (await t.api('GET', `/campaigns/${campaignId}/recipients`)).body.items;
    expect(recipients).toMatchObject([{ status: 'sent', firingId: expect.any(String), data: { event: { orderId: 'o-1' } } }]);

    // Ann buys bags (new to her) inside the firing's window: the evaluation counts it for that firing.
    await t.api('POST', '/events', { events: [purchase('o-9', 'ann@example.com', 'bags')] });
    await t.api('POST', '/reports/run');
    await t.platform.drainQueues(30_000);
    const report = (await t.api('GET', `/reports/campaigns/${campaignId}`)).body;
    expect(report).toMatchObject({ triggered: true, windowUntil: null, uplift: [], effect: { kind: 'not_applicable' } });
    expect(report.groups).toMatchObject([
      { group: 'A', assigned: 1, sent: 1, converters: 1, revenue: 60, orders: 1, crossSellConverters: 1 },
    ]);
  });

  it('win-back: customers who stop buying get the message once the churn window has passed, those from before the launch too', async () => {
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' } });
    await t.api('PUT', '/settings/value-model', { lifecycle: { atRiskAfterDays: 30, lapsedAfterDays: 60 } });
    const template = (
      await t.api('POST', '/templates', {
        name: 'We miss you',
        channel: 'email',
        email: { subject: 'We miss you', html: '<p>Come back: {{ trigger.stage }}</p>' },
      })
    ).body;
    for (const email of ['early@example.com', 'cid@example.com'])
      await t.api('POST', '/contacts', { email, consent: { email: { status: 'subscribed' } } });
    // Early bought ten days before the win-back was launched: the launch's scan schedules the check.
    await t.api('POST', '/events', { events: [purchase('w-0', 'early@example.com', 'tea')] });
    await minutePasses(10 * DAY);
    const created = await t.api('POST', '/campaigns', {
      name: 'Win-back',
      channel: 'email',
      variants: [{ name: 'A', email: template.templateId }],
      trigger: { on: { stage: 'lapsed' } },
    });
    const campaignId = created.body.campaignId as string;
    await t.api('POST', `/campaigns/${campaignId}/launch`);
    await t.platform.drainQueues(30_000); // the scan
    await t.api('POST', '/events', { events: [purchase('w-1', 'cid@example.com', 'tea')] });
    const to = async () =>
      (await mailOf(campaignId))
        .map((m) => m.to)
        .filter((a) => a === 'early@example.com' || a === 'cid@example.com')
        .sort();
    await minutePasses(49 * DAY);
    expect(await to()).toEqual([]);
    await minutePasses(2 * DAY); // 60 days after Early's purchase
    expect(await to()).toEqual(['early@example.com']);
    await minutePasses(10 * DAY); // 60 days after Cid's
    expect(await to()).toEqual(['cid@example.com', 'early@example.com']);
    expect((await mailOf(campaignId))[0]?.subject).toBe('We miss you');
  });

  it('NPS: a survey a week after a purchase; a click on 9 puts the score on the contact and a signed webhook reaches a receiver', async () => {
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' } });
    const template = (
      await t.api('POST', '/templates', {
        name: 'How did we do?',
        channel: 'email',
        email: { subject: 'One question', html: '<p>{% for i in (0..10) %}<a href="{{ links.nps[i] }}">{{ i }}</a> {% endfor %}</p>' },
      })
    ).body;
    const contact = (await t.api('POST', '/contacts', { email: 'dee@example.com', consent: { email: { status: 'subscribed' } } })).body;
    const created = await t.api('POST', '/campaigns', {
      name: 'NPS',
      channel: 'email',
      survey: 'nps',
      variants: [{ name: 'A', email: template.templateId }],
      trigger: { on: { event: 'purchase', where: [] }, delay: 'P7D' },
    });
    expect(created.status).toBe(201);
    const campaignId = created.body.campaignId as string;
    await t.api('POST', `/campaigns/${campaignId}/launch`);
    const port = (receiver.address() as AddressInfo).port;
    const hook = (await t.api('POST', '/webhooks', { url: `http://127.0.0.1:${port}/hook`, events: ['nps.answered'] })).body;
    await t.api('POST', '/events', { events: [purchase('n-1', 'dee@example.com', 'tea')] });
    await minutePasses(7 * DAY + 120_000);

    const res = await fetch(`${t.platform.mailboxUrl}/messages`);
    const mail = ((await res.json()) as { emails: (MailboxEmail & { html?: string; body?: { html?: string } })[] }).emails.find(
      (e) => e.tags?.campaign === campaignId,
    );
    const html = JSON.stringify(mail);
    // The HTML part and the text part made from it carry the same 11 links.
    const links = [...new Set([...html.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/n\/[A-Za-z0-9_-]+)/g)].map((m) => m[1] as string))];
    expect(links).toHaveLength(11);
    ahead += 60_000;
    t.platform.advanceClock(60_000); // a person clicks a minute later (a click within a second of sending is a scanner's)
    const page = await fetch(links[9] as string, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<textarea');
    await t.platform.drainQueues(30_000);

    const after = (await t.api('GET', `/contacts/${contact.contactId}`)).body;
    expect(after.attributes).toMatchObject({ npsScore: 9, npsCategory: 'promoter', referralCode: expect.any(String) });
    const delivery = received.find((r) => r.headers['herald-event-type'] === 'nps.answered');
    expect(delivery).toBeDefined();
    const now = new Date(Date.now() + ahead);
    expect(verifySignature(hook.secret, String(delivery?.headers['herald-signature']), delivery?.body ?? '', now)).toBe(true);
    expect(JSON.parse(delivery?.body ?? '{}').data).toMatchObject({ score: 9, category: 'promoter', contactId: contact.contactId });
  });

  it('SES feedback reaches triggered messages: a complaint is counted and suppresses the address', async () => {
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' } });
    const template = (
      await t.api('POST', '/templates', { name: 'Thanks', channel: 'email', email: { subject: 'Thanks', html: '<p>Thanks</p>' } })
    ).body;
    await t.api('POST', '/contacts', { email: 'complaint@simulator.amazonses.com', consent: { email: { status: 'subscribed' } } });
    const created = await t.api('POST', '/campaigns', {
      name: 'Thanks for your order',
      channel: 'email',
      variants: [{ name: 'A', email: template.templateId }],
      trigger: { on: { event: 'purchase', where: [] } },
    });
    const campaignId = created.body.campaignId as string;
    await t.api('POST', `/campaigns/${campaignId}/launch`);
    await t.api('POST', '/events', { events: [purchase('c-1', 'complaint@simulator.amazonses.com', 'tea')] });
    await t.platform.drainQueues(30_000);
    const view = (await t.api('GET', `/campaigns/${campaignId}`)).body;
    expect(view.counts.variants.A).toMatchObject({ sent: 1, delivered: 1, complained: 1 });
    const suppressed = (await t.api('GET', '/suppressions?channel=email')).body.items.map((i: { address: string }) => i.address);
    expect(suppressed).toContain('complaint@simulator.amazonses.com');
  });

  it("the trigger repository's conditions on DynamoDB: segment entries arbitrate concurrent events, a stale leave keeps an entry", async () => {
    const repo = createTriggerRepo(documentClient(), t.platform.tableName);
    const at = ['t-repo', 'ct_x', 'cp_x'] as const;
    expect(await repo.enterSegment(...at, 'sg_a', 'e1')).toBe(true);
    expect(await repo.enterSegment(...at, 'sg_a', 'e2')).toBe(false); // a concurrent event: the first entry stands
    expect(await repo.enterSegment(...at, 'sg_a', 'e1')).toBe(true); // a replay of it passes
    await repo.leaveSegment(...at, 'sg_a'); // a check that saw no entry: stale, changes nothing
    expect(await repo.segmentState(...at)).toMatchObject({ inSegment: true, entryKey: 'e1' });
    await repo.leaveSegment(...at, 'sg_a', 'e1');
    expect(await repo.segmentState(...at)).toMatchObject({ inSegment: false });
    expect(await repo.enterSegment(...at, 'sg_a', 'e3')).toBe(true);
    expect(await repo.enterSegment(...at, 'sg_b', 'e4')).toBe(true); // another segment: judged afresh
  });
});
