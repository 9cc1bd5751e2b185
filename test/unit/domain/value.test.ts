import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../shared/domain/event.ts';
import {
  AGGREGATE_BOUNDS,
  DEFAULT_VALUE_SETTINGS,
  LifecycleSettings,
  computeBoundaries,
  describeValue,
  foldEvents,
  lifecycleOf,
  quintileCuts,
  scoreOf,
  tierOf,
  type Aggregates,
  type Boundaries,
} from '../../../shared/domain/value.ts';

/** The fixed clock: 2026-11-24T10:00:00Z. */
const NOW = new Date('2026-11-24T10:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const DAY = 86_400;
const RECEIVED = '2026-11-24T10:00:00.000Z';
const sec = (iso: string) => Date.parse(iso) / 1000;
/** An ISO time `s` epoch seconds after 2026-01-01T00:00:00Z. */
const T0 = sec('2026-01-01T00:00:00.000Z');
const iso = (s: number) => new Date((T0 + s) * 1000).toISOString();

type Item = { sku: string; category?: string; price: number; quantity: number };
const purchase = (eventId: string, orderId: string, at: string, total: number, items: Item[] = []): StoredEvent => ({
  eventId,
  type: 'purchase',
  at,
  receivedAt: RECEIVED,
  orderId,
  total,
  currency: 'EUR',
  items,
});
const refund = (eventId: string, orderId: string, at: string): StoredEvent => ({
  eventId,
  type: 'refund',
  at,
  receivedAt: RECEIVED,
  orderId,
});
const custom = (eventId: string, type: string, at: string): StoredEvent => ({ eventId, type, at, receivedAt: RECEIVED });

describe('foldEvents', () => {
  it('folds nothing into empty aggregates', () => {
    expect(foldEvents([])).toEqual({
      eventCount: 0,
      orders: 0,
      revenue: 0,
      averageOrderValue: 0,
      refunds: 0,
      orderTimes: [],
      categories: {},
      skus: {},
      events: {},
    });
  });

  it('counts orders, revenue, average order value and first/last/previous purchase', () => {
    // Arrange: three orders, given out of time order.
    const events = [
      purchase('e2', 'o2', '2026-03-01T12:00:00.000Z', 50),
      purchase('e3', 'o3', '2026-06-15T08:30:00.000Z', 25.5),
      purchase('e1', 'o1', '2026-01-10T00:00:00.000Z', 30),
    ];

    // Act
    const a = foldEvents(events);

    // Assert: revenue 30 + 50 + 25.5 = 105.5; AOV 105.5 / 3 = 35.1666… → 35.17.
    expect(a).toMatchObject({ eventCount: 3, orders: 3, revenue: 105.5, averageOrderValue: 35.17, refunds: 0 });
    expect(a.firstPurchaseAt).toBe(sec('2026-01-10T00:00:00.000Z'));
    expect(a.lastPurchaseAt).toBe(sec('2026-06-15T08:30:00.000Z'));
    expect(a.previousPurchaseAt).toBe(sec('2026-03-01T12:00:00.000Z'));
    expect(a.orderTimes).toEqual([sec('2026-01-10T00:00:00.000Z'), sec('2026-03-01T12:00:00.000Z'), sec('2026-06-15T08:30:00.000Z')]);
  });

  it('has no previous purchase with a single order', () => {
    const a = foldEvents([purchase('e1', 'o1', iso(0), 10)]);
    expect(a.firstPurchaseAt).toBe(T0);
    expect(a.lastPurchaseAt).toBe(T0);
    expect(a).not.toHaveProperty('previousPurchaseAt');
  });

  it('counts a repeated purchase event for the same order once, the latest one winning', () => {
    // Arrange: o1 sent twice (a retry with a new event id) and corrected later with a new total.
    const events = [
      purchase('e1', 'o1', iso(100), 20, [{ sku: 'A', category: 'shoes', price: 20, quantity: 1 }]),
      purchase('e1b', 'o1', iso(100), 20, [{ sku: 'A', category: 'shoes', price: 20, quantity: 1 }]),
      purchase('e1c', 'o1', iso(200), 25, [{ sku: 'A', category: 'shoes', price: 25, quantity: 1 }]),
      purchase('e2', 'o2', iso(50), 10),
    ];

    // Act
    const a = foldEvents(events);

    // Assert: 2 orders; revenue 25 (latest o1) + 10 = 35; the shoe category counted once.
    expect(a).toMatchObject({ eventCount: 4, orders: 2, revenue: 35, averageOrderValue: 17.5 });
    expect(a.orderTimes).toEqual([T0 + 50, T0 + 200]);
    expect(a.categories).toEqual({ shoes: { count: 1, lastAt: T0 + 200, times: [T0 + 200] } });
    expect(a.skus.A).toEqual({ count: 1, lastAt: T0 + 200, times: [T0 + 200] });
  });

  it('removes a refunded order entirely, whether the refund comes before or after it', () => {
    // Arrange
    const events = [
      refund('r2', 'o2', iso(10)),
      purchase('e1', 'o1', iso(100), 20),
      purchase('e2', 'o2', iso(300), 80, [{ sku: 'B', category: 'bags', price: 80, quantity: 1 }]),
      purchase('e3', 'o3', iso(200), 40),
    ];

    // Act
    const a = foldEvents(events);

    // Assert: o1 + o3 remain: 20 + 40 = 60, AOV 30; last purchase is o3's.
    expect(a).toMatchObject({ eventCount: 4, orders: 2, revenue: 60, averageOrderValue: 30, refunds: 1 });
    expect(a.lastPurchaseAt).toBe(T0 + 200);
    expect(a.previousPurchaseAt).toBe(T0 + 100);
    expect(a.categories).toEqual({});
    expect(a.skus).toEqual({});
  });

  it('counts an item category once per order, however many items carry it', () => {
    const a = foldEvents([
      purchase('e1', 'o1', iso(10), 30, [
        { sku: 'A', category: 'shoes', price: 10, quantity: 1 },
        { sku: 'B', category: 'shoes', price: 10, quantity: 2 },
        { sku: 'C', price: 10, quantity: 1 },
      ]),
      purchase('e2', 'o2', iso(20), 10, [{ sku: 'A', category: 'shoes', price: 10, quantity: 1 }]),
    ]);
    expect(a.categories).toEqual({ shoes: { count: 2, lastAt: T0 + 20, times: [T0 + 10, T0 + 20] } });
    expect(a.skus).toEqual({
      A: { count: 2, lastAt: T0 + 20, times: [T0 + 10, T0 + 20] },
      B: { count: 1, lastAt: T0 + 10, times: [T0 + 10] },
      C: { count: 1, lastAt: T0 + 10, times: [T0 + 10] },
    });
  });

  it('tallies custom events by type, times ascending', () => {
    const a = foldEvents([
      custom('v2', 'visit', iso(300)),
      custom('s1', 'signup', iso(50)),
      custom('v1', 'visit', iso(100)),
      custom('v3', 'visit', iso(200)),
    ]);
    expect(a.events).toEqual({
      visit: { count: 3, lastAt: T0 + 300, times: [T0 + 100, T0 + 200, T0 + 300] },
      signup: { count: 1, lastAt: T0 + 50, times: [T0 + 50] },
    });
    expect(a).toMatchObject({ eventCount: 4, orders: 0, revenue: 0 });
    expect(a).not.toHaveProperty('lastPurchaseAt');
  });

  it('bounds order times and per-category, per-sku and per-event-type tallies, keeping the most recent', () => {
    // Arrange: 60 orders, order i at T0 + i hours, each with its own sku s<i> and category c<i>;
    // plus sku "hot" and category "main" in every order; plus 25 event types, "visit" 20 times.
    const H = 3600;
    const events: StoredEvent[] = [];
    for (let i = 0; i < 60; i++) {
      events.push(
        purchase(`p${i}`, `o${i}`, iso(i * H), 1, [
          { sku: `s${i}`, category: `c${i}`, price: 1, quantity: 1 },
          { sku: 'hot', category: 'main', price: 0, quantity: 1 },
        ]),
      );
    }
    for (let t = 0; t < 25; t++) events.push(custom(`x${t}`, `type${t}`, iso(t * H)));
    for (let v = 0; v < 20; v++) events.push(custom(`v${v}`, 'visit', iso(v * H)));

    // Act
    const a = foldEvents(events);

    // Assert
    expect(a.orders).toBe(60);
    expect(a.orderTimes).toEqual(Array.from({ length: 16 }, (_, k) => T0 + (44 + k) * H)); // orders 44..59

    expect(Object.keys(a.categories)).toHaveLength(AGGREGATE_BOUNDS.categories);
    // "main" (last at order 59) and c59..c31 are the 30 most recent; c30 and older are gone.
    expect(a.categories.main).toEqual({ count: 60, lastAt: T0 + 59 * H, times: Array.from({ length: 8 }, (_, k) => T0 + (52 + k) * H) });
    expect(a.categories.c59).toBeDefined();
    expect(a.categories.c31).toBeDefined();
    expect(a.categories.c30).toBeUndefined();

    expect(Object.keys(a.skus)).toHaveLength(AGGREGATE_BOUNDS.skus);
    expect(a.skus.hot).toEqual({ count: 60, lastAt: T0 + 59 * H, times: [56, 57, 58, 59].map((k) => T0 + k * H) });
    expect(a.skus.s11).toBeDefined(); // hot + s59..s11 = 50
    expect(a.skus.s10).toBeUndefined();

    // By last time: type24 … type20, then type19 and visit tie at 19 h (key order puts type19
    // first), then type18 … : the 20 kept are type24 … type6 and visit; type5 … type0 are dropped.
    expect(Object.keys(a.events).sort()).toEqual([...Array.from({ length: 19 }, (_, k) => `type${k + 6}`), 'visit'].sort());
    expect(a.events.visit).toEqual({ count: 20, lastAt: T0 + 19 * H, times: Array.from({ length: 16 }, (_, k) => T0 + (4 + k) * H) });
  });

  it('keeps the newest keys by last time, breaking ties by key', () => {
    // 21 event types all at the same second: the 20 first in key order are kept.
    const events = Array.from({ length: 21 }, (_, i) => custom(`e${i}`, `t${String(i).padStart(2, '0')}`, iso(0)));
    const kept = Object.keys(foldEvents(events).events).sort();
    expect(kept).toEqual(Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`));
  });

  describe('order independence', () => {
    const category = fc.constantFrom('shoes', 'bags', 'hats', undefined);
    const item = fc
      .record({ sku: fc.constantFrom('A', 'B', 'C', 'D'), category, price: fc.nat(100), quantity: fc.integer({ min: 1, max: 3 }) })
      .map(({ category: c, ...rest }) => (c === undefined ? rest : { ...rest, category: c }));
    const at = fc.integer({ min: 0, max: 20 }).map((h) => iso(h * 3600));
    // Totals in thousandths: three-decimal currencies (KWD, BHD) are valid money.
    const total = fc.integer({ min: 0, max: 100_000 }).map((m) => m / 1000);
    const orderId = fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6');
    const event = fc.oneof(
      fc.record({ kind: fc.constant('purchase' as const), orderId, at, total, items: fc.array(item, { maxLength: 3 }) }),
      fc.record({ kind: fc.constant('refund' as const), orderId, at }),
      fc.record({ kind: fc.constant('custom' as const), type: fc.constantFrom('visit', 'signup', 'complaint'), at }),
    );
    const events = fc
      .array(event, { maxLength: 25 })
      .map((list) =>
        list.map(
          (e, i): StoredEvent =>
            e.kind === 'purchase'
              ? purchase(`ev${i}`, e.orderId, e.at, e.total, e.items)
              : e.kind === 'refund'
                ? refund(`ev${i}`, e.orderId, e.at)
                : custom(`ev${i}`, e.type, e.at),
        ),
      );

    it('gives the same aggregates for any order of the same events', () => {
      fc.assert(
        fc.property(
          events.chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
          ),
          ([list, shuffled]) => {
            expect(foldEvents(shuffled)).toEqual(foldEvents(list));
          },
        ),
        { numRuns: 1000 },
      );
    });

    it('sums three-decimal totals to the same revenue and average in any order', () => {
      // Found by the property above: 95.217 + 38.403 + 93.045 = 226.665, and 226.665 / 3 = 75.555
      // sits on a rounding edge, so float sums in different orders rounded to 75.56 and 75.55.
      const [a, b, c] = [purchase('e0', 'o1', iso(0), 95.217), purchase('e1', 'o4', iso(0), 38.403), purchase('e2', 'o5', iso(0), 93.045)];
      const folds = [
        [a, b, c],
        [a, c, b],
        [b, a, c],
        [b, c, a],
        [c, a, b],
        [c, b, a],
      ].map((list) => foldEvents(list));
      for (const f of folds) expect(f).toEqual(folds[0]);
      expect(folds[0]?.revenue).toBeCloseTo(226.665, 2);
      expect(folds[0]?.averageOrderValue).toBeCloseTo(75.555, 2);
    });

    it('agrees with a naive count of orders and revenue', () => {
      fc.assert(
        fc.property(events, (list) => {
          // Reference: the refunded order ids; the remaining orders, latest event per order.
          const refunded = new Set(list.filter((e) => e.type === 'refund').map((e) => e.orderId));
          const latest = new Map<string, StoredEvent>();
          for (const e of list) {
            if (e.type !== 'purchase' || refunded.has(e.orderId)) continue;
            const seen = latest.get(e.orderId as string);
            if (!seen || Date.parse(seen.at) < Date.parse(e.at) || (seen.at === e.at && seen.eventId < e.eventId))
              latest.set(e.orderId as string, e);
          }
          // Sum in integer thousandths, so the reference is exact.
          const milli = [...latest.values()].reduce((s, e) => s + Math.round((e.total as number) * 1000), 0);
          const a = foldEvents(list);
          expect(a.orders).toBe(latest.size);
          expect(a.revenue).toBeCloseTo(milli / 1000, 1);
          // Refunds count the refunded orders the contact actually placed.
          const placed = new Set(list.filter((e) => e.type === 'purchase').map((e) => e.orderId));
          expect(a.refunds).toBe([...refunded].filter((id) => placed.has(id)).length);
          expect(a.eventCount).toBe(list.length);
        }),
        { numRuns: 200 },
      );
    });
  });
});

describe('quintileCuts and scoreOf', () => {
  it.each([
    // rank ceil(k·n/5): n=10 → ranks 2,4,6,8.
    [
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      [2, 4, 6, 8],
    ],
    // n=5 → ranks 1,2,3,4.
    [
      [10, 20, 30, 40, 50],
      [10, 20, 30, 40],
    ],
    // n=3 → ceil(0.6)=1, ceil(1.2)=2, ceil(1.8)=2, ceil(2.4)=3.
    [
      [10, 20, 30],
      [10, 20, 20, 30],
    ],
    // n=1 → every rank is 1.
    [[7], [7, 7, 7, 7]],
    // n=7 → ceil(1.4)=2, ceil(2.8)=3, ceil(4.2)=5, ceil(5.6)=6.
    [
      [1, 1, 2, 3, 5, 8, 13],
      [1, 2, 5, 8],
    ],
    [[], []],
  ])('cuts %j at %j', (values, cuts) => {
    expect(quintileCuts(values)).toEqual(cuts);
  });

  it.each([
    [1, 1],
    [2, 1],
    [2.5, 2],
    [4, 2],
    [5, 3],
    [8, 4],
    [8.01, 5],
    [10, 5],
    [-3, 1],
  ])('scores %d against cuts [2,4,6,8] as %d', (value, score) => {
    expect(scoreOf(value, [2, 4, 6, 8])).toBe(score);
  });

  it('scores every value 1 when there are no cuts', () => {
    expect(scoreOf(100, [])).toBe(1);
  });

  it('cuts so that at least k/5 of the values lie at or below the k-th cut, and fewer below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 60 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const n = sorted.length;
        const cuts = quintileCuts(sorted);
        cuts.forEach((cut, i) => {
          const k = i + 1;
          // Nearest-rank quantile: count(≤ cut) ≥ k·n/5 > count(< cut). Compare k·n with 5·count, exactly.
          expect(5 * sorted.filter((v) => v <= cut).length).toBeGreaterThanOrEqual(k * n);
          expect(5 * sorted.filter((v) => v < cut).length).toBeLessThan(k * n);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('computeBoundaries and tierOf', () => {
  const f64 = (values: number[]) => Float64Array.from(values);

  it('computes quintiles, tier thresholds and the Pareto share of a small base', () => {
    // Arrange: ten customers, given unsorted; revenue 1..10, orders 1..5 twice, last purchase 10..100.
    const revenue = [7, 3, 10, 1, 9, 5, 2, 8, 6, 4];
    const orders = [1, 2, 3, 4, 5, 5, 4, 3, 2, 1];
    const last = [100, 10, 90, 20, 80, 30, 70, 40, 60, 50];

    // Act
    const b = computeBoundaries({ lastPurchaseAt: f64(last), orders: f64(orders), revenue: f64(revenue) }, NOW);

    // Assert
    expect(b).toEqual({
      computedAt: '2026-11-24T10:00:00.000Z',
      customers: 10,
      recency: [20, 40, 60, 80], // sorted 10..100, ranks 2,4,6,8
      frequency: [1, 2, 3, 4], // sorted 1,1,2,2,3,3,4,4,5,5, ranks 2,4,6,8
      monetary: [2, 4, 6, 8],
      tierA: 9, // top 20% = ceil(10·0.2) = 2 customers: 9 and 10
      tierB: 6, // top 50% = 5 customers: 6..10
      tierARevenueShare: 0.3455, // (9 + 10) / (1 + … + 10) = 19/55 = 0.34545… → 0.3455
    });
    expect(revenue.map((r) => tierOf(r, b))).toEqual(['B', 'C', 'A', 'C', 'A', 'C', 'C', 'B', 'B', 'C']);
  });

  it('takes ceil(20%) of a base that does not divide by five', () => {
    // 7 customers: top 20% is ceil(1.4) = 2 (60, 70); half is ceil(3.5) = 4 (40..70).
    // Share = (60 + 70) / (10 + … + 70) = 130 / 280 = 0.464285… → 0.4643.
    const revenue = f64([10, 20, 30, 40, 50, 60, 70]);
    const b = computeBoundaries({ lastPurchaseAt: revenue, orders: revenue, revenue }, NOW);
    expect(b).toMatchObject({ tierA: 60, tierB: 40, tierARevenueShare: 0.4643 });
  });

  it('gives an empty base zero thresholds, and every revenue tier C', () => {
    const b = computeBoundaries({ lastPurchaseAt: f64([]), orders: f64([]), revenue: f64([]) }, NOW);
    expect(b).toEqual({
      computedAt: NOW.toISOString(),
      customers: 0,
      recency: [],
      frequency: [],
      monetary: [],
      tierA: 0,
      tierB: 0,
      tierARevenueShare: 0,
    });
    expect(tierOf(1_000, b)).toBe('C');
  });

  it('gives a base with no revenue a zero share', () => {
    const zeros = f64([0, 0, 0]);
    expect(computeBoundaries({ lastPurchaseAt: zeros, orders: zeros, revenue: zeros }, NOW).tierARevenueShare).toBe(0);
  });

  it('puts at least 20% of customers in tier A, and exactly ceil(n/5) when revenues are distinct', () => {
    const check = (revenues: number[], distinct: boolean) => {
      const n = revenues.length;
      const b = computeBoundaries({ lastPurchaseAt: f64(revenues), orders: f64(revenues), revenue: f64(revenues) }, NOW);
      const a = revenues.filter((r) => tierOf(r, b) === 'A').length;
      const ab = revenues.filter((r) => tierOf(r, b) !== 'C').length;
      // Compare a/n ≥ 1/5 as 5a ≥ n, exactly; ceil(n/5) in integers is floor((n + 4) / 5).
      expect(5 * a).toBeGreaterThanOrEqual(n);
      expect(2 * ab).toBeGreaterThanOrEqual(n);
      if (distinct) {
        expect(a).toBe(Math.floor((n + 4) / 5));
        expect(ab).toBe(Math.floor((n + 1) / 2));
      }
      // Reference share: the ceil(n/5) largest revenues over the total, rounded to 4 places.
      const desc = [...revenues].sort((x, y) => y - x);
      const total = desc.reduce((s, v) => s + v, 0);
      const top = desc.slice(0, Math.floor((n + 4) / 5)).reduce((s, v) => s + v, 0);
      expect(b.tierARevenueShare).toBe(total === 0 ? 0 : Math.round((top / total) * 10_000) / 10_000);
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 80 }), (r) => check(r, false)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 200 }), (r) => check(r, true)),
      { numRuns: 300 },
    );
  });
});

describe('lifecycleOf', () => {
  const settings = DEFAULT_VALUE_SETTINGS.lifecycle;
  /** Aggregates from order times given as seconds before NOW (any order). */
  const history = (...secondsAgo: number[]) => {
    const times = secondsAgo.map((s) => NOW_S - s).sort((a, b) => a - b);
    const n = times.length;
    return {
      orders: n,
      orderTimes: times,
      ...(n > 0 ? { lastPurchaseAt: times[n - 1] } : {}),
      ...(n > 1 ? { previousPurchaseAt: times[n - 2] } : {}),
    };
  };
  const days = (...d: number[]) => history(...d.map((x) => x * DAY));

  it('uses the documented defaults: at risk 90 d, lapsed 365 d, loyal 4 orders in 365 d', () => {
    expect(settings).toEqual({ atRiskAfterDays: 90, lapsedAfterDays: 365, loyalMinOrders: 4, loyalWithinDays: 365 });
  });

  it.each([
    ['prospect', 'no aggregates', undefined],
    ['prospect', 'no orders', days()],
    ['new', 'one order 10 days ago', days(10)],
    ['active', 'two orders, the last 10 days ago', days(10, 40)],
    ['active', 'three orders within a year (one short of loyal)', days(5, 100, 200)],
    ['loyal', 'four orders within a year', days(5, 100, 200, 300)],
    ['at_risk', 'last order 91 days ago', days(91, 120)],
    ['at_risk', 'a loyal history gone quiet for 100 days', days(100, 110, 120, 130, 140)],
    ['lapsed', 'last order 366 days ago', days(366, 400, 500, 600)],
    ['won_back', 'an order 10 days ago after a 390-day gap', days(10, 400)],
  ])('is %s with %s', (stage, _why, aggregates) => {
    expect(lifecycleOf(aggregates, settings, NOW_S)).toBe(stage);
  });

  it.each([
    ['exactly 90 days idle is not yet at risk', [90 * DAY], 'new'],
    ['90 days and a second idle is at risk', [90 * DAY + 1], 'at_risk'],
    ['exactly 365 days idle is at risk, not lapsed', [365 * DAY], 'at_risk'],
    ['365 days and a second idle is lapsed', [365 * DAY + 1], 'lapsed'],
    ['a gap of exactly 365 days is not a win-back', [10 * DAY, 375 * DAY], 'active'],
    ['a gap of 365 days and a second is a win-back', [10 * DAY, 375 * DAY + 1], 'won_back'],
    ['four orders with the oldest exactly 365 days ago are loyal', [DAY, 2 * DAY, 3 * DAY, 365 * DAY], 'loyal'],
    ['four orders with the oldest 365 days and a second ago are not', [DAY, 2 * DAY, 3 * DAY, 365 * DAY + 1], 'active'],
  ])('%s', (_why, secondsAgo, stage) => {
    expect(lifecycleOf(history(...secondsAgo), settings, NOW_S)).toBe(stage);
  });

  it('follows custom thresholds', () => {
    const s = LifecycleSettings.parse({ atRiskAfterDays: 30, lapsedAfterDays: 60, loyalMinOrders: 2, loyalWithinDays: 30 });
    expect(lifecycleOf(days(31), s, NOW_S)).toBe('at_risk');
    expect(lifecycleOf(days(61), s, NOW_S)).toBe('lapsed');
    expect(lifecycleOf(days(1, 20), s, NOW_S)).toBe('loyal');
    expect(lifecycleOf(days(1, 70), s, NOW_S)).toBe('won_back');
  });

  it('ranks a win-back above loyalty', () => {
    // Loyal window (365 d) longer than the lapse (60 d): orders 1 and 70 days ago are both
    // "2 orders within a year" (loyal) and "back after a 69-day gap" (won back).
    const s = LifecycleSettings.parse({ atRiskAfterDays: 30, lapsedAfterDays: 60, loyalMinOrders: 2, loyalWithinDays: 365 });
    expect(lifecycleOf(days(1, 70), s, NOW_S)).toBe('won_back');
    expect(lifecycleOf(days(1, 50), s, NOW_S)).toBe('loyal');
  });

  it('refuses settings where at-risk is not before lapsed', () => {
    const r = LifecycleSettings.safeParse({ atRiskAfterDays: 400, lapsedAfterDays: 365 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['atRiskAfterDays']);
  });
});

describe('describeValue', () => {
  const boundaries: Boundaries = {
    computedAt: NOW.toISOString(),
    customers: 10,
    recency: [NOW_S - 200 * DAY, NOW_S - 100 * DAY, NOW_S - 50 * DAY, NOW_S - 20 * DAY],
    frequency: [1, 2, 3, 4],
    monetary: [20, 40, 60, 80],
    tierA: 90,
    tierB: 60,
    tierARevenueShare: 0.4,
  };
  const aggregates = (): Aggregates =>
    foldEvents([
      purchase('e1', 'o1', new Date((NOW_S - 30 * DAY) * 1000).toISOString(), 45, [
        { sku: 'A', category: 'shoes', price: 45, quantity: 1 },
      ]),
      purchase('e2', 'o2', new Date((NOW_S - 10 * DAY) * 1000).toISOString(), 25),
      custom('v1', 'visit', new Date((NOW_S - DAY) * 1000).toISOString()),
    ]);

  it('shows scores, tier and stage from the aggregates, boundaries and clock', () => {
    // last purchase 10 days ago is later than all 4 recency cuts (200, 100, 50, 20 days ago) → r = 5;
    // 2 orders exceed cut 1 → f = 2; revenue 70 exceeds 20, 40, 60 → m = 4; 70 ≥ tierB 60 → B.
    const v = describeValue(aggregates(), boundaries, DEFAULT_VALUE_SETTINGS, NOW);
    expect(v).toEqual({
      orders: 2,
      revenue: 70,
      averageOrderValue: 35,
      refunds: 0,
      firstPurchaseAt: '2026-10-25T10:00:00.000Z',
      lastPurchaseAt: '2026-11-14T10:00:00.000Z',
      categories: { shoes: { count: 1, lastAt: '2026-10-25T10:00:00.000Z' } },
      events: { visit: { count: 1, lastAt: '2026-11-23T10:00:00.000Z' } },
      rfm: { r: 5, f: 2, m: 4 },
      tier: 'B',
      lifecycle: 'active',
    });
  });

  it('leaves out scores and tier without boundaries, for an empty base, and for a prospect', () => {
    expect(describeValue(aggregates(), undefined, DEFAULT_VALUE_SETTINGS, NOW)).not.toHaveProperty('tier');
    expect(describeValue(aggregates(), { ...boundaries, customers: 0 }, DEFAULT_VALUE_SETTINGS, NOW)).not.toHaveProperty('rfm');
    const prospect = describeValue(undefined, boundaries, DEFAULT_VALUE_SETTINGS, NOW);
    expect(prospect).toEqual({
      orders: 0,
      revenue: 0,
      averageOrderValue: 0,
      refunds: 0,
      categories: {},
      events: {},
      lifecycle: 'prospect',
    });
  });
});
