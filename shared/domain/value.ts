/**
 * The customer value model. Pure: a contact's purchase and event aggregates are folded from its
 * own stored events; RFM quintile and Pareto tier boundaries are computed from the whole base
 * by a schedule; scores, tier and lifecycle stage are derived from aggregates + boundaries +
 * settings + the clock, so time passing or new boundaries never require rewriting contacts.
 */
import * as z from 'zod';
import type { StoredEvent } from './event.ts';

/** Bounds that keep one contact's item small (timestamps are epoch seconds, newest last). */
export const AGGREGATE_BOUNDS = {
  orderTimes: 16,
  categories: 30,
  categoryTimes: 8,
  skus: 50,
  skuTimes: 4,
  eventTypes: 20,
  eventTimes: 16,
} as const;

const Tally = z.object({ count: z.number().int(), lastAt: z.number(), times: z.array(z.number()) });
export type Tally = z.infer<typeof Tally>;

export const Aggregates = z.object({
  /** How many stored events were folded: grows with every new event, so a stale write can be refused. */
  eventCount: z.number().int(),
  orders: z.number().int(),
  revenue: z.number(),
  averageOrderValue: z.number(),
  refunds: z.number().int(),
  firstPurchaseAt: z.number().optional(),
  lastPurchaseAt: z.number().optional(),
  /** The purchase before the last one: a long gap between them means the customer was won back. */
  previousPurchaseAt: z.number().optional(),
  orderTimes: z.array(z.number()),
  categories: z.record(z.string(), Tally),
  skus: z.record(z.string(), Tally),
  events: z.record(z.string(), Tally),
});
export type Aggregates = z.infer<typeof Aggregates>;

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function tally(map: Map<string, { count: number; times: number[] }>, key: string, at: number) {
  const entry = map.get(key) ?? { count: 0, times: [] };
  entry.count++;
  entry.times.push(at);
  map.set(key, entry);
}

/** Keeps the `limit` most recently seen keys, each with its newest `keep` times. */
function bounded(map: Map<string, { count: number; times: number[] }>, limit: number, keep: number): Record<string, Tally> {
  const entries = [...map].map(([key, v]) => {
    const times = v.times.sort((a, b) => a - b);
    return [key, { count: v.count, lastAt: times[times.length - 1] ?? 0, times: times.slice(-keep) }] as const;
  });
  entries.sort((a, b) => b[1].lastAt - a[1].lastAt || a[0].localeCompare(b[0]));
  return Object.fromEntries(entries.slice(0, limit));
}

/**
 * Folds a contact's stored events into its aggregates. Order-independent and idempotent: a
 * purchase counts once per orderId (the latest event for an order wins), a refunded order not
 * at all, and the result depends only on the set of events.
 */
export function foldEvents(events: StoredEvent[]): Aggregates {
  const refunded = new Set(events.filter((e) => e.type === 'refund' && e.orderId !== undefined).map((e) => e.orderId as string));
  const orders = new Map<string, StoredEvent>();
  for (const e of events) {
    if (e.type !== 'purchase' || e.orderId === undefined || refunded.has(e.orderId)) continue;
    const seen = orders.get(e.orderId);
    if (!seen || seen.at < e.at || (seen.at === e.at && seen.eventId < e.eventId)) orders.set(e.orderId, e);
  }
  const categories = new Map<string, { count: number; times: number[] }>();
  const skus = new Map<string, { count: number; times: number[] }>();
  const custom = new Map<string, { count: number; times: number[] }>();
  const purchaseTimes: number[] = [];
  let revenue = 0;
  // In orderId order: a float sum depends on the order of its terms, and the result must not
  // depend on the order the events came in (totals may have three decimals: 0.1 + 0.2 + 0.3 ≠ 0.3 + 0.2 + 0.1).
  for (const order of [...orders.values()].sort((x, y) => ((x.orderId as string) < (y.orderId as string) ? -1 : 1))) {
    const at = seconds(order.at);
    purchaseTimes.push(at);
    revenue += order.total ?? 0;
    for (const category of new Set((order.items ?? []).flatMap((i) => (i.category ? [i.category] : [])))) tally(categories, category, at);
    for (const sku of new Set((order.items ?? []).map((i) => i.sku))) tally(skus, sku, at);
  }
  for (const e of events) if (e.type !== 'purchase' && e.type !== 'refund') tally(custom, e.type, seconds(e.at));
  purchaseTimes.sort((a, b) => a - b);
  const n = purchaseTimes.length;
  return {
    eventCount: events.length,
    orders: n,
    revenue: Math.round(revenue * 100) / 100,
    averageOrderValue: n === 0 ? 0 : Math.round((revenue / n) * 100) / 100,
    /** Refunds of orders the contact placed (a refund naming an unknown order changes nothing). */
    refunds: new Set(
      events.filter((e) => e.type === 'purchase' && e.orderId !== undefined && refunded.has(e.orderId)).map((e) => e.orderId),
    ).size,
    ...(n > 0 ? { firstPurchaseAt: purchaseTimes[0], lastPurchaseAt: purchaseTimes[n - 1] } : {}),
    ...(n > 1 ? { previousPurchaseAt: purchaseTimes[n - 2] } : {}),
    orderTimes: purchaseTimes.slice(-AGGREGATE_BOUNDS.orderTimes),
    categories: bounded(categories, AGGREGATE_BOUNDS.categories, AGGREGATE_BOUNDS.categoryTimes),
    skus: bounded(skus, AGGREGATE_BOUNDS.skus, AGGREGATE_BOUNDS.skuTimes),
    events: bounded(custom, AGGREGATE_BOUNDS.eventTypes, AGGREGATE_BOUNDS.eventTimes),
  };
}

/** Lifecycle thresholds: a workspace setting. */
export const LifecycleSettings = z
  .strictObject({
    /** No purchase for this long: at risk. */
    atRiskAfterDays: z.number().int().min(1).max(3650).default(90),
    /** No purchase for this long: lapsed (churned). Also the gap after which a new purchase counts as won back. */
    lapsedAfterDays: z.number().int().min(1).max(3650).default(365),
    /** At least this many orders within `loyalWithinDays`: loyal. */
    loyalMinOrders: z.number().int().min(2).max(AGGREGATE_BOUNDS.orderTimes).default(4),
    loyalWithinDays: z.number().int().min(1).max(3650).default(365),
  })
  .refine((s) => s.atRiskAfterDays < s.lapsedAfterDays, { message: 'must be less than lapsedAfterDays', path: ['atRiskAfterDays'] });
export type LifecycleSettings = z.infer<typeof LifecycleSettings>;

export const ValueSettings = z.strictObject({ lifecycle: LifecycleSettings.default(LifecycleSettings.parse({})) });
export type ValueSettings = z.infer<typeof ValueSettings>;
export const DEFAULT_VALUE_SETTINGS: ValueSettings = ValueSettings.parse({});

/** Quintile cut points of the current customer base, and the Pareto tier thresholds. */
export const Boundaries = z.object({
  computedAt: z.iso.datetime(),
  /** Customers (contacts with at least one order) the boundaries were computed from. */
  customers: z.number().int(),
  /** Four ascending cut points each: last purchase (epoch s), orders, revenue. */
  recency: z.array(z.number()),
  frequency: z.array(z.number()),
  monetary: z.array(z.number()),
  /** Least revenue of the top 20% (tier A) and of the top 50% (tiers A and B). */
  tierA: z.number(),
  tierB: z.number(),
  /** Share of all revenue that tier A brings (the Pareto concentration). */
  tierARevenueShare: z.number(),
});
export type Boundaries = z.infer<typeof Boundaries>;

/** The k-th quintile cut points (k = 1..4) of ascending values: the value at rank ceil(k·n/5). */
export function quintileCuts(sortedAscending: ArrayLike<number>): number[] {
  const n = sortedAscending.length;
  if (n === 0) return [];
  return [1, 2, 3, 4].map((k) => sortedAscending[Math.max(0, Math.ceil((k * n) / 5) - 1)] as number);
}

/** A score 1-5: one more than the number of cut points the value exceeds. */
export const scoreOf = (value: number, cuts: number[]) => 1 + cuts.filter((c) => value > c).length;

/** Boundaries from every customer's last purchase, order count and revenue (any order). */
export function computeBoundaries(
  customers: { lastPurchaseAt: Float64Array; orders: Float64Array; revenue: Float64Array },
  now: Date,
): Boundaries {
  const sorted = (a: Float64Array) => Float64Array.from(a).sort();
  const revenue = sorted(customers.revenue);
  const n = revenue.length;
  const total = revenue.reduce((s, v) => s + v, 0);
  const topCount = Math.ceil(n * 0.2);
  const top = revenue.subarray(n - topCount).reduce((s, v) => s + v, 0);
  return {
    computedAt: now.toISOString(),
    customers: n,
    recency: quintileCuts(sorted(customers.lastPurchaseAt)),
    frequency: quintileCuts(sorted(customers.orders)),
    monetary: quintileCuts(revenue),
    tierA: n === 0 ? 0 : (revenue[n - topCount] as number),
    tierB: n === 0 ? 0 : (revenue[n - Math.ceil(n * 0.5)] as number),
    tierARevenueShare: total === 0 ? 0 : Math.round((top / total) * 10_000) / 10_000,
  };
}

export const Lifecycle = z.enum(['prospect', 'new', 'active', 'loyal', 'at_risk', 'lapsed', 'won_back']);
export type Lifecycle = z.infer<typeof Lifecycle>;
export const Tier = z.enum(['A', 'B', 'C']);
export type Tier = z.infer<typeof Tier>;

const DAY = 86_400;

/** The lifecycle stage, from a contact's purchase history, the thresholds and the clock. */
export function lifecycleOf(a: LifecycleInput | undefined, s: LifecycleSettings, nowSeconds: number): Lifecycle {
  if (!a || !(a.orders > 0) || a.lastPurchaseAt === undefined) return 'prospect';
  const idle = nowSeconds - a.lastPurchaseAt;
  if (idle > s.lapsedAfterDays * DAY) return 'lapsed';
  if (idle > s.atRiskAfterDays * DAY) return 'at_risk';
  if (a.previousPurchaseAt !== undefined && a.lastPurchaseAt - a.previousPurchaseAt > s.lapsedAfterDays * DAY) return 'won_back';
  // A counting loop, not filter(): segment evaluation calls this once per contact.
  const since = nowSeconds - s.loyalWithinDays * DAY;
  let recentOrders = 0;
  for (let i = 0; i < a.orderTimes.length; i++) {
    const t = a.orderTimes[i];
    if (typeof t === 'number' && t >= since) recentOrders++;
  }
  if (recentOrders >= s.loyalMinOrders) return 'loyal';
  return a.orders >= 2 ? 'active' : 'new';
}

/** What the lifecycle stage is derived from; orderTimes may come straight from a stored item. */
export interface LifecycleInput {
  orders: number;
  lastPurchaseAt?: number | undefined;
  previousPurchaseAt?: number | undefined;
  orderTimes: ArrayLike<unknown>;
}

export function tierOf(revenue: number, b: Boundaries): Tier {
  if (b.customers === 0) return 'C';
  return revenue >= b.tierA ? 'A' : revenue >= b.tierB ? 'B' : 'C';
}

export const ContactValue = z.object({
  orders: z.number().int(),
  revenue: z.number(),
  averageOrderValue: z.number(),
  refunds: z.number().int(),
  firstPurchaseAt: z.iso.datetime().optional(),
  lastPurchaseAt: z.iso.datetime().optional(),
  categories: z.record(z.string(), z.object({ count: z.number().int(), lastAt: z.iso.datetime() })),
  events: z.record(z.string(), z.object({ count: z.number().int(), lastAt: z.iso.datetime() })),
  /** Absent for prospects, and until the schedule has computed the first boundaries. */
  rfm: z.object({ r: z.number().int(), f: z.number().int(), m: z.number().int() }).optional(),
  tier: Tier.optional(),
  lifecycle: Lifecycle,
});
export type ContactValue = z.infer<typeof ContactValue>;

const iso = (s: number) => new Date(s * 1000).toISOString();

/** What GET /contacts/{id} shows of the value model. */
export function describeValue(a: Aggregates | undefined, b: Boundaries | undefined, s: ValueSettings, now: Date): ContactValue {
  const agg = a ?? foldEvents([]);
  const buyer = agg.orders > 0 && agg.lastPurchaseAt !== undefined;
  const summarise = (t: Record<string, Tally>) =>
    Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { count: v.count, lastAt: iso(v.lastAt) }]));
  return {
    orders: agg.orders,
    revenue: agg.revenue,
    averageOrderValue: agg.averageOrderValue,
    refunds: agg.refunds,
    ...(agg.firstPurchaseAt !== undefined ? { firstPurchaseAt: iso(agg.firstPurchaseAt) } : {}),
    ...(agg.lastPurchaseAt !== undefined ? { lastPurchaseAt: iso(agg.lastPurchaseAt) } : {}),
    categories: summarise(agg.categories),
    events: summarise(agg.events),
    ...(buyer && b && b.customers > 0
      ? {
          rfm: {
            r: scoreOf(agg.lastPurchaseAt as number, b.recency),
            f: scoreOf(agg.orders, b.frequency),
            m: scoreOf(agg.revenue, b.monetary),
          },
          tier: tierOf(agg.revenue, b),
        }
      : {}),
    lifecycle: lifecycleOf(agg, s.lifecycle, Math.floor(now.getTime() / 1000)),
  };
}
