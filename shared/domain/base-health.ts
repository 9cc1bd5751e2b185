/**
 * The customer-base health report of one workspace, per calendar month (UTC): retention, static
 * and dynamic churn, lifecycle stages and the flows between them, the Pareto concentration, the
 * RFM grid, NPS, the loyalty matrix and the channels. Pure: an accumulator is fed one stored
 * contact item at a time and keeps counters (plus one revenue number per customer for the
 * concentration curve), so the base is never held as objects. Definitions: docs/reports.md.
 */
import { nps } from './stats.ts';
import * as z from 'zod';
import { npsCategory } from './nps.ts';
import { type ContactItem, reachable } from './segment-eval.ts';
import {
  type Boundaries,
  Lifecycle,
  type LifecycleInput,
  LifecycleSettings,
  lifecycleOf,
  scoreOf,
  type Tier,
  tierOf,
  type ValueSettings,
} from './value.ts';

const DAY = 86_400;
const STAGES = Lifecycle.options;
type Stage = Lifecycle;
const STAGE_INDEX = new Map<Stage, number>(STAGES.map((s, i) => [s, i]));
/** The flows' extra origin: contacts that were not in the base at the previous month end. */
const ENTERED = STAGES.length;

// ---------------------------------------------------------------------------------------------
// The report

const Count = z.number().int().nonnegative();
/** A percentage 0-100 rounded to 2 decimals; null when its denominator is 0. */
const Percent = z.number().nullable();

export const StageCounts = z.object(Object.fromEntries(STAGES.map((s) => [s, Count])) as Record<Lifecycle, typeof Count>);
export type StageCounts = z.infer<typeof StageCounts>;
export const FlowFrom = z.enum(['entered', ...STAGES]);
export type FlowFrom = z.infer<typeof FlowFrom>;
/** from (stage at the previous month end, or `entered`) → to (stage at this month end) → contacts. */
export const StageFlows = z.object(
  Object.fromEntries(FlowFrom.options.map((s) => [s, StageCounts])) as Record<FlowFrom, typeof StageCounts>,
);
export type StageFlows = z.infer<typeof StageFlows>;

export const NpsSummary = z.object({
  /** Contacts whose latest answer is counted here. */
  answers: Count,
  promoters: Count,
  passives: Count,
  detractors: Count,
  /** %promoters − %detractors, −100..100; null without answers. */
  score: z.number().nullable(),
  /** The 95% interval of the score (normal approximation). */
  low: z.number().nullable(),
  high: z.number().nullable(),
});
export type NpsSummary = z.infer<typeof NpsSummary>;

export const BaseHealthMonth = z.object({
  /** YYYY-MM (UTC). */
  month: z.string(),
  start: z.iso.datetime(),
  /** The instant the month-end figures are taken at: the month's last second, or `now` for the current month. */
  end: z.iso.datetime(),
  /** The current month, counted up to `now`. */
  partial: z.boolean(),
  /** Customers with at least one order in the month. */
  activeCustomers: Count,
  /** Customers whose first order is in the month. */
  newCustomers: Count,
  /** Orders in the month (by stored order time). */
  orders: Count,
  retention: z.object({ retained: Count, activeLastMonth: Count, percent: Percent }),
  staticChurn: z.object({ lost: Count, customersAtStart: Count, percent: Percent }),
  dynamicChurn: z.object({ notRenewed: Count, renewalsDue: Count, percent: Percent }),
  /** Contacts in the base at the month end (created, or bought, by then); `stages` sums to it. */
  contacts: Count,
  stages: StageCounts,
  /** Contacts from their stage at the previous month end to their stage at this one. */
  flows: StageFlows,
  /** Contacts whose latest NPS answer was given in the month. */
  nps: NpsSummary,
  /** Customers whose figures this month rest on an estimate (order times beyond the stored bound). */
  approximate: Count,
});
export type BaseHealthMonth = z.infer<typeof BaseHealthMonth>;

const RfmCell = z.object({
  r: z.number().int().min(1).max(5),
  f: z.number().int().min(1).max(5),
  customers: Count,
  revenue: z.number(),
  averageRevenue: z.number().nullable(),
  averageMonetaryScore: z.number().nullable(),
});

export const BaseHealthReport = z.object({
  generatedAt: z.iso.datetime(),
  /** The lifecycle thresholds the stages, churn and renewals were computed with. */
  lifecycle: LifecycleSettings,
  /** The value-model boundaries used for tiers and RFM; null until the schedule first computed them. */
  boundaries: z.object({ computedAt: z.iso.datetime(), customers: Count }).nullable(),
  totals: z.object({ contacts: Count, customers: Count, prospects: Count, orders: Count, revenue: z.number() }),
  /** Stages at the end of the month before the first reported one: the first month's flows start here. */
  opening: z.object({ end: z.iso.datetime(), contacts: Count, stages: StageCounts }),
  /** Oldest first; the last one is the current (partial) month. */
  months: z.array(BaseHealthMonth),
  pareto: z.object({
    customers: Count,
    revenue: z.number(),
    /** Share of all revenue brought by the top 20% of customers by revenue; null when there is no revenue. */
    top20Percent: Percent,
    /** Cumulative revenue share of the top x% of customers, x = 0, 5, …, 100. */
    curve: z.array(z.object({ customersPercent: z.number(), revenuePercent: Percent })),
  }),
  /** Customers per Pareto tier; null without boundaries. */
  tiers: z.object({ A: Count, B: Count, C: Count }).nullable(),
  /** Recency × frequency scores (1-5 each, 25 cells, r then f ascending) and customers per monetary score; null without boundaries. */
  rfm: z
    .object({
      cells: z.array(RfmCell),
      monetary: z.array(z.object({ m: z.number().int().min(1).max(5), customers: Count })),
    })
    .nullable(),
  nps: z.object({ overall: NpsSummary }),
  /** Customers by satisfaction (NPS 7-10 satisfied, 0-6 dissatisfied) × repeat buying. */
  loyalty: z.object({
    loyalists: Count,
    mercenaries: Count,
    hostages: Count,
    defectors: Count,
    /** Customers without an NPS answer. */
    unanswered: Count,
    /** Contacts that answered but never bought (outside the matrix). */
    prospectsAnswered: Count,
  }),
  channels: z.object({
    preferred: z.object({ email: Count, sms: Count, none: Count }),
    /** Reachable: the address, consent `subscribed`, not suppressed (as campaigns decide). */
    reachable: z.object({ email: Count, sms: Count, any: Count, none: Count }),
  }),
});
export type BaseHealthReport = z.infer<typeof BaseHealthReport>;

export interface BaseHealthOptions {
  now: Date;
  /** Calendar months reported, the current one included (default 12). */
  months?: number;
  settings: ValueSettings;
  /** Absent until the value-model schedule has run once: no tiers, no RFM. */
  boundaries?: Boundaries | undefined;
}

export interface BaseHealth {
  add(item: ContactItem): void;
  finish(): BaseHealthReport;
}

// ---------------------------------------------------------------------------------------------
// Figures

/** NPS with its 95% interval (stats.ts); an interval only where the answers vary. */
function npsInterval(promoters: number, detractors: number, n: number): { score: number; low: number; high: number } | undefined {
  const r = nps({ promoters, passives: n - promoters - detractors, detractors });
  if (r.score === null) return undefined;
  return { score: r.score, low: r.ci?.low ?? r.score, high: r.ci?.high ?? r.score };
}

/** Adds to one counter of an array (absent counts as 0). */
const bump = (a: number[], i: number, by = 1) => {
  a[i] = (a[i] ?? 0) + by;
};
const round2 = (x: number) => Math.round(x * 100) / 100;
const percent = (numerator: number, denominator: number) => (denominator === 0 ? null : round2((numerator / denominator) * 100));

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const epochSeconds = (iso: unknown) => {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
};
const isoOf = (s: number) => new Date(s * 1000).toISOString();

class NpsCounter {
  promoters = 0;
  passives = 0;
  detractors = 0;
  add(score: number) {
    const c = npsCategory(score);
    if (c === 'promoter') this.promoters++;
    else if (c === 'passive') this.passives++;
    else this.detractors++;
  }
  summary(): NpsSummary {
    const answers = this.promoters + this.passives + this.detractors;
    const s = npsInterval(this.promoters, this.detractors, answers);
    return {
      answers,
      promoters: this.promoters,
      passives: this.passives,
      detractors: this.detractors,
      score: s ? round2(s.score) : null,
      low: s ? round2(s.low) : null,
      high: s ? round2(s.high) : null,
    };
  }
}

const stageCounts = (counts: ArrayLike<number>): StageCounts =>
  Object.fromEntries(STAGES.map((s, i) => [s, counts[i] ?? 0])) as StageCounts;

/** The Lorenz-style concentration curve: top-x% shares, a fraction of a customer taking that fraction of its revenue. */
export function concentration(revenues: Float64Array): { total: number; shareOfTop: (percentOfCustomers: number) => number | null } {
  const desc = Float64Array.from(revenues).sort().reverse();
  const n = desc.length;
  const cumulative = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumulative[i + 1] = (cumulative[i] as number) + (desc[i] as number);
  const total = cumulative[n] as number;
  return {
    total,
    shareOfTop: (p) => {
      if (n === 0 || total <= 0) return null;
      const x = (p / 100) * n;
      const k = Math.min(n, Math.floor(x));
      const part = k < n ? (x - k) * (desc[k] as number) : 0;
      return round2((((cumulative[k] as number) + part) / total) * 100);
    },
  };
}

/**
 * The accumulator. Months are indexed 0..M: 0 is the month before the report (its end is where
 * the first month's flows, retention and churn start), M the current month, counted up to now.
 */
export function createBaseHealth(options: BaseHealthOptions): BaseHealth {
  const M = options.months ?? 12;
  if (!Number.isInteger(M) || M < 1 || M > 120) throw new RangeError('months must be an integer from 1 to 120');
  const life = options.settings.lifecycle;
  const b = options.boundaries && options.boundaries.customers > 0 ? options.boundaries : undefined;
  const nowS = Math.floor(options.now.getTime() / 1000);
  const y = options.now.getUTCFullYear();
  const m = options.now.getUTCMonth();
  /** starts[j]: first second of month j (j = 0..M+1). */
  const starts = Array.from({ length: M + 2 }, (_, j) => Date.UTC(y, m - M + j, 1) / 1000);
  /** ends[j]: the last second of month j, or now for the current one (inclusive). */
  const ends = Array.from({ length: M + 1 }, (_, j) => (j === M ? nowS : (starts[j + 1] as number) - 1));
  const R = life.atRiskAfterDays * DAY;
  const W = life.loyalWithinDays * DAY;
  /** The earliest instant month j's figures read (retention, both churns, the stages at both ends). */
  const lookback = ends.map((_, j) =>
    j === 0 ? 0 : Math.min(starts[j - 1] as number, (starts[j] as number) - R, (ends[j - 1] as number) - W) - 1,
  );

  const zeros = () => new Array<number>(M + 1).fill(0);
  const active = zeros();
  const fresh = zeros();
  const orderCount = zeros();
  const retained = zeros();
  const lost = zeros();
  const atStart = zeros();
  const due = zeros();
  const notRenewed = zeros();
  const inBase = zeros();
  const approximate = zeros();
  const stages = Array.from({ length: M + 1 }, () => new Array<number>(STAGES.length).fill(0));
  const flows = Array.from({ length: M + 1 }, () =>
    Array.from({ length: STAGES.length + 1 }, () => new Array<number>(STAGES.length).fill(0)),
  );
  const npsByMonth = Array.from({ length: M + 1 }, () => new NpsCounter());
  const npsOverall = new NpsCounter();
  const totals = { contacts: 0, customers: 0, orders: 0 };
  let revenues = new Float64Array(1024);
  const tiers = { A: 0, B: 0, C: 0 } satisfies Record<Tier, number>;
  const rfmCount = new Array<number>(25).fill(0);
  const rfmRevenue = new Array<number>(25).fill(0);
  const rfmM = new Array<number>(25).fill(0);
  const monetary = new Array<number>(5).fill(0);
  const loyalty = { loyalists: 0, mercenaries: 0, hostages: 0, defectors: 0, unanswered: 0, prospectsAnswered: 0 };
  const preferred = { email: 0, sms: 0, none: 0 };
  const reach = { email: 0, sms: 0, any: 0, none: 0 };
  // Reused per contact: the stage index at each month end (-1: not in the base yet) and whether bought.
  const stageAt = new Array<number>(M + 1).fill(-1);
  const bought = new Array<boolean>(M + 1).fill(false);

  function add(item: ContactItem): void {
    totals.contacts++;
    const v = obj(item.value);
    const orders = num(v?.orders) ?? 0;
    const last = num(v?.lastPurchaseAt);
    const customer = orders > 0 && last !== undefined;
    const revenue = customer ? (num(v?.revenue) ?? 0) : 0;
    const stored: number[] = [];
    if (customer && Array.isArray(v?.orderTimes))
      for (const t of v.orderTimes) if (typeof t === 'number' && Number.isFinite(t)) stored.push(t);
    stored.sort((a, c) => a - c);
    if (customer && stored.length === 0) stored.push(last);
    // Known order times: the stored (newest) ones, and the first purchase when it is older than them.
    const first = num(v?.firstPurchaseAt);
    const known = first !== undefined && stored.length > 0 && first < (stored[0] as number) ? [first, ...stored] : stored;
    /** Orders whose time is not stored: they lie between known[0] and known[1]. */
    const hidden = customer ? Math.max(0, orders - known.length) : 0;
    const createdAt = epochSeconds(item.createdAt) ?? Number.NEGATIVE_INFINITY;
    const previous = num(v?.previousPurchaseAt);

    // Stage at each month end, from the aggregates with the order times after it removed.
    for (let j = 0; j <= M; j++) {
      const T = ends[j] as number;
      let before = 0;
      while (before < known.length && (known[before] as number) <= T) before++;
      let stage: Stage | undefined;
      if (!customer || before === 0) stage = createdAt <= T ? 'prospect' : undefined;
      else {
        const input: LifecycleInput =
          before === known.length
            ? { orders, lastPurchaseAt: last, previousPurchaseAt: previous, orderTimes: stored }
            : {
                orders: orders - (known.length - before),
                lastPurchaseAt: known[before - 1],
                previousPurchaseAt: before >= 2 ? known[before - 2] : undefined,
                orderTimes: known.slice(0, before),
              };
        stage = lifecycleOf(input, life, T);
      }
      stageAt[j] = stage === undefined ? -1 : (STAGE_INDEX.get(stage) as number);
      if (stage !== undefined) {
        bump(inBase, j);
        bump(stages[j] as number[], stageAt[j] as number);
      }
      // Purchases in the month.
      let n = 0;
      for (const t of known) if (t >= (starts[j] as number) && t <= T) n++;
      bought[j] = n > 0;
      if (n > 0) bump(active, j);
      bump(orderCount, j, n);
      if (customer && known[0] !== undefined && known[0] >= (starts[j] as number) && known[0] <= T) bump(fresh, j);
    }
    for (let j = 1; j <= M; j++) {
      const from = stageAt[j - 1] as number;
      const to = stageAt[j] as number;
      if (to >= 0) bump((flows[j] as number[][])[from >= 0 ? from : ENTERED] as number[], to);
      if (bought[j] && bought[j - 1]) bump(retained, j);
      const wasCustomer = from >= 0 && STAGES[from] !== 'prospect' && STAGES[from] !== 'lapsed';
      if (wasCustomer) {
        bump(atStart, j);
        if (STAGES[to] === 'lapsed') bump(lost, j);
      }
      // Dynamic churn: the latest purchase whose renewal (atRiskAfterDays later) falls due in the month.
      const lo = (starts[j] as number) - R;
      const hi = (ends[j] as number) - R;
      let p = -1;
      for (let i = 0; i < known.length; i++) if ((known[i] as number) >= lo && (known[i] as number) <= hi) p = i;
      if (p >= 0) {
        bump(due, j);
        const next = known[p + 1];
        if (next === undefined || next > (known[p] as number) + R) bump(notRenewed, j);
      }
      if (hidden > 0 && (known[1] ?? Number.POSITIVE_INFINITY) > (lookback[j] as number)) bump(approximate, j);
    }

    // Satisfaction: the contact's latest answer only.
    const attributes = obj(item.attributes);
    const score = num(attributes?.npsScore);
    const answered = score !== undefined && Number.isInteger(score) && score >= 0 && score <= 10;
    if (answered) {
      npsOverall.add(score);
      const at = epochSeconds(attributes?.npsAt);
      if (at !== undefined)
        for (let j = 1; j <= M; j++) if (at >= (starts[j] as number) && at <= (ends[j] as number)) npsByMonth[j]!.add(score);
    }

    const channel = item.preferredChannel === 'email' || item.preferredChannel === 'sms' ? item.preferredChannel : 'none';
    preferred[channel]++;
    const byEmail = reachable(item, 'email');
    const bySms = reachable(item, 'sms');
    if (byEmail) reach.email++;
    if (bySms) reach.sms++;
    if (byEmail || bySms) reach.any++;
    else reach.none++;

    if (!customer) {
      if (answered) loyalty.prospectsAnswered++;
      return;
    }
    totals.customers++;
    totals.orders += orders;
    if (totals.customers > revenues.length) {
      const grown = new Float64Array(revenues.length * 2);
      grown.set(revenues);
      revenues = grown;
    }
    revenues[totals.customers - 1] = revenue;
    if (b) {
      tiers[tierOf(revenue, b)]++;
      const r = scoreOf(last, b.recency);
      const f = scoreOf(orders, b.frequency);
      const mScore = scoreOf(revenue, b.monetary);
      const cell = (r - 1) * 5 + (f - 1);
      bump(rfmCount, cell);
      bump(rfmRevenue, cell, revenue);
      bump(rfmM, cell, mScore);
      bump(monetary, mScore - 1);
    }
    if (!answered) loyalty.unanswered++;
    else {
      let recent = 0;
      for (const t of stored) if (t >= nowS - W) recent++;
      const satisfied = score >= 7;
      const repeat = recent >= 2;
      if (satisfied) loyalty[repeat ? 'loyalists' : 'mercenaries']++;
      else loyalty[repeat ? 'hostages' : 'defectors']++;
    }
  }

  function finish(): BaseHealthReport {
    const curve = concentration(revenues.subarray(0, totals.customers));
    const monthOf = (j: number) => {
      const d = new Date((starts[j] as number) * 1000);
      return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    const months: BaseHealthMonth[] = [];
    for (let j = 1; j <= M; j++) {
      const flowRows = flows[j] as number[][];
      months.push({
        month: monthOf(j),
        start: isoOf(starts[j] as number),
        end: isoOf(ends[j] as number),
        partial: j === M,
        activeCustomers: active[j] as number,
        newCustomers: fresh[j] as number,
        orders: orderCount[j] as number,
        retention: {
          retained: retained[j] as number,
          activeLastMonth: active[j - 1] as number,
          percent: percent(retained[j] as number, active[j - 1] as number),
        },
        staticChurn: {
          lost: lost[j] as number,
          customersAtStart: atStart[j] as number,
          percent: percent(lost[j] as number, atStart[j] as number),
        },
        dynamicChurn: {
          notRenewed: notRenewed[j] as number,
          renewalsDue: due[j] as number,
          percent: percent(notRenewed[j] as number, due[j] as number),
        },
        contacts: inBase[j] as number,
        stages: stageCounts(stages[j] as number[]),
        flows: Object.fromEntries(
          FlowFrom.options.map((from, i) => [from, stageCounts(flowRows[i === 0 ? ENTERED : i - 1] as number[])]),
        ) as StageFlows,
        nps: npsByMonth[j]!.summary(),
        approximate: approximate[j] as number,
      });
    }
    return {
      generatedAt: options.now.toISOString(),
      lifecycle: { ...life },
      boundaries: b ? { computedAt: b.computedAt, customers: b.customers } : null,
      totals: {
        contacts: totals.contacts,
        customers: totals.customers,
        prospects: totals.contacts - totals.customers,
        orders: totals.orders,
        revenue: round2(curve.total),
      },
      opening: { end: isoOf(ends[0] as number), contacts: inBase[0] as number, stages: stageCounts(stages[0] as number[]) },
      months,
      pareto: {
        customers: totals.customers,
        revenue: round2(curve.total),
        top20Percent: curve.shareOfTop(20),
        curve: Array.from({ length: 21 }, (_, i) => ({ customersPercent: i * 5, revenuePercent: curve.shareOfTop(i * 5) })),
      },
      tiers: b ? { ...tiers } : null,
      rfm: b
        ? {
            cells: rfmCount.map((customers, cell) => ({
              r: Math.floor(cell / 5) + 1,
              f: (cell % 5) + 1,
              customers,
              revenue: round2(rfmRevenue[cell] as number),
              averageRevenue: customers === 0 ? null : round2((rfmRevenue[cell] as number) / customers),
              averageMonetaryScore: customers === 0 ? null : round2((rfmM[cell] as number) / customers),
            })),
            monetary: monetary.map((customers, i) => ({ m: i + 1, customers })),
          }
        : null,
      nps: { overall: npsOverall.summary() },
      loyalty: { ...loyalty },
      channels: { preferred: { ...preferred }, reachable: { ...reach } },
    };
  }

  return { add, finish };
}
