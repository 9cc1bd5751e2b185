/** Events in: POST /events and the bus, idempotent by eventId, proven by replays and crashes between writes. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../shared/domain/value.ts';
import { allDeps } from '../../shared/runtime/deps.ts';
import { ingestEvents, refreshAggregates } from '../../shared/services/events.ts';
import { aContact, randomTenant } from '../helpers/builders.ts';
import { usePlatform } from '../helpers/platform.ts';

const tenantId = randomTenant();
const t = usePlatform({ tenantId });
const day = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * day).toISOString();

const purchase = (email: string, orderId: string, total: number, daysAgo: number, category = 'shoes') => ({
  eventId: `ev-${orderId}`,
  type: 'purchase',
  email,
  at: ago(daysAgo),
  orderId,
  total,
  currency: 'EUR',
  items: [{ sku: `sku-${category}`, category, price: total, quantity: 1 }],
});

describe('POST /events', () => {
  it('keeps the good events of a batch, reports each bad one by field, and creates prospects for unknown identifiers', async () => {
    // Arrange
    const email = aContact().email as string;
    const batch = [
      purchase(email, 'o-1', 40, 100),
      { eventId: 'bad-1', type: 'purchase', email, orderId: 'o-x', total: -5, currency: 'EUR' },
      purchase(email, 'o-2', 60, 10, 'socks'),
      { eventId: 'visit-1', type: 'visit', email, at: ago(2), properties: { page: '/shoes' } },
      { eventId: 'anon', type: 'visit' },
    ];
    // Act
    const res = await t.api('POST', '/events', { events: batch });
    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 2 });
    expect(res.body.results[1]).toMatchObject({ status: 'rejected', errors: [{ field: 'body.events.1.total' }] });
    expect(res.body.results[4].errors[0].field).toBe('body.events.4.email');
    expect(res.body.results[0]).toMatchObject({ status: 'accepted', createdContact: true });
    const contactId = res.body.results[0].contactId;
    const contact = (await t.api('GET', `/contacts/${contactId}`)).body;
    expect(contact.consent.email.status).toBe('unknown');
    expect(contact.value).toMatchObject({ orders: 2, revenue: 100, averageOrderValue: 50, lifecycle: 'active' });
    expect(contact.value.categories).toMatchObject({ shoes: { count: 1 }, socks: { count: 1 } });
    expect(contact.value.events).toMatchObject({ visit: { count: 1 } });
  });

  it('rejects a number DynamoDB cannot store as that event only, and exports the events it keeps', async () => {
    const email = aContact().email as string;
    const res = await t.api('POST', '/events', {
      events: [
        purchase(email, 'big-1', 20, 1),
        { ...purchase(email, 'big-2', 0, 1), total: 1e16 },
        { eventId: 'v-big', type: 'visit', email, properties: { n: 1e300 } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(res.body.results[1].errors[0].field).toBe('body.events.1.total');
    const exported = (await t.api('GET', `/contacts/${res.body.results[0].contactId}/export`)).body;
    expect(exported.events.map((e: { eventId: string }) => e.eventId)).toEqual(['ev-big-1']);
    expect(exported.aggregates).toMatchObject({ orders: 1, revenue: 20 });
  });

  it('counts a replayed batch once, and a refund reverses its order', async () => {
    const email = aContact().email as string;
    const batch = [purchase(email, 'r-1', 30, 5), purchase(email, 'r-2', 70, 3)];
    const first = await t.api('POST', '/events', { events: batch });
    const replay = await t.api('POST', '/events', { events: batch });
    expect(replay.body).toMatchObject({ accepted: 0, duplicates: 2, rejected: 0 });
    const contactId = first.body.results[0].contactId;
    expect((await t.api('GET', `/contacts/${contactId}`)).body.value).toMatchObject({ orders: 2, revenue: 100 });
    await t.api('POST', '/events', { events: [{ eventId: 'refund-r-2', type: 'refund', contactId, orderId: 'r-2' }] });
    expect((await t.api('GET', `/contacts/${contactId}`)).body.value).toMatchObject({ orders: 1, revenue: 30, refunds: 1 });
  });

  it('loses nothing and counts nothing twice when the write sequence is cut at any step and replayed', async () => {
    const deps = allDeps();
    const caller = { tenantId };
    const { contact } = await (await import('../../shared/services/contacts.ts')).upsertContact(deps, caller, aContact());
    const events = [purchase(contact.email as string, 'c-1', 10, 4), purchase(contact.email as string, 'c-2', 20, 2)];
    // Step 1 done, crash before step 2: the first event is stored but its effect was never folded.
    await deps.events.put(tenantId, contact.contactId, {
      eventId: 'ev-c-1',
      type: 'purchase',
      at: events[0]!.at,
      receivedAt: new Date().toISOString(),
      orderId: 'c-1',
      total: 10,
      currency: 'EUR',
      items: [],
    });
    expect((await t.api('GET', `/contacts/${contact.contactId}`)).body.value.orders).toBe(0);
    // Replay the whole batch: the stored event is a duplicate, yet its effect arrives, once.
    const replay = await ingestEvents(deps, caller, events);
    expect(replay.results.map((r) => r.status)).toEqual(['duplicate', 'accepted']);
    expect((await t.api('GET', `/contacts/${contact.contactId}`)).body.value).toMatchObject({ orders: 2, revenue: 30 });
    // Steps all done, then the fold is replayed (a retried batch): nothing changes.
    await refreshAggregates(deps, tenantId, contact.contactId);
    await ingestEvents(deps, caller, events);
    expect((await t.api('GET', `/contacts/${contact.contactId}`)).body.value).toMatchObject({ orders: 2, revenue: 30 });
    // A stale fold (from fewer events) arriving late is refused: aggregates never go backwards.
    expect(await deps.contacts.saveAggregates(tenantId, contact.contactId, foldEvents([]))).toBe(false);
    expect((await t.api('GET', `/contacts/${contact.contactId}`)).body.value.orders).toBe(2);
  });

  it('ingests events put on the EventBridge bus through the same service, and dead-letters a bad one', async () => {
    const email = aContact().email as string;
    const bus = new EventBridgeClient({ endpoint: t.platform.eventBusUrl });
    const put = (detailType: string, detail: object) =>
      bus.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: process.env.EVENT_BUS_NAME, Source: 'herald.events', DetailType: detailType, Detail: JSON.stringify(detail) },
          ],
        }),
      );
    const { type: _t, ...order } = purchase(email, 'bus-1', 25, 1);
    await put('Purchase', order);
    await put('Custom Event', { eventId: 'bus-visit', type: 'visit', email });
    await put('Purchase', { eventId: 'bus-bad', email, orderId: 'bus-2', currency: 'EUR' });
    await t.platform.drainQueues(20_000);
    const found = await t.api('GET', `/contacts?email=${encodeURIComponent(email)}`);
    const contact = (await t.api('GET', `/contacts/${found.body.items[0].contactId}`)).body;
    expect(contact.value).toMatchObject({ orders: 1, revenue: 25, events: { visit: { count: 1 } } });
    expect(t.platform.eventDeadLetters('purchase').map((d) => (d.event.detail as { eventId: string }).eventId)).toContain('bus-bad');
  });
});

describe('value model', () => {
  it('recomputes RFM quintiles and Pareto tiers, shown on the contact; thresholds are settings', async () => {
    const emails = Array.from({ length: 10 }, () => aContact().email as string);
    // Customer i spends 10·(i+1) in i+1 orders, the last one i·20 days ago.
    const events = emails.flatMap((email, i) => Array.from({ length: i + 1 }, (_, k) => purchase(email, `v-${i}-${k}`, 10, i * 20 + k)));
    const res = await t.api('POST', '/events', { events });
    expect(res.body.rejected).toBe(0);
    expect((await t.api('POST', '/settings/value-model/recompute')).status).toBe(202);
    await t.platform.drainQueues(20_000);
    const boundaries = (await t.api('GET', '/settings/value-model')).body.boundaries;
    expect(boundaries.customers).toBeGreaterThanOrEqual(10);
    const best = res.body.results.at(-1).contactId; // 10 orders, revenue 100: the top of this base
    const value = (await t.api('GET', `/contacts/${best}`)).body.value;
    expect(value).toMatchObject({ orders: 10, revenue: 100, tier: 'A', rfm: { f: 5, m: 5 } });
    const lapsing = res.body.results[events.findIndex((e) => e.email === emails[5])].contactId; // last order 100 days ago
    expect((await t.api('GET', `/contacts/${lapsing}`)).body.value.lifecycle).toBe('at_risk');
    await t.api('PUT', '/settings/value-model', {
      lifecycle: { atRiskAfterDays: 120, lapsedAfterDays: 365, loyalMinOrders: 4, loyalWithinDays: 365 },
    });
    expect((await t.api('GET', `/contacts/${lapsing}`)).body.value.lifecycle).toBe('loyal');
    const wrapped = await t.api('PUT', '/settings/value-model', { settings: { lifecycle: { atRiskAfterDays: 60 } } });
    expect(wrapped.status).toBe(400); // an unknown key is refused, never a silent reset to defaults
    expect((await t.api('GET', `/contacts/${lapsing}`)).body.value.lifecycle).toBe('loyal');
    const bad = await t.api('PUT', '/settings/value-model', { lifecycle: { atRiskAfterDays: 400, lapsedAfterDays: 365 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('body.lifecycle.atRiskAfterDays');
  });
});
