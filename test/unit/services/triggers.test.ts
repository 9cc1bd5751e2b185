/**
 * Triggered campaigns on in-memory ports and a simulated clock: purchases start firings, the due
 * sweep and the queue bring them to the senders, and every rule (filters, first purchase, delay,
 * purchase-since, cooldown, pause, edits, holdout, lifecycle checks, replays, crashes) is checked
 * by what reaches the mailbox and what the records say.
 */
import { describe, expect, it } from 'vitest';
import type { CreateCampaign } from '../../../shared/domain/campaign.ts';
import { countsFrom } from '../../../shared/domain/campaign.ts';
import { createCampaign, launchCampaign, pauseCampaign, resumeCampaign, updateCampaign } from '../../../shared/services/campaigns.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';
import { ingestEvents } from '../../../shared/services/events.ts';
import { createTemplate } from '../../../shared/services/template-authoring.ts';
import { runDueBatch, sweepDue } from '../../../shared/services/triggers.ts';
import type { DueWork } from '../../../shared/domain/trigger.ts';
import { caller, emailsTo, play, world } from '../../helpers/campaign-world.ts';

const DAY = 86_400_000;

async function triggerWorld(spec: Partial<NonNullable<CreateCampaign['trigger']>> = {}, over: Partial<CreateCampaign> = {}) {
  const w = await world(0);
  const { contact } = await upsertContact(w.deps, caller, {
    email: 'ann@example.com',
    firstName: 'Ann',
    consent: { email: { status: 'subscribed' } },
  });
  const { campaign } = await createCampaign(w.deps, caller, {
    name: 'Cross-sell',
    channel: 'email',
    variants: [{ name: 'A', email: w.email.templateId }],
    trigger: { on: { event: 'purchase', where: [{ field: 'items.category', op: 'eq', value: 'shoes' }] }, delay: 'P3D', ...spec },
    ...over,
  });
  await launchCampaign(w.deps, caller, campaign.campaignId);
  let n = 0;
  const buy = (category = 'shoes', extra: Record<string, unknown> = {}) =>
    ingestEvents(w.deps, caller, [
      {
        eventId: `order-${++n}`,
        type: 'purchase',
        email: 'ann@example.com',
        orderId: `o${n}`,
        total: 80,
        currency: 'EUR',
        items: [{ sku: `sku${n}`, category, price: 80, quantity: 1 }],
        ...extra,
      },
    ]);
  /** Moves the clock on, sweeps the due index and plays the queues, as the minute schedule would. */
  const pass = async (ms: number) => {
    w.clock.advance(ms);
    await sweepDue(w.deps);
    await play(w.deps, w.clock);
  };
  const records = () => [...w.deps.world.sends.of(caller.tenantId).values()].filter((r) => r.campaignId === campaign.campaignId);
  const firings = () => [...w.deps.world.firings.of(caller.tenantId).values()];
  const counts = async () => countsFrom(await w.deps.campaigns.counts(caller.tenantId, campaign.campaignId), 16);
  return { ...w, contact, campaign, buy, pass, records, firings, counts };
}

describe('triggered campaigns', () => {
  it('sends the message once the delay has passed, not before, through the campaign pipeline', async () => {
    const t = await triggerWorld();
    await t.buy();
    await t.pass(2 * DAY);
    expect(emailsTo(t.deps)).toEqual([]);
    await t.pass(DAY + 60_000);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    const [record] = t.records();
    expect(record).toMatchObject({ status: 'sent', contactId: t.contact.contactId, variant: 'A', firingId: t.firings()[0]?.firingId });
    expect(record?.data).toMatchObject({ event: { orderId: 'o1', total: 80 } });
    expect(t.firings()).toMatchObject([{ status: 'fired' }]);
    expect((await t.counts()).variants.A?.sent).toBe(1);
  });

  it('fires once per starting event: the same event posted again sends nothing more', async () => {
    const t = await triggerWorld({ delay: 'PT0S' });
    const event = {
      eventId: 'order-x',
      type: 'purchase',
      email: 'ann@example.com',
      orderId: 'ox',
      total: 10,
      currency: 'EUR',
      items: [{ sku: 's', category: 'shoes', price: 10, quantity: 1 }],
    };
    await ingestEvents(t.deps, caller, [event]);
    await t.pass(0);
    await ingestEvents(t.deps, caller, [event]);
    await t.pass(0);
    await ingestEvents(t.deps, caller, [event]);
    await t.pass(DAY);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    expect(t.firings()).toHaveLength(1);
    expect(t.records()).toHaveLength(1);
  });

  it('starts only on events that match the filters', async () => {
    const t = await triggerWorld({ delay: 'PT0S' });
    await t.buy('socks');
    await ingestEvents(t.deps, caller, [{ eventId: 'v1', type: 'visit', email: 'ann@example.com' }]);
    await t.pass(DAY);
    expect(emailsTo(t.deps)).toEqual([]);
    expect(t.firings()).toEqual([]);
  });

  it('drops a firing when a purchase since the starting event breaks the condition', async () => {
    const t = await triggerWorld({ cancelIfPurchased: true });
    await t.buy();
    await t.pass(DAY);
    await t.buy('books');
    await t.pass(3 * DAY);
    expect(emailsTo(t.deps)).toEqual([]);
    expect(t.firings()).toMatchObject([{ status: 'dropped', reason: 'purchased_since' }]);
  });

  it('keeps to the cooldown: a second purchase within it starts nothing, one after it starts a second message', async () => {
    const t = await triggerWorld({ delay: 'PT0S', cooldown: 'P7D' });
    await t.buy();
    await t.pass(0); // fires now: the cooldown runs from the message
    t.clock.advance(DAY);
    await t.buy();
    await t.pass(0); // within the cooldown: dropped
    t.clock.advance(7 * DAY);
    await t.buy();
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com', 'ann@example.com']);
    expect(t.records().map((r) => r.firingId)).toHaveLength(2);
    expect(new Set(t.records().map((r) => r.firingId)).size).toBe(2);
    expect((await t.counts()).firings).toEqual({ started: 3, fired: 2, dropped: { cooldown: 1 }, waiting: 0 });
  });

  it('a firing dropped on its way does not use up the cooldown: a purchase during the delay still gets its message', async () => {
    const t = await triggerWorld({ delay: 'P3D', cancelIfPurchased: true, cooldown: 'P14D' });
    await t.buy();
    await t.pass(DAY);
    await t.buy(); // cancels the first firing; starts its own
    await t.pass(3 * DAY);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    expect((await t.counts()).firings).toMatchObject({ started: 2, fired: 1, dropped: { purchased_since: 1 } });
  });

  it('a backfilled purchase from before the launch starts nothing', async () => {
    const t = await triggerWorld({ delay: 'PT0S' });
    await t.buy('shoes', { at: '2026-01-15T10:00:00.000Z' });
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual([]);
    expect(t.firings()).toEqual([]);
  });

  it('fires on the first purchase only when asked to', async () => {
    const t = await triggerWorld({ on: { event: 'purchase', where: [], first: true }, delay: 'PT1H' });
    await t.buy();
    await t.pass(DAY);
    await t.buy();
    await t.pass(DAY);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
  });

  it('an order sent again under a new event id is the same order: one welcome, one cross-sell', async () => {
    for (const on of [{ event: 'purchase', first: true }, { event: 'purchase' }]) {
      const t = await triggerWorld({ on, delay: 'PT0S' });
      const order = { type: 'purchase', email: 'ann@example.com', orderId: 'U1', total: 5, currency: 'EUR', items: [] };
      await ingestEvents(t.deps, caller, [{ ...order, eventId: 'upd-e1', at: t.clock.now().toISOString() }]);
      t.clock.advance(60_000);
      await ingestEvents(t.deps, caller, [{ ...order, eventId: 'upd-e2', at: t.clock.now().toISOString() }]);
      await t.pass(0);
      expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    }
  });

  it('a first-event trigger fires once when the first two events arrive in one batch', async () => {
    const t = await triggerWorld({ on: { event: 'signup', where: [], first: true }, delay: 'PT0S' });
    await ingestEvents(t.deps, caller, [
      { eventId: 'sua', type: 'signup', email: 'ann@example.com' },
      { eventId: 'sub', type: 'signup', email: 'ann@example.com' },
    ]);
    await ingestEvents(t.deps, caller, [{ eventId: 'suc', type: 'signup', email: 'ann@example.com' }]);
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    expect((await t.counts()).firings).toMatchObject({ started: 1, fired: 1 });
  });

  it('a firing skipped for want of consent leaves the cooldown to the next one', async () => {
    const t = await triggerWorld({ delay: 'PT0S', cooldown: 'P30D' });
    await upsertContact(t.deps, caller, { email: 'ann@example.com', consent: { email: { status: 'unsubscribed' } } });
    await t.buy();
    await t.pass(0);
    await upsertContact(t.deps, caller, { email: 'ann@example.com', consent: { email: { status: 'subscribed' } } });
    await t.buy();
    await t.pass(0);
    expect(
      t
        .records()
        .map((r) => r.status)
        .sort(),
    ).toEqual(['sent', 'skipped']);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
  });

  it('pausing stops the firings that come due; resuming starts new ones', async () => {
    const t = await triggerWorld();
    await t.buy();
    await pauseCampaign(t.deps, caller, t.campaign.campaignId);
    await t.buy(); // paused: starts nothing
    await t.pass(4 * DAY);
    expect(emailsTo(t.deps)).toEqual([]);
    expect(t.firings()).toMatchObject([{ status: 'dropped', reason: 'trigger_inactive' }]);
    await resumeCampaign(t.deps, caller, t.campaign.campaignId);
    await t.buy();
    await t.pass(4 * DAY);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
  });

  it('a stale write of the trigger index (the sweep racing a pause) does not bring a paused trigger back', async () => {
    const t = await triggerWorld({ delay: 'PT0S' });
    const launched = await t.deps.campaigns.get(caller.tenantId, t.campaign.campaignId);
    await pauseCampaign(t.deps, caller, t.campaign.campaignId);
    if (launched) await t.deps.triggers.setActive(caller.tenantId, launched); // what a sweep that read before the pause writes
    expect(await t.deps.triggers.active(caller.tenantId)).toEqual([]);
    await t.buy();
    await t.pass(0);
    expect(t.firings()).toEqual([]);
  });

  it('an edit affects only new firings: a waiting one keeps the template it started with', async () => {
    const t = await triggerWorld();
    const { template: other } = await createTemplate(t.deps, caller, {
      name: 'Other',
      channel: 'email',
      email: { subject: 'Something else', html: '<p>Else</p>' },
    });
    await t.buy();
    await updateCampaign(t.deps, caller, t.campaign.campaignId, { variants: [{ name: 'B', weight: 1, email: other.templateId }] });
    await t.buy();
    await t.pass(4 * DAY);
    const subjects = t.deps.delivered.emails.map((e) => e.subject).sort();
    expect(subjects).toEqual(['Hi Ann', 'Something else']);
    expect(
      t
        .records()
        .map((r) => r.variant)
        .sort(),
    ).toEqual(['A', 'B']);
  });

  it('a trigger naming a segment that does not exist is refused, naming the field', async () => {
    const t = await triggerWorld();
    const error = await createCampaign(t.deps, caller, {
      name: 'x',
      channel: 'email',
      variants: [{ name: 'A', email: t.email.templateId }],
      trigger: { on: { event: 'purchase' }, segmentId: 'sg_nope' },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, issues: [{ field: 'body.trigger.segmentId' }] });
  });

  it('a launched trigger cannot change its channel', async () => {
    const t = await triggerWorld();
    await expect(updateCampaign(t.deps, caller, t.campaign.campaignId, { channel: 'sms' })).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('a launched trigger cannot change what the evaluation measures: goal, window, holdout, weights (its name and delay can)', async () => {
    const t = await triggerWorld({}, { holdout: { percent: 10 } });
    const id = t.campaign.campaignId;
    for (const change of [
      { goal: { event: 'custom' as const, name: 'signed_up' } },
      { attributionDays: 30 },
      { holdout: { percent: 50 } },
      { variants: [{ name: 'A', weight: 5, email: t.email.templateId }] },
    ]) {
      await expect(updateCampaign(t.deps, caller, id, change)).rejects.toMatchObject({
        statusCode: 400,
        issues: [{ field: `body.${Object.keys(change)[0]}`, message: expect.stringMatching(/what the evaluation measures/) }],
      });
    }
    await expect(
      updateCampaign(t.deps, caller, id, { name: 'Renamed', attributionDays: t.campaign.attributionDays }),
    ).resolves.toMatchObject({
      name: 'Renamed',
    });
  });

  it('measures like a campaign: a holdout share gets records and no message', async () => {
    const t = await triggerWorld({ delay: 'PT0S' }, { holdout: { percent: 50 } });
    for (let i = 0; i < 40; i++) {
      await upsertContact(t.deps, caller, { email: `c${i}@example.com`, consent: { email: { status: 'subscribed' } } });
      await ingestEvents(t.deps, caller, [
        {
          eventId: `e${i}`,
          type: 'purchase',
          email: `c${i}@example.com`,
          orderId: `o${i}`,
          total: 5,
          currency: 'EUR',
          items: [{ sku: 'a', category: 'shoes', price: 5, quantity: 1 }],
        },
      ]);
    }
    await t.pass(0);
    const counts = await t.counts();
    expect(counts.holdout).toBeGreaterThan(8);
    expect(counts.variants.A?.sent).toBe(40 - counts.holdout);
    expect(t.deps.delivered.emails).toHaveLength(40 - counts.holdout);
  });

  it('consent, frequency cap and quiet hours apply as for any campaign', async () => {
    const t = await triggerWorld({ delay: 'PT0S' });
    await upsertContact(t.deps, caller, { email: 'no@example.com', consent: { email: { status: 'unsubscribed' } } });
    await ingestEvents(t.deps, caller, [
      {
        eventId: 'n1',
        type: 'purchase',
        email: 'no@example.com',
        orderId: 'n1',
        total: 5,
        currency: 'EUR',
        items: [{ sku: 'a', category: 'shoes', price: 5, quantity: 1 }],
      },
    ]);
    await t.pass(0);
    expect(t.records().map((r) => [r.status, r.reason])).toEqual([['skipped', 'no_consent']]);
    expect(emailsTo(t.deps)).toEqual([]);

    // Quiet hours in the recipient's zone: a message due at 23:00 UTC waits until 08:00.
    const { updateSendingSettings } = await import('../../../shared/services/value-model.ts');
    await updateSendingSettings(t.deps, caller, {
      email: { from: 'news@shop.example' },
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: { messages: 1, withinDays: 7 },
    });
    t.clock.advance(11 * 3_600_000); // 23:00 UTC
    await t.buy();
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    expect(t.clock.now().toISOString()).toBe('2026-03-03T08:00:00.000Z');
    // The cap: one message in seven days, so the next firing is skipped.
    await t.buy();
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    expect(t.records().filter((r) => r.reason === 'frequency_cap')).toHaveLength(1);
  });

  it('wins back a lapsed customer: the purchase schedules its own lapse check, a later purchase moves it', async () => {
    const t = await triggerWorld({ on: { stage: 'lapsed' }, delay: 'PT0S' });
    await t.buy('books');
    await t.pass(200 * DAY);
    await t.buy('books'); // the first check will find a newer purchase
    await t.pass(200 * DAY);
    expect(emailsTo(t.deps)).toEqual([]);
    await t.pass(170 * DAY); // 370 days after the second purchase: lapsed (365)
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    expect(t.records()[0]?.data).toMatchObject({ stage: 'lapsed' });
    await t.pass(400 * DAY);
    expect(emailsTo(t.deps)).toHaveLength(1);
  });

  it('launching a win-back schedules the checks of the existing customers; those lapsed already are not messaged', async () => {
    const w = await world(0);
    const buyer = async (email: string, daysAgo: number) => {
      await upsertContact(w.deps, caller, { email, consent: { email: { status: 'subscribed' } } });
      await ingestEvents(w.deps, caller, [
        {
          eventId: `b-${email}`,
          type: 'purchase',
          email,
          orderId: email,
          total: 10,
          currency: 'EUR',
          at: new Date(w.clock.now().getTime() - daysAgo * DAY).toISOString(),
        },
      ]);
    };
    await buyer('recent@example.com', 100); // lapses in 265 days
    await buyer('gone@example.com', 400); // lapsed before the launch
    const { campaign } = await createCampaign(w.deps, caller, {
      name: 'Win-back',
      channel: 'email',
      variants: [{ name: 'A', email: w.email.templateId }],
      trigger: { on: { stage: 'lapsed' } },
    });
    await launchCampaign(w.deps, caller, campaign.campaignId);
    await play(w.deps, w.clock); // the scan
    w.clock.advance(266 * DAY);
    await sweepDue(w.deps);
    await play(w.deps, w.clock);
    expect(emailsTo(w.deps)).toEqual(['recent@example.com']);
    // A second launch-time scan (a resume) and the purchase's own check are the same firing.
    await pauseCampaign(w.deps, caller, campaign.campaignId);
    await resumeCampaign(w.deps, caller, campaign.campaignId);
    await play(w.deps, w.clock);
    expect(emailsTo(w.deps)).toEqual(['recent@example.com']);
  });

  it('entering a segment: fires when an event brings a contact in, not while it stays in, and not for who was in at launch', async () => {
    const w = await world(0);
    const { createSegment } = await import('../../../shared/services/segments.ts');
    const { segment } = await createSegment(w.deps, caller, { name: 'Repeat buyers', rule: { field: 'orders', op: 'gte', value: 2 } });
    let n = 0;
    const buy = (email: string) => {
      w.clock.advance(1000); // events arrive one after another
      return ingestEvents(w.deps, caller, [{ eventId: `s${++n}`, type: 'purchase', email, orderId: `s${n}`, total: 5, currency: 'EUR' }]);
    };
    for (const email of ['one@example.com', 'two@example.com'])
      await upsertContact(w.deps, caller, { email, consent: { email: { status: 'subscribed' } } });
    await buy('one@example.com'); // one order: not in yet
    await buy('two@example.com');
    await buy('two@example.com'); // two orders: in at launch
    const { campaign } = await createCampaign(w.deps, caller, {
      name: 'Welcome to the repeat buyers',
      channel: 'email',
      variants: [{ name: 'A', email: w.email.templateId }],
      trigger: { on: { segment: segment.segmentId } },
    });
    await launchCampaign(w.deps, caller, campaign.campaignId);
    await buy('one@example.com'); // enters
    await buy('two@example.com'); // was in already (judged by its orders before this event)
    await play(w.deps, w.clock);
    expect(emailsTo(w.deps)).toEqual(['one@example.com']);
    await buy('one@example.com'); // stays in
    await play(w.deps, w.clock);
    expect(emailsTo(w.deps)).toEqual(['one@example.com']);
    // Concurrent events that bring a contact in: one entry, one firing.
    await upsertContact(w.deps, caller, { email: 'three@example.com', consent: { email: { status: 'subscribed' } } });
    await buy('three@example.com');
    const at = w.clock.now().toISOString();
    const order = (id: string) => ({
      eventId: id,
      type: 'purchase',
      email: 'three@example.com',
      orderId: id,
      total: 5,
      currency: 'EUR',
      at,
    });
    await Promise.all([ingestEvents(w.deps, caller, [order('c1')]), ingestEvents(w.deps, caller, [order('c2')])]);
    await play(w.deps, w.clock);
    expect(emailsTo(w.deps)).toEqual(['one@example.com', 'three@example.com']);
    // Edited to another segment: judged afresh, so who is in the new one already does not fire.
    const { segment: any } = await createSegment(w.deps, caller, { name: 'Buyers', rule: { field: 'orders', op: 'gte', value: 1 } });
    await updateCampaign(w.deps, caller, campaign.campaignId, {
      trigger: { on: { segment: any.segmentId, where: [], first: false }, delay: 'PT0S', cancelIfPurchased: false, recommendations: 0 },
    });
    await buy('two@example.com');
    await play(w.deps, w.clock);
    expect(emailsTo(w.deps)).toEqual(['one@example.com', 'three@example.com']);
    const error = await createCampaign(w.deps, caller, {
      name: 'x',
      channel: 'email',
      variants: [{ name: 'A', email: w.email.templateId }],
      trigger: { on: { segment: 'sg_nope' } },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, issues: [{ field: 'body.trigger.on.segment' }] });
  });

  it('a crash between the record and the firing mark fires again onto the same record, sending once', async () => {
    const t = await triggerWorld({ delay: 'PT0S' });
    t.deps.failOnce('triggers.endFiring');
    await t.buy();
    await expect(t.pass(0)).rejects.toThrow(/injected/);
    // The queue delivers the message again.
    await t.deps.queue.send('trigger-due', {
      kind: 'firing',
      tenantId: caller.tenantId,
      contactId: t.contact.contactId,
      campaignId: t.campaign.campaignId,
      firingId: t.firings()[0]?.firingId as string,
    });
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    expect(t.records()).toHaveLength(1);
    expect(t.firings()).toMatchObject([{ status: 'fired' }]);
    expect((await t.counts()).audience).toBe(1);
  });

  it('a firing whose record was written before a crash completes even if the trigger was paused meanwhile', async () => {
    const t = await triggerWorld({ delay: 'PT0S' });
    t.deps.failOnce('triggers.endFiring');
    await t.buy();
    await expect(t.pass(0)).rejects.toThrow(/injected/);
    await pauseCampaign(t.deps, caller, t.campaign.campaignId);
    await t.deps.queue.send('trigger-due', {
      kind: 'firing',
      tenantId: caller.tenantId,
      contactId: t.contact.contactId,
      campaignId: t.campaign.campaignId,
      firingId: t.firings()[0]?.firingId as string,
    });
    await t.pass(0);
    expect(t.firings()).toMatchObject([{ status: 'fired' }]);
    expect((await t.counts()).firings).toMatchObject({ started: 1, fired: 1, waiting: 0 });
    await resumeCampaign(t.deps, caller, t.campaign.campaignId);
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
  });

  it('a crash before the firing is stored: the replayed event still starts it', async () => {
    const t = await triggerWorld({ delay: 'PT0S', cooldown: 'P30D' });
    t.deps.failOnce('triggers.createFiring');
    await expect(t.buy()).rejects.toThrow(/injected/);
    expect(t.firings()).toEqual([]);
    // The shop retries the same event.
    await ingestEvents(t.deps, caller, [
      {
        eventId: 'order-1',
        type: 'purchase',
        email: 'ann@example.com',
        orderId: 'o1',
        total: 80,
        currency: 'EUR',
        items: [{ sku: 'sku1', category: 'shoes', price: 80, quantity: 1 }],
      },
    ]);
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
  });

  it('cross-sell: recommends what goes with the purchase from rules mined from the customers, never what they bought', async () => {
    const t = await triggerWorld({ delay: 'P2D', recommendations: 3 });
    t.clock.advance(1000); // parsed templates are cached by id, version and time: fake ids repeat across tests
    const { template } = await createTemplate(t.deps, caller, {
      name: 'Goes with',
      channel: 'email',
      email: { subject: 'Goes with your shoes: {{ trigger.recommendations[0].item }}', html: '<p>{{ trigger.recommendations.size }}</p>' },
    });
    await updateCampaign(t.deps, caller, t.campaign.campaignId, { variants: [{ name: 'A', weight: 1, email: template.templateId }] });
    // Twenty customers bought shoes and socks, ten of them polish too; five bought books only.
    for (let i = 0; i < 25; i++) {
      const categories = i < 20 ? ['shoes', 'socks', ...(i < 10 ? ['polish'] : [])] : ['books'];
      await ingestEvents(t.deps, caller, [
        {
          eventId: `h${i}`,
          type: 'purchase',
          email: `h${i}@example.com`,
          orderId: `h${i}`,
          total: 5,
          currency: 'EUR',
          items: categories.map((category) => ({ sku: category, category, price: 1, quantity: 1 })),
        },
      ]);
    }
    const { recomputeBoundaries } = await import('../../../shared/services/value-model.ts');
    await recomputeBoundaries(t.deps, caller.tenantId);
    await t.buy('polish'); // Ann once bought polish
    await t.buy('shoes');
    await t.pass(3 * DAY);
    const record = t.records().find((r) => r.status === 'sent');
    const items = ((record?.data?.recommendations ?? []) as { item: string }[]).map((r) => r.item);
    expect(items[0]).toBe('socks');
    expect(items).not.toContain('polish');
    expect(items).not.toContain('shoes');
    expect(t.deps.delivered.emails.map((e) => e.subject)).toContain('Goes with your shoes: socks');
  });

  it('erasing a contact removes the order and recommendations from its triggered records, sent or not', async () => {
    const t = await triggerWorld({ delay: 'PT0S' }, { holdout: { percent: 90 } });
    for (let i = 0; i < 5; i++) await t.buy();
    await t.pass(0);
    expect(t.records().every((r) => r.data !== undefined)).toBe(true);
    expect(t.records().some((r) => r.status === 'holdout')).toBe(true); // never claimed: found through its firing
    const { eraseContact } = await import('../../../shared/services/contacts.ts');
    await eraseContact(t.deps, caller, t.contact.contactId);
    expect(t.records()).toHaveLength(5);
    expect(t.records().filter((r) => r.data !== undefined || r.links !== undefined)).toEqual([]);
    expect(t.firings()).toEqual([]);
  });

  it('a batch runs its pieces at once; the same firing twice in one batch sends once and counts once', async () => {
    const t = await triggerWorld({ delay: 'P1D' });
    await t.buy();
    t.clock.advance(DAY + 60_000);
    await sweepDue(t.deps);
    const handed = t.deps.sent.splice(0).map((s) => s.message as DueWork);
    expect(handed).toHaveLength(1);
    expect(await runDueBatch(t.deps, [handed[0] as DueWork, handed[0] as DueWork])).toEqual([]);
    await t.pass(0);
    expect(emailsTo(t.deps)).toEqual(['ann@example.com']);
    expect((await t.counts()).firings).toMatchObject({ started: 1, fired: 1 });
    expect((await t.counts()).audience).toBe(1);
  });

  it('the sweep hands each due entry over once, when it is due', async () => {
    const t = await triggerWorld({ delay: 'P1D' });
    await t.buy();
    expect(t.deps.world.due.size).toBe(1);
    t.clock.advance(DAY - 60_000);
    expect((await sweepDue(t.deps)).handed).toBe(0);
    t.clock.advance(120_000);
    expect((await sweepDue(t.deps)).handed).toBe(1);
    expect((await sweepDue(t.deps)).handed).toBe(0);
    expect(t.deps.world.due.size).toBe(0);
  });
});
