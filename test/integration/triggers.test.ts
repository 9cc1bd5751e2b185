/**
 * Triggered campaigns end to end on the local stack, through the public API, the queue workers
 * and the minute schedule, with the platform's clock moved ahead instead of waiting: a purchase
 * posted, the delay passed, the email in the local mailbox; the same event again, nothing more; a
 * purchase during the delay that breaks the condition, nothing; a lapse, a win-back.
 */
import { describe, expect, it } from 'vitest';
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

/** What the minute schedule does, after the clock has moved on. */
async function minutePasses(ms: number) {
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
  });

  it('win-back: a customer who stops buying gets the message once the churn window has passed', async () => {
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' } });
    await t.api('PUT', '/settings/value-model', { lifecycle: { atRiskAfterDays: 30, lapsedAfterDays: 60 } });
    const template = (
      await t.api('POST', '/templates', {
        name: 'We miss you',
        channel: 'email',
        email: { subject: 'We miss you', html: '<p>Come back: {{ trigger.stage }}</p>' },
      })
    ).body;
    await t.api('POST', '/contacts', { email: 'cid@example.com', consent: { email: { status: 'subscribed' } } });
    const created = await t.api('POST', '/campaigns', {
      name: 'Win-back',
      channel: 'email',
      variants: [{ name: 'A', email: template.templateId }],
      trigger: { on: { stage: 'lapsed' } },
    });
    const campaignId = created.body.campaignId as string;
    await t.api('POST', `/campaigns/${campaignId}/launch`);
    await t.api('POST', '/events', { events: [purchase('w-1', 'cid@example.com', 'tea')] });
    await minutePasses(59 * DAY);
    expect(await mailOf(campaignId)).toEqual([]);
    await minutePasses(2 * DAY);
    expect(await mailOf(campaignId)).toEqual([{ to: 'cid@example.com', subject: 'We miss you' }]);
  });
});
