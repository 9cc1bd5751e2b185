/** Value-model use cases over in-memory ports: boundaries recomputed from the base, and the contact view. */
import { describe, expect, it } from 'vitest';
import { NotFound } from '../../../shared/domain/errors.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';
import { ingestEvents } from '../../../shared/services/events.ts';
import { getContactWithValue, recomputeBoundaries } from '../../../shared/services/value-model.ts';
import { fakeClock, fakeDeps, type FakeDeps } from '../../helpers/fakes.ts';

const caller = { tenantId: 't-value' };
const NOW = '2025-06-01T12:00:00.000Z';
const DAY = 86_400;
const nowSeconds = Date.parse(NOW) / 1000;
const daysAgo = (d: number) => new Date((nowSeconds - d * DAY) * 1000).toISOString();

/**
 * Ten customers, k = 1..10: ceil(k/3) orders of 10·k each, the last one k days ago and the
 * others 30 days apart before it. So (orders, revenue) per k:
 *   1:(1,10) 2:(1,20) 3:(1,30) 4:(2,80) 5:(2,100) 6:(2,120) 7:(3,210) 8:(3,240) 9:(3,270) 10:(4,400)
 * Plus three non-customers: a visitor, a buyer whose only order was refunded, a contact with no events.
 */
async function seed(deps: FakeDeps) {
  const customers = new Map<number, string>();
  const events: object[] = [];
  for (let k = 1; k <= 10; k++) {
    const email = `cust${k}@example.com`;
    for (let j = 0; j < Math.ceil(k / 3); j++) {
      events.push({
        eventId: `k${k}-${j}`,
        type: 'purchase',
        email,
        orderId: `o${k}-${j}`,
        total: 10 * k,
        currency: 'EUR',
        at: daysAgo(k + 30 * j),
      });
    }
  }
  events.push({ eventId: 'visit', type: 'visit', email: 'visitor@example.com', at: daysAgo(2) });
  events.push({
    eventId: 'rp',
    type: 'purchase',
    email: 'refunded@example.com',
    orderId: 'or',
    total: 999,
    currency: 'EUR',
    at: daysAgo(3),
  });
  events.push({ eventId: 'rr', type: 'refund', email: 'refunded@example.com', orderId: 'or', at: daysAgo(2) });
  const result = await ingestEvents(deps, caller, events);
  expect(result.rejected).toBe(0);
  for (let k = 1; k <= 10; k++) customers.set(k, result.results.find((r) => r.eventId === `k${k}-0`)?.contactId as string);
  const visitor = result.results.find((r) => r.eventId === 'visit')?.contactId as string;
  await upsertContact(deps, caller, { email: 'silent@example.com' });
  return { customers, visitor };
}

describe('recomputeBoundaries', () => {
  it('computes quintile cut points and tier thresholds from the customers only', async () => {
    // Arrange
    const deps = fakeDeps(fakeClock(NOW).now);
    await seed(deps);
    // Act
    const boundaries = await recomputeBoundaries(deps, caller.tenantId);
    // Assert (by hand: sorted revenue 10 20 30 80 100 120 210 240 270 400; cut ranks ceil(k·10/5) = 2, 4, 6, 8)
    expect(boundaries).toEqual({
      computedAt: NOW,
      customers: 10,
      recency: [nowSeconds - 9 * DAY, nowSeconds - 7 * DAY, nowSeconds - 5 * DAY, nowSeconds - 3 * DAY],
      frequency: [1, 2, 2, 3],
      monetary: [20, 80, 120, 240],
      tierA: 270, // least revenue of the top ceil(20%) = 2 customers
      tierB: 120, // least revenue of the top ceil(50%) = 5 customers
      tierARevenueShare: 0.4527, // (270 + 400) / 1480
    });
    expect((await deps.settings.valueModel(caller.tenantId)).boundaries).toEqual(boundaries);
  });

  it('mines product rules once there are enough baskets, with support as count / baskets', async () => {
    const deps = fakeDeps(fakeClock(NOW).now);
    // 1,000 customers: every 4th bought SKU-A and SKU-B together (250), every 10th SKU-C alone (100), the rest SKU-D.
    const events = Array.from({ length: 1000 }, (_, i) => ({
      eventId: `p${i}`,
      type: 'purchase',
      email: `p${i}@example.com`,
      orderId: `o${i}`,
      total: 10,
      currency: 'EUR',
      at: daysAgo(5),
      items:
        i % 4 === 0
          ? [
              { sku: 'SKU-A', category: 'a', price: 5, quantity: 1 },
              { sku: 'SKU-B', category: 'b', price: 5, quantity: 1 },
            ]
          : [{ sku: i % 10 === 5 ? 'SKU-C' : 'SKU-D', category: 'c', price: 10, quantity: 1 }],
    }));
    for (let i = 0; i < events.length; i += 500) await ingestEvents(deps, caller, events.slice(i, i + 500));
    await recomputeBoundaries(deps, caller.tenantId);
    const products = await deps.settings.rules(caller.tenantId, 'product');
    expect(products?.baskets).toBe(1000);
    expect(products?.rules).toContainEqual({
      antecedent: ['SKU-A'],
      consequent: 'SKU-B',
      support: 0.25,
      confidence: 1,
      lift: 4,
      count: 250,
    });
    // One customer fewer and there are no product rules: 999 baskets are below the 1,000 needed.
    const small = fakeDeps(fakeClock(NOW).now);
    await ingestEvents(small, caller, events.slice(0, 499));
    await ingestEvents(small, caller, events.slice(500));
    await recomputeBoundaries(small, caller.tenantId);
    expect(await small.settings.rules(caller.tenantId, 'product')).toBeUndefined();
    expect(await small.settings.rules(caller.tenantId)).toBeDefined();
  });

  it('gives empty boundaries for a workspace with no customers', async () => {
    const deps = fakeDeps(fakeClock(NOW).now);
    await upsertContact(deps, caller, { email: 'only@example.com' });
    const boundaries = await recomputeBoundaries(deps, caller.tenantId);
    expect(boundaries).toEqual({
      computedAt: NOW,
      customers: 0,
      recency: [],
      frequency: [],
      monetary: [],
      tierA: 0,
      tierB: 0,
      tierARevenueShare: 0,
    });
  });
});

describe('getContactWithValue', () => {
  it('derives RFM scores, tier and lifecycle from the aggregates and the stored boundaries', async () => {
    // Arrange
    const deps = fakeDeps(fakeClock(NOW).now);
    const { customers, visitor } = await seed(deps);
    await recomputeBoundaries(deps, caller.tenantId);
    // Act
    const top = await getContactWithValue(deps, caller, customers.get(10) as string);
    const middle = await getContactWithValue(deps, caller, customers.get(6) as string);
    const low = await getContactWithValue(deps, caller, customers.get(5) as string);
    const recent = await getContactWithValue(deps, caller, customers.get(1) as string);
    const prospect = await getContactWithValue(deps, caller, visitor);
    // Assert
    expect(top.value).toMatchObject({
      orders: 4,
      revenue: 400,
      rfm: { r: 1, f: 5, m: 5 },
      tier: 'A',
      lifecycle: 'loyal',
      lastPurchaseAt: daysAgo(10),
    });
    expect(middle.value).toMatchObject({ revenue: 120, tier: 'B' });
    expect(low.value).toMatchObject({ revenue: 100, tier: 'C' });
    expect(recent.value).toMatchObject({ orders: 1, rfm: { r: 5, f: 1, m: 1 }, tier: 'C', lifecycle: 'new' });
    expect(prospect.value).toMatchObject({ orders: 0, lifecycle: 'prospect', events: { visit: { count: 1 } } });
    expect(prospect.value.rfm).toBeUndefined();
    expect(prospect.value.tier).toBeUndefined();
  });

  it('shows no RFM or tier before boundaries are computed', async () => {
    const deps = fakeDeps(fakeClock(NOW).now);
    const { customers } = await seed(deps);
    const view = await getContactWithValue(deps, caller, customers.get(10) as string);
    expect(view.value).toMatchObject({ orders: 4, lifecycle: 'loyal' });
    expect(view.value.rfm).toBeUndefined();
    expect(view.value.tier).toBeUndefined();
  });

  it('answers NotFound for an id that names no contact', async () => {
    // Arrange
    const deps = fakeDeps(fakeClock(NOW).now);
    // Act
    const error = await getContactWithValue(deps, caller, 'ct_nobody').catch((e: unknown) => e);
    // Assert
    expect(error).toBeInstanceOf(NotFound);
  });
});
