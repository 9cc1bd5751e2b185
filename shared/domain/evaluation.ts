/**
 * Campaign evaluation: did a campaign change behaviour? Pure rules for counting conversions as
 * events arrive (which assignment a purchase counts for, what it adds to its group's counters) and
 * for turning the counters into a report (uplift over the holdout with intervals, the A/B verdict).
 * Storage is in shared/db/evaluation-repo.ts (the evaluation index, the counters, the reports);
 * the statistics are in stats.ts; docs/reports.md explains every figure.
 */
import * as z from 'zod';
import { type Campaign, type CampaignCounts, Goal } from './campaign.ts';
import { type CsvValue as Cell, csvText } from './csv.ts';
import { holm, proportion, sampleSizeTwoProportions, twoProportions, welch } from './stats.ts';

export const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// The evaluation index: every campaign that has started, with what counting a conversion needs

export const EvaluatedCampaign = z.object({
  campaignId: z.string(),
  name: z.string(),
  /** When sending started: a one-off campaign's window opens here for every group. */
  startedAt: z.iso.datetime(),
  attributionDays: z.number().int(),
  triggered: z.boolean(),
  goal: Goal.optional(),
  /** Sent at a local time in each recipient's zone: sends spread over a day, so the window closes a day later. */
  localTime: z.boolean().optional(),
});
export type EvaluatedCampaign = z.infer<typeof EvaluatedCampaign>;

export const evaluatedEntry = (c: Campaign, startedAt: string): EvaluatedCampaign => ({
  campaignId: c.campaignId,
  name: c.name,
  startedAt,
  attributionDays: c.attributionDays,
  triggered: c.trigger !== undefined,
  ...(c.goal ? { goal: c.goal } : {}),
  ...(c.schedule?.localTime ? { localTime: true } : {}),
});

/** A local-time schedule reaches the last zones up to 26 hours after the first (campaigns.ts, EARLIEST_OFFSET). */
export const LOCAL_TIME_SPREAD_MS = 26 * 3_600_000;

/**
 * When a campaign's last window closes (ms): a one-off campaign's from its start (as counting has
 * it); a triggered one's from when it stopped firing, null while it can still fire.
 */
export function windowCloses(
  c: Pick<Campaign, 'trigger' | 'status' | 'finishedAt' | 'updatedAt' | 'attributionDays' | 'schedule'>,
  startedAt: string,
): number | null {
  if (c.trigger)
    return c.status === 'sending' || c.status === 'paused' ? null : Date.parse(c.finishedAt ?? c.updatedAt) + c.attributionDays * DAY_MS;
  return Date.parse(startedAt) + c.attributionDays * DAY_MS + (c.schedule?.localTime ? LOCAL_TIME_SPREAD_MS : 0);
}

/** Whether an event at `at` (ms) counts for a one-off campaign: from its start for its days (a day more for a local-time schedule). */
export function inCampaignWindow(at: number, c: Pick<EvaluatedCampaign, 'startedAt' | 'attributionDays' | 'localTime'>): boolean {
  const from = Date.parse(c.startedAt);
  return at >= from && at <= from + c.attributionDays * DAY_MS + (c.localTime ? LOCAL_TIME_SPREAD_MS : 0);
}

export type GroupRef = { kind: 'holdout' } | { kind: 'variant'; name: string };
/** A group's key in the conversion counters: `holdout`, or `v#<name>` for a variant (a variant may be named "holdout"). */
export const groupKey = (g: GroupRef) => (g.kind === 'holdout' ? HOLDOUT : `v#${g.name}`);
export const HOLDOUT = 'holdout';

/** The group a send record was assigned to; none for a recipient skipped before assignment (no consent, frequency cap). */
export function groupOf(r: { status: string; variant?: string | undefined }): GroupRef | undefined {
  if (r.status === 'holdout') return { kind: 'holdout' };
  return r.variant === undefined ? undefined : { kind: 'variant', name: r.variant };
}

/** Whether an event at `at` (ms) falls inside a window opening at `from` (ms) for `days` days. */
export const inWindow = (at: number, from: number, days: number) => at >= from && at <= from + days * DAY_MS;

/** Counts the event as the campaign's goal: a purchase by default, or the named custom event. */
export function isGoalEvent(goal: Goal | undefined, event: { type: string }): boolean {
  return event.type === (!goal || goal.event === 'purchase' ? 'purchase' : goal.name);
}

// ---------------------------------------------------------------------------------------------
// Counting one event for one assignment

/** What one event adds to its group's counters (all numbers, so one atomic ADD applies it). */
export const ConversionDelta = z.object({
  converters: z.number(),
  revenue: z.number(),
  /** Σ of each assignment's revenue squared: (R + a)² − R² when an assignment's revenue R grows by a. */
  revenueSq: z.number(),
  orders: z.number(),
  crossSell: z.number(),
  recommended: z.number(),
});
export type ConversionDelta = z.infer<typeof ConversionDelta>;
export const ZERO_DELTA: ConversionDelta = { converters: 0, revenue: 0, revenueSq: 0, orders: 0, crossSell: 0, recommended: 0 };

/** An assignment's conversion state, kept on its send record. */
export interface ConversionState {
  /** Conversion tokens already counted (`o:<orderId>` or `e:<eventId>`). */
  counted: ReadonlySet<string>;
  /** How many were counted: the version a write is conditional on. */
  version: number;
  revenue: number;
  converted: boolean;
  crossSold: boolean;
  recommendedBought: boolean;
  /** The categories a cross-sell message recommended. */
  recommendations: string[];
}

/** One event as a conversion candidate. */
export interface ConversionEvent {
  /** Once per assignment: `o:<orderId>` for a purchase (a resent order counts once), else `e:<eventId>`. */
  token: string;
  isGoal: boolean;
  /** A purchase's total; undefined for other events. */
  amount?: number | undefined;
  /** Categories of this purchase the contact had never bought before it. */
  newCategories: string[];
  /** The contact had bought before this purchase (a first purchase is no cross-sell). */
  existingCustomer: boolean;
}

const money = (n: number) => Math.round(n * 1e6) / 1e6;

/** What counting `event` for an assignment in `state` adds; undefined when it was counted already or counts nothing. */
export function conversionDelta(state: ConversionState, event: ConversionEvent): ConversionDelta | undefined {
  if (state.counted.has(event.token)) return undefined;
  const purchase = event.amount !== undefined;
  const amount = event.amount ?? 0;
  const newBuys = purchase && event.existingCustomer && event.newCategories.length > 0;
  const delta: ConversionDelta = {
    converters: event.isGoal && !state.converted ? 1 : 0,
    revenue: money(amount),
    // Not rounded: Welch reads Σr² − (Σr)²/n, which rounding could push below zero.
    revenueSq: (state.revenue + amount) ** 2 - state.revenue ** 2,
    orders: purchase ? 1 : 0,
    crossSell: newBuys && !state.crossSold ? 1 : 0,
    recommended: purchase && !state.recommendedBought && event.newCategories.some((c) => state.recommendations.includes(c)) ? 1 : 0,
  };
  return Object.values(delta).some((v) => v !== 0) ? delta : undefined;
}

/** The categories of `purchase` that none of the contact's earlier purchases had (by purchase time). */
export function newCategoriesOf(
  purchase: { at: string; orderId?: string | undefined; items?: { category?: string | undefined }[] | undefined },
  history: { type: string; at: string; orderId?: string | undefined; items?: { category?: string | undefined }[] | undefined }[],
): { newCategories: string[]; existingCustomer: boolean } {
  const earlier = history.filter((e) => e.type === 'purchase' && e.at < purchase.at && e.orderId !== purchase.orderId);
  const bought = new Set(earlier.flatMap((e) => (e.items ?? []).flatMap((i) => (i.category ? [i.category] : []))));
  const mine = new Set((purchase.items ?? []).flatMap((i) => (i.category ? [i.category] : [])));
  return { newCategories: [...mine].filter((c) => !bought.has(c)).sort(), existingCustomer: earlier.length > 0 };
}

// ---------------------------------------------------------------------------------------------
// The report

const Interval = z.object({ low: z.number(), high: z.number() });

const Comparison = z.object({
  difference: z.number().nullable(),
  /** The difference over the holdout's figure (relative uplift); null when the holdout's is 0. */
  relative: z.number().nullable(),
  ci: Interval.nullable(),
  relativeCi: Interval.nullable().optional(),
  pValue: z.number().nullable(),
  /** False when the groups are too small for the interval to mean anything (see `caveat`). */
  meaningful: z.boolean(),
  caveat: z.string().optional(),
});

export const GroupFigures = z.object({
  group: z.string(),
  kind: z.enum(['holdout', 'variant']),
  /** Everyone assigned to the group (intention to treat), sent or not. */
  assigned: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  unsubscribed: z.number().int(),
  converters: z.number().int(),
  conversionRate: z.number().nullable(),
  conversionCi: Interval.nullable(),
  orders: z.number().int(),
  revenue: z.number(),
  revenuePerRecipient: z.number().nullable(),
  averageOrderValue: z.number().nullable(),
  crossSellConverters: z.number().int(),
  crossSellRate: z.number().nullable(),
  /** Bought one of the recommended categories (cross-sell triggers; 0 elsewhere). */
  recommendedConverters: z.number().int(),
  recommendedRate: z.number().nullable(),
});
export type GroupFigures = z.infer<typeof GroupFigures>;

export const Uplift = z.object({
  variant: z.string(),
  conversion: Comparison.extend({
    /** Holm-adjusted over the variants compared with the holdout. */
    adjustedPValue: z.number().nullable(),
    significant: z.boolean(),
  }),
  revenuePerRecipient: Comparison,
  crossSell: Comparison,
  recommended: Comparison.optional(),
  /** (rate − holdout rate) × assigned, with the interval scaled the same way. */
  incrementalConversions: z.number().nullable(),
  incrementalConversionsCi: Interval.nullable(),
  incrementalRevenue: z.number().nullable(),
  incrementalRevenueCi: Interval.nullable(),
});
export type Uplift = z.infer<typeof Uplift>;

export const Verdict = z.object({
  kind: z.enum(['winner', 'no_winner_yet', 'uplift', 'harm', 'no_uplift_yet', 'not_applicable']),
  winner: z.string().optional(),
  /** Recipients per group that would detect the observed difference with 80% power (5% two-sided). */
  requiredPerGroup: z.number().int().nullable().optional(),
  text: z.string(),
});

export const CampaignReport = z.object({
  campaignId: z.string(),
  name: z.string(),
  status: z.string(),
  triggered: z.boolean(),
  runId: z.string(),
  evaluatedAt: z.iso.datetime(),
  attributionDays: z.number().int(),
  goal: z.string(),
  /** When the window opened (a one-off campaign's start; a triggered campaign's windows open at each firing). */
  windowFrom: z.iso.datetime(),
  /** When the last window closes; null while a triggered campaign can still fire. */
  windowUntil: z.iso.datetime().nullable(),
  groups: z.array(GroupFigures),
  /** Each variant against the holdout; empty without a holdout. */
  uplift: z.array(Uplift),
  /** Variants against each other (with two or more). */
  abTest: Verdict,
  /** The campaign against its holdout. */
  effect: Verdict,
});
export type CampaignReport = z.infer<typeof CampaignReport>;

/** Summed conversion counters of one group. */
export type ConversionTotals = ConversionDelta;

const rate = (x: number, n: number) => (n > 0 ? x / n : null);
/** Two decimals, never "-0.00". */
const fixed2 = (x: number) => {
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
};
const pct = (r: number | null | undefined) => (r === null || r === undefined ? 'n/a' : `${fixed2(r * 100)}%`);
/** A difference of rates in percentage points, signed. */
const points = (d: number | null | undefined) => (d === null || d === undefined ? 'n/a' : `${d > 0 ? '+' : ''}${fixed2(d * 100)}`);
/** `p = 0.0123`, or `p < 0.0001`. */
const pText = (p: number | null) => (p === null ? 'p n/a' : p < 0.0001 ? 'p < 0.0001' : `p = ${p.toFixed(4)}`);

/**
 * The interval of the relative uplift (rate ratio − 1) on the log scale (Katz): it accounts for the
 * holdout's own uncertainty, which dividing the difference's interval by the holdout's rate would not.
 * Null without conversions on either side.
 */
function relativeInterval(t: { n: number; x: number }, c: { n: number; x: number }): { low: number; high: number } | null {
  if (t.x === 0 || c.x === 0 || t.n === 0 || c.n === 0) return null;
  const logRatio = Math.log(t.x / t.n / (c.x / c.n));
  const se = Math.sqrt(1 / t.x - 1 / t.n + 1 / c.x - 1 / c.n);
  return { low: Math.exp(logRatio - Z95 * se) - 1, high: Math.exp(logRatio + Z95 * se) - 1 };
}
const Z95 = 1.959963984540054;

function compare(
  treated: { n: number; x: number },
  control: { n: number; x: number },
): z.infer<typeof Comparison> & { significantRaw: boolean } {
  const r = twoProportions(treated, control);
  return {
    difference: r.difference,
    relative: r.relative,
    ci: r.ci,
    relativeCi: relativeInterval(treated, control),
    pValue: r.pValue,
    meaningful: r.meaningful,
    ...(r.caveat ? { caveat: r.caveat } : {}),
    significantRaw: r.meaningful && r.pValue !== null && r.pValue < 0.05,
  };
}

export interface ReportInput {
  campaign: Campaign;
  counts: CampaignCounts;
  /** By group key (groupKey). */
  conversions: Record<string, ConversionTotals>;
  runId: string;
  now: Date;
}

/** The campaign's report from its counters: O(groups), whatever the number of events. */
export function campaignReport({ campaign, counts, conversions, runId, now }: ReportInput): CampaignReport {
  const conv = (key: string) => conversions[key] ?? ZERO_DELTA;
  const variantNames = [...new Set([...campaign.variants.map((v) => v.name), ...Object.keys(counts.variants)])];
  const hasHoldout = counts.holdout > 0 || campaign.holdout !== undefined;
  const figures = (group: string, kind: 'holdout' | 'variant'): GroupFigures => {
    const v = kind === 'variant' ? counts.variants[group] : undefined;
    let c = conv(groupKey(kind === 'holdout' ? { kind } : { kind, name: group }));
    const assigned = kind === 'holdout' ? counts.holdout : (v?.queued ?? 0);
    // Counters move by separate ADDs: read between a record's count and its conversion's, a group can
    // show a converter more than it has recipients for a moment. Capped, and said.
    const capped = c.converters > assigned || c.crossSell > assigned || c.recommended > assigned;
    if (capped)
      c = {
        ...c,
        converters: Math.min(c.converters, assigned),
        crossSell: Math.min(c.crossSell, assigned),
        recommended: Math.min(c.recommended, assigned),
      };
    const conversionRate = rate(c.converters, assigned);
    return {
      group,
      kind,
      assigned,
      sent: v?.sent ?? 0,
      delivered: v?.delivered ?? 0,
      opened: v?.opened ?? 0,
      clicked: v?.clicked ?? 0,
      unsubscribed: v?.unsubscribed ?? 0,
      converters: c.converters,
      conversionRate,
      conversionCi: assigned > 0 ? proportion({ n: assigned, x: c.converters }).ci : null,
      orders: c.orders,
      revenue: money(c.revenue),
      revenuePerRecipient: assigned > 0 ? money(c.revenue / assigned) : null,
      averageOrderValue: c.orders > 0 ? money(c.revenue / c.orders) : null,
      crossSellConverters: c.crossSell,
      crossSellRate: rate(c.crossSell, assigned),
      recommendedConverters: c.recommended,
      recommendedRate: rate(c.recommended, assigned),
    };
  };
  const holdout = hasHoldout ? figures('holdout', 'holdout') : undefined;
  const variants = variantNames.map((name) => figures(name, 'variant'));
  const recommends = (campaign.trigger?.recommendations ?? 0) > 0;

  const raw = holdout
    ? variants.map((v) => {
        const h = holdout;
        const conversion = compare({ n: v.assigned, x: v.converters }, { n: h.assigned, x: h.converters });
        const cv = conv(groupKey({ kind: 'variant', name: v.group }));
        const ch = conv(HOLDOUT);
        const w = welch(
          { n: v.assigned, sum: cv.revenue, sumSquares: cv.revenueSq },
          { n: h.assigned, sum: ch.revenue, sumSquares: ch.revenueSq },
        );
        // Revenue per recipient rests on the buyers: with fewer than 5 on a side its interval means little.
        const fewBuyers = Math.min(v.converters, h.converters) < 5 && campaign.goal?.event !== 'custom';
        const revenueCaveat = fewBuyers
          ? `too few buyers (${Math.min(v.converters, h.converters)} in a group) for revenue per recipient to be compared; need at least 5 per group`
          : w.caveat;
        const { significantRaw: _a, ...crossSell } = compare(
          { n: v.assigned, x: v.crossSellConverters },
          { n: h.assigned, x: h.crossSellConverters },
        );
        const recommended = recommends
          ? (({ significantRaw: _b, ...rest }) => rest)(
              compare({ n: v.assigned, x: v.recommendedConverters }, { n: h.assigned, x: h.recommendedConverters }),
            )
          : undefined;
        const scale = (i: { low: number; high: number } | null) => (i ? { low: i.low * v.assigned, high: i.high * v.assigned } : null);
        return {
          variant: v.group,
          conversion,
          revenuePerRecipient: {
            difference: w.difference,
            relative: w.difference !== null && w.meanControl ? w.difference / w.meanControl : null,
            ci: w.ci,
            pValue: w.pValue,
            meaningful: w.meaningful && !fewBuyers,
            ...(revenueCaveat ? { caveat: revenueCaveat } : {}),
          },
          crossSell,
          ...(recommended ? { recommended } : {}),
          incrementalConversions: conversion.difference === null ? null : money(conversion.difference * v.assigned),
          incrementalConversionsCi: scale(conversion.ci),
          incrementalRevenue: w.difference === null ? null : money(w.difference * v.assigned),
          incrementalRevenueCi: scale(w.ci),
        };
      })
    : [];
  // Holm over the comparisons that have a p-value (a variant nobody was assigned to is no test).
  const tested = raw.flatMap((u, i) => (u.conversion.pValue === null ? [] : [i]));
  const adjustedOf = new Map(holm(tested.map((i) => raw[i]?.conversion.pValue as number)).adjusted.map((p, k) => [tested[k] as number, p]));
  const uplift: Uplift[] = raw.map((u, i) => {
    const { significantRaw: _s, ...conversion } = u.conversion;
    const adjustedPValue = adjustedOf.get(i) ?? null;
    return {
      ...u,
      conversion: {
        ...conversion,
        adjustedPValue,
        significant: conversion.meaningful && adjustedPValue !== null && adjustedPValue < 0.05,
      },
    };
  });

  const goal = !campaign.goal || campaign.goal.event === 'purchase' ? 'purchase' : campaign.goal.name;
  const started = campaign.startedAt ?? now.toISOString();
  const closes = windowCloses(campaign, started);
  const until = closes === null ? null : new Date(closes).toISOString();
  return {
    campaignId: campaign.campaignId,
    name: campaign.name,
    status: campaign.status,
    triggered: campaign.trigger !== undefined,
    runId,
    evaluatedAt: now.toISOString(),
    attributionDays: campaign.attributionDays,
    goal,
    windowFrom: started,
    windowUntil: until,
    groups: [...(holdout ? [holdout] : []), ...variants],
    uplift,
    abTest: abVerdict(variants),
    effect: effectVerdict(
      holdout,
      uplift,
      variants.reduce((n, v) => n + v.assigned, 0),
    ),
  };
}

/** A comparison's caveat with the groups' own names instead of "the treated group" and "the holdout". */
function named(caveat: string | undefined, treated: string, control: string): string {
  return (caveat ?? 'the groups are too small to compare')
    .replaceAll('the treated group', `variant ${treated}`)
    .replaceAll('the holdout', control === 'holdout' ? 'the holdout' : `variant ${control}`);
}

/** The variants against each other: the leader wins only if it beats every other one after Holm. */
export function abVerdict(variants: GroupFigures[]): z.infer<typeof Verdict> {
  const live = variants.filter((v) => v.assigned > 0);
  if (live.length < 2) return { kind: 'not_applicable', text: 'One variant: no A/B test.' };
  const ranked = [...live].sort((a, b) => (b.conversionRate ?? 0) - (a.conversionRate ?? 0) || a.group.localeCompare(b.group));
  const leader = ranked[0] as GroupFigures;
  const others = ranked.slice(1);
  const tests = others.map((o) => twoProportions({ n: leader.assigned, x: leader.converters }, { n: o.assigned, x: o.converters }));
  const { rejected, adjusted } = holm(tests.map((t) => t.pValue ?? 1));
  const all = tests.every((t, i) => t.meaningful && rejected[i]);
  const runnerUp = others[0] as GroupFigures;
  if (all) {
    const worst = Math.max(...adjusted);
    return {
      kind: 'winner',
      winner: leader.group,
      text: `Variant ${leader.group} wins: it converted ${pct(leader.conversionRate)} against ${pct(runnerUp.conversionRate)} for ${runnerUp.group} (${pText(worst)} after Holm's correction for ${others.length} comparison${others.length > 1 ? 's' : ''}).`,
    };
  }
  const at = tests.findIndex((t) => !t.meaningful);
  const unclear = at < 0 ? undefined : named(tests[at]?.caveat, leader.group, (others[at] as GroupFigures).group);
  if (unclear !== undefined)
    return {
      kind: 'no_winner_yet',
      requiredPerGroup: null,
      text: `No winner yet: ${leader.group} converts at ${pct(leader.conversionRate)} and ${runnerUp.group} at ${pct(runnerUp.conversionRate)}, but ${unclear}.`,
    };
  const required = sampleSizeTwoProportions(runnerUp.conversionRate ?? 0, leader.conversionRate ?? 0);
  return {
    kind: 'no_winner_yet',
    requiredPerGroup: required,
    text:
      required === null
        ? leader.conversionRate === runnerUp.conversionRate
          ? `No winner yet: ${leader.group} and ${runnerUp.group} convert at the same rate (${pct(leader.conversionRate)}).`
          : `No winner yet: ${leader.group} converts at ${pct(leader.conversionRate)} and ${runnerUp.group} at ${pct(runnerUp.conversionRate)}; too few conversions to estimate the recipients a test would need.`
        : `No winner yet: ${leader.group} converts at ${pct(leader.conversionRate)} and ${runnerUp.group} at ${pct(runnerUp.conversionRate)}; telling that difference apart with 80% power needs about ${required.toLocaleString('en-US')} recipients per variant (now ${Math.min(leader.assigned, runnerUp.assigned).toLocaleString('en-US')}).`,
  };
}

/** The campaign against its holdout, in words. */
export function effectVerdict(holdout: GroupFigures | undefined, uplift: Uplift[], treatedAssigned = 1): z.infer<typeof Verdict> {
  if (!holdout)
    return { kind: 'not_applicable', text: 'No holdout: without a group that was not sent the message, the effect cannot be measured.' };
  if (holdout.assigned === 0 && treatedAssigned === 0) return { kind: 'no_uplift_yet', text: 'No one assigned yet.' };
  if (holdout.assigned === 0)
    return {
      kind: 'not_applicable',
      text: 'The holdout is empty: no one in the audience was drawn for it (a small audience, a share of 0%, or a holdout list or segment with no one in the audience), so the effect cannot be measured.',
    };
  const best = [...uplift].sort((a, b) => (b.conversion.difference ?? -1) - (a.conversion.difference ?? -1))[0] as Uplift;
  const c = best.conversion;
  const ci = c.ci ? ` (95% CI ${points(c.ci.low)} to ${points(c.ci.high)})` : '';
  const sig = uplift.filter((u) => u.conversion.significant && (u.conversion.difference ?? 0) > 0);
  if (sig.length > 0) {
    const u = sig.sort((a, b) => (b.conversion.difference ?? 0) - (a.conversion.difference ?? 0))[0] as Uplift;
    const uci = u.conversion.ci ? ` (95% CI ${points(u.conversion.ci.low)} to ${points(u.conversion.ci.high)})` : '';
    return {
      kind: 'uplift',
      winner: u.variant,
      text: `It worked: ${uplift.length > 1 ? `variant ${u.variant} ` : ''}raised conversion by ${points(u.conversion.difference)} percentage points over the holdout${uci}, about ${Math.round(u.incrementalConversions ?? 0).toLocaleString('en-US')} extra converters and ${fixed2(u.incrementalRevenue ?? 0)} extra revenue (${pText(u.conversion.adjustedPValue)}).`,
    };
  }
  const harmful = uplift.filter((u) => u.conversion.significant && (u.conversion.difference ?? 0) < 0);
  if (harmful.length > 0 && sig.length === 0) {
    const u = harmful.sort((a, b) => (a.conversion.difference ?? 0) - (b.conversion.difference ?? 0))[0] as Uplift;
    const uci = u.conversion.ci ? ` (95% CI ${points(u.conversion.ci.low)} to ${points(u.conversion.ci.high)})` : '';
    return {
      kind: 'harm',
      winner: u.variant,
      text: `It backfired: ${uplift.length > 1 ? `variant ${u.variant} ` : 'the message '}lowered conversion by ${fixed2(-(u.conversion.difference ?? 0) * 100)} percentage points against the holdout${uci}, about ${Math.round(-(u.incrementalConversions ?? 0)).toLocaleString('en-US')} fewer converters (${pText(u.conversion.adjustedPValue)}).`,
    };
  }
  if (!c.meaningful)
    return {
      kind: 'no_uplift_yet',
      text: `Too early to tell${uplift.length > 1 ? ` (best variant: ${best.variant})` : ''}: ${named(c.caveat, best.variant, 'holdout')}.`.replace(
        /\.\.$/,
        '.',
      ),
    };
  const treated = uplift.length === 1 ? 'the message' : `the best variant (${best.variant})`;
  const p0 = holdout.conversionRate ?? 0;
  const p1 = p0 + (c.difference ?? 0);
  const required = p1 > 0 && p1 < 1 ? sampleSizeTwoProportions(p0, p1) : null;
  return {
    kind: 'no_uplift_yet',
    requiredPerGroup: (c.difference ?? 0) > 0 ? required : null,
    text: `No significant effect yet: ${treated} changed conversion by ${points(c.difference)} percentage points${ci}, ${pText(c.adjustedPValue)}${
      required !== null && (c.difference ?? 0) > 0
        ? `; detecting an effect this size with 80% power needs about ${required.toLocaleString('en-US')} recipients per group`
        : ''
    }.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Runs

export const EvaluationRun = z.object({
  runId: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  requestedAt: z.iso.datetime(),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  /** Campaigns evaluated (those whose window closed in an earlier run are not read again). */
  campaigns: z.number().int().optional(),
  /** Campaigns whose report could not be made this run (each with its reason). */
  campaignErrors: z.array(z.object({ campaignId: z.string(), error: z.string() })).optional(),
  /** Contacts read for the base report. */
  contacts: z.number().int().optional(),
  durationMs: z.number().int().optional(),
  error: z.string().optional(),
});
export type EvaluationRun = z.infer<typeof EvaluationRun>;

/** A conversion written on its assignment's record and not yet confirmed added to the counters. */
export const PendingConversion = z.object({ token: z.string(), group: z.string(), delta: ConversionDelta });
export type PendingConversion = z.infer<typeof PendingConversion>;

/** An assignment (a send record) as conversion counting reads it. */
export interface Assignment {
  campaignId: string;
  /** The record's key in its campaign (contact id, or contact-firing). */
  key: string;
  status: string;
  variant?: string | undefined;
  createdAt: string;
  state: ConversionState;
  pending?: PendingConversion | undefined;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** A name a marketer typed, made inert for a spreadsheet (a leading =, +, - or @ would be read as a formula). */
const asText = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The report as CSV: one row per group, then one per variant's uplift over the holdout. */
export function campaignReportCsv(r: CampaignReport): string {
  const rows: Cell[][] = [
    [
      'campaign',
      r.campaignId,
      asText(r.name),
      'evaluated',
      r.evaluatedAt,
      'run',
      r.runId,
      'goal',
      r.goal,
      'attribution days',
      r.attributionDays,
    ],
    [],
    [
      'group',
      'kind',
      'assigned',
      'sent',
      'delivered',
      'opened',
      'clicked',
      'unsubscribed',
      'converters',
      'conversion_rate',
      'conversion_ci_low',
      'conversion_ci_high',
      'orders',
      'revenue',
      'revenue_per_recipient',
      'average_order_value',
      'cross_sell_converters',
      'cross_sell_rate',
      'recommended_converters',
      'recommended_rate',
    ],
    ...r.groups.map((g) => [
      asText(g.group),
      g.kind,
      g.assigned,
      g.sent,
      g.delivered,
      g.opened,
      g.clicked,
      g.unsubscribed,
      g.converters,
      g.conversionRate,
      g.conversionCi?.low,
      g.conversionCi?.high,
      g.orders,
      g.revenue,
      g.revenuePerRecipient,
      g.averageOrderValue,
      g.crossSellConverters,
      g.crossSellRate,
      g.recommendedConverters,
      g.recommendedRate,
    ]),
  ];
  if (r.uplift.length > 0) {
    rows.push(
      [],
      [
        'variant',
        'measure',
        'difference',
        'ci_low',
        'ci_high',
        'relative',
        'p_value',
        'holm_adjusted_p_value',
        'significant',
        'meaningful',
        'caveat',
      ],
    );
    for (const u of r.uplift) {
      const line = (measure: string, c: z.infer<typeof Comparison>, adjusted?: number | null, significant?: boolean): Cell[] => [
        asText(u.variant),
        measure,
        c.difference,
        c.ci?.low,
        c.ci?.high,
        c.relative,
        c.pValue,
        adjusted,
        significant,
        c.meaningful,
        c.caveat,
      ];
      rows.push(line('conversion_rate', u.conversion, u.conversion.adjustedPValue, u.conversion.significant));
      rows.push(line('revenue_per_recipient', u.revenuePerRecipient));
      rows.push(line('cross_sell_rate', u.crossSell));
      if (u.recommended) rows.push(line('recommended_rate', u.recommended));
      rows.push([
        u.variant,
        'incremental_conversions',
        u.incrementalConversions,
        u.incrementalConversionsCi?.low,
        u.incrementalConversionsCi?.high,
      ]);
      rows.push([u.variant, 'incremental_revenue', u.incrementalRevenue, u.incrementalRevenueCi?.low, u.incrementalRevenueCi?.high]);
    }
  }
  rows.push([], ['verdict', 'kind', 'text'], ['a/b test', r.abTest.kind, r.abTest.text], ['effect', r.effect.kind, r.effect.text]);
  return csvText(rows);
}
