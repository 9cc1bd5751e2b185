/**
 * The evaluation's pure rules: what one event adds to its group's counters, and the report from
 * the counters. Expected figures were computed independently with Python's scipy (scipy.stats
 * norm and t; the script is in the comments) for: holdout n=1000, 20 converters, revenue Σ 1000,
 * Σr² 60000; A n=2000, 60 converters, Σ 3600, Σr² 250000; B n=2000, 44 converters, Σ 2500, Σr² 160000.
 */
import { describe, expect, it } from 'vitest';
import { type Campaign, countsFrom } from '../../../shared/domain/campaign.ts';
import {
  campaignReport,
  campaignReportCsv,
  type ConversionState,
  conversionDelta,
  inWindow,
  isGoalEvent,
  newCategoriesOf,
} from '../../../shared/domain/evaluation.ts';

const state = (over: Partial<ConversionState> = {}): ConversionState => ({
  counted: new Set(),
  version: 0,
  revenue: 0,
  converted: false,
  crossSold: false,
  recommendedBought: false,
  recommendations: [],
  ...over,
});
const event = { token: 'o:1', isGoal: true, amount: 30, newCategories: [], existingCustomer: true };

describe('conversionDelta', () => {
  it('a first purchase makes a converter; a later one adds revenue and (R + a)² − R² to the sum of squares', () => {
    expect(conversionDelta(state(), event)).toEqual({
      converters: 1,
      revenue: 30,
      revenueSq: 900,
      orders: 1,
      crossSell: 0,
      recommended: 0,
    });
    expect(
      conversionDelta(state({ converted: true, revenue: 30, counted: new Set(['o:1']) }), { ...event, token: 'o:2', amount: 20 }),
    ).toEqual({
      converters: 0,
      revenue: 20,
      revenueSq: 50 ** 2 - 30 ** 2,
      orders: 1,
      crossSell: 0,
      recommended: 0,
    });
  });

  it('nothing for a token already counted, or for an event that is neither a purchase nor the goal', () => {
    expect(conversionDelta(state({ counted: new Set(['o:1']) }), event)).toBeUndefined();
    expect(conversionDelta(state(), { ...event, isGoal: false, amount: undefined })).toBeUndefined();
  });

  it('cross-sell once, for an existing customer buying a new category; recommended when it is one recommended', () => {
    const bags = { ...event, newCategories: ['bags'] };
    expect(conversionDelta(state({ recommendations: ['bags'] }), bags)).toMatchObject({ crossSell: 1, recommended: 1 });
    expect(conversionDelta(state({ crossSold: true }), bags)).toMatchObject({ crossSell: 0 });
    expect(conversionDelta(state(), { ...bags, existingCustomer: false })).toMatchObject({ crossSell: 0 });
  });

  it('new categories are judged by purchase time, not by arrival; the same order resent is not "before"', () => {
    const p = (at: string, category: string, orderId: string) => ({ type: 'purchase', at, orderId, items: [{ category }] });
    const history = [p('2025-01-01T00:00:00Z', 'shoes', 'a'), p('2025-03-01T00:00:00Z', 'bags', 'c')];
    expect(newCategoriesOf(p('2025-02-01T00:00:00Z', 'bags', 'b'), history)).toEqual({ newCategories: ['bags'], existingCustomer: true });
    expect(newCategoriesOf(p('2025-01-01T00:00:00Z', 'shoes', 'a'), history)).toEqual({
      newCategories: ['shoes'],
      existingCustomer: false,
    });
  });

  it('goal and window', () => {
    expect(isGoalEvent(undefined, { type: 'purchase' })).toBe(true);
    expect(isGoalEvent({ event: 'custom', name: 'signed_up' }, { type: 'purchase' })).toBe(false);
    expect(isGoalEvent({ event: 'custom', name: 'signed_up' }, { type: 'signed_up' })).toBe(true);
    const from = Date.parse('2025-06-01T00:00:00Z');
    expect(inWindow(from, from, 7)).toBe(true);
    expect(inWindow(from + 7 * 86_400_000, from, 7)).toBe(true);
    expect(inWindow(from + 7 * 86_400_000 + 1, from, 7)).toBe(false);
    expect(inWindow(from - 1, from, 7)).toBe(false);
  });
});

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  campaignId: 'cp_1',
  name: 'Spring',
  channel: 'email',
  variants: [
    { name: 'A', weight: 1, email: 'tp_1' },
    { name: 'B', weight: 1, email: 'tp_1' },
  ],
  audience: { segments: ['sg_1'], lists: [], excludeSegments: [], excludeLists: [] },
  holdout: { percent: 20 },
  attributionDays: 7,
  status: 'completed',
  createdAt: '2025-06-01T00:00:00.000Z',
  updatedAt: '2025-06-01T00:00:00.000Z',
  startedAt: '2025-06-01T00:00:00.000Z',
  finishedAt: '2025-06-01T01:00:00.000Z',
  version: 3,
  ...over,
});
const counts = countsFrom(
  { audience: 5000, holdout: 1000, 'queued#A': 2000, 'sent#A': 1990, 'queued#B': 2000, 'sent#B': 2000, 'opened#A': 700 },
  16,
);
const conversions = {
  holdout: { converters: 20, revenue: 1000, revenueSq: 60000, orders: 22, crossSell: 3, recommended: 0 },
  'v#A': { converters: 60, revenue: 3600, revenueSq: 250000, orders: 70, crossSell: 9, recommended: 0 },
  'v#B': { converters: 44, revenue: 2500, revenueSq: 160000, orders: 50, crossSell: 5, recommended: 0 },
};
const now = new Date('2025-06-20T00:00:00.000Z');

describe('campaignReport', () => {
  const report = campaignReport({ campaign: campaign(), counts, conversions, runId: 'r1', now });

  it('groups by assignment: the holdout first, then the variants, with the funnel and conversions', () => {
    expect(report.groups.map((g) => [g.group, g.kind, g.assigned, g.sent, g.converters])).toEqual([
      ['holdout', 'holdout', 1000, 0, 20],
      ['A', 'variant', 2000, 1990, 60],
      ['B', 'variant', 2000, 2000, 44],
    ]);
    const a = report.groups[1];
    expect(a).toMatchObject({
      opened: 700,
      conversionRate: 0.03,
      revenue: 3600,
      revenuePerRecipient: 1.8,
      orders: 70,
      crossSellRate: 0.0045,
    });
    expect(a?.averageOrderValue).toBeCloseTo(3600 / 70, 6);
    expect(report.windowUntil).toBe('2025-06-08T00:00:00.000Z'); // start + 7 days, as counting has it
  });

  it('uplift: unpooled interval, pooled p-value, Holm over the variants, Welch on revenue per recipient (scipy values)', () => {
    const [a, b] = report.uplift;
    // scipy: diff 0.01, CI (-0.0014536377944609543, 0.021453637794460953), p = 0.10901152586788848
    expect(a?.conversion.difference).toBeCloseTo(0.01, 12);
    expect(a?.conversion.ci?.low).toBeCloseTo(-0.0014536377944609543, 10);
    expect(a?.conversion.ci?.high).toBeCloseTo(0.021453637794460953, 10);
    expect(a?.conversion.pValue).toBeCloseTo(0.10901152586788848, 8);
    expect(a?.conversion.relative).toBeCloseTo(0.5, 12);
    // Holm over (0.109, 0.721): 0.2180230517357770 and 0.7208028113864688
    expect(a?.conversion.adjustedPValue).toBeCloseTo(0.21802305173577696, 8);
    expect(b?.conversion.adjustedPValue).toBeCloseTo(0.7208028113864688, 8);
    expect(a?.conversion.significant).toBe(false);
    // scipy (Welch from the sums): diff 0.8, CI (0.1208293894850142, 1.479170610514986), p = 0.02098040850242957, df 2691.51
    expect(a?.revenuePerRecipient.difference).toBeCloseTo(0.8, 10);
    expect(a?.revenuePerRecipient.ci?.low).toBeCloseTo(0.1208293894850142, 7);
    expect(a?.revenuePerRecipient.ci?.high).toBeCloseTo(1.479170610514986, 7);
    expect(a?.revenuePerRecipient.pValue).toBeCloseTo(0.02098040850242957, 7);
    expect(a?.incrementalConversions).toBeCloseTo(20, 6);
    expect(a?.incrementalRevenue).toBeCloseTo(1600, 6);
    expect(a?.incrementalRevenueCi?.low).toBeCloseTo(0.1208293894850142 * 2000, 3);
  });

  it('verdicts in words: no winner yet with the sample size 80% power needs (scipy: 6,211 per variant)', () => {
    expect(report.abTest).toMatchObject({ kind: 'no_winner_yet', requiredPerGroup: 6211 });
    expect(report.abTest.text).toContain('6,211');
    expect(report.effect.kind).toBe('no_uplift_yet');
    expect(report.effect.text).toMatch(/^No significant effect yet/);
  });

  it('a clear winner and a significant uplift are said so', () => {
    const strong = campaignReport({
      campaign: campaign(),
      counts,
      conversions: { ...conversions, 'v#A': { ...conversions['v#A'], converters: 140 } },
      runId: 'r2',
      now,
    });
    expect(strong.abTest).toMatchObject({ kind: 'winner', winner: 'A' });
    expect(strong.effect).toMatchObject({ kind: 'uplift', winner: 'A' });
    expect(strong.effect.text).toMatch(
      /^It worked: variant A raised conversion by \+5\.00 percentage points over the holdout \(95% CI \+\d\.\d\d to \+\d\.\d\d\)/,
    );
    expect(strong.effect.text).toMatch(/\(p < 0\.0001\)\.$/);
    expect(strong.abTest.text).not.toContain('p = <');
  });

  it('tiny groups: figures where defined, no false precision', () => {
    const tiny = campaignReport({
      campaign: campaign({ variants: [{ name: 'A', weight: 1, email: 'tp_1' }] }),
      counts: countsFrom({ audience: 12, holdout: 2, 'queued#A': 10, 'sent#A': 10 }, 16),
      conversions: { 'v#A': { converters: 1, revenue: 10, revenueSq: 100, orders: 1, crossSell: 0, recommended: 0 } },
      runId: 'r3',
      now,
    });
    const u = tiny.uplift[0];
    expect(u?.conversion.meaningful).toBe(false);
    expect(u?.conversion.caveat).toMatch(/\d/);
    expect(tiny.effect.kind).toBe('no_uplift_yet');
    expect(tiny.effect.text).toMatch(/^Too early to tell/);
    expect(tiny.abTest.kind).toBe('not_applicable');
  });

  it('no holdout: no uplift, and the report says the effect cannot be measured', () => {
    const none = campaignReport({
      campaign: campaign({ holdout: undefined }),
      counts: countsFrom({ 'queued#A': 100, 'queued#B': 100 }, 16),
      conversions: {},
      runId: 'r4',
      now,
    });
    expect(none.uplift).toEqual([]);
    expect(none.groups.map((g) => g.group)).toEqual(['A', 'B']);
    expect(none.effect).toMatchObject({ kind: 'not_applicable' });
  });

  it('a triggered campaign still sending has no closing date yet', () => {
    const live = campaignReport({
      campaign: campaign({ status: 'sending', trigger: { on: { stage: 'lapsed' } } as Campaign['trigger'], audience: undefined }),
      counts,
      conversions,
      runId: 'r5',
      now,
    });
    expect(live).toMatchObject({ triggered: true, windowUntil: null });
  });

  it('as CSV: a row per group and per uplift measure, the verdicts last', () => {
    const lines = campaignReportCsv(report).split('\r\n');
    expect(lines[2]).toMatch(/^group,kind,assigned,sent,/);
    expect(lines[3]).toMatch(/^holdout,holdout,1000,0,0,0,0,0,20,0.02,/);
    expect(lines.some((l) => /^A,conversion_rate,0\.0(1|099999)/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('a/b test,no_winner_yet,"No winner yet:'))).toBe(true);
  });

  it('a significant drop is called harm, never "no significant effect"', () => {
    const worse = campaignReport({
      campaign: campaign({ variants: [{ name: 'A', weight: 1, email: 'tp_1' }] }),
      counts: countsFrom({ holdout: 5000, 'queued#A': 5000 }, 16),
      conversions: { holdout: { ...conversions.holdout, converters: 500 }, 'v#A': { ...conversions['v#A'], converters: 350 } },
      runId: 'r6',
      now,
    });
    expect(worse.effect).toMatchObject({ kind: 'harm', winner: 'A' });
    expect(worse.effect.text).toMatch(/^It backfired: the message lowered conversion by 3\.00 percentage points/);
    expect(worse.effect.requiredPerGroup).toBeUndefined();
  });

  it('Holm counts only the comparisons that exist: an empty variant does not dilute the others', () => {
    const withEmpty = campaignReport({
      campaign: campaign({ variants: [...campaign().variants, { name: 'C', weight: 1, email: 'tp_1' }] }),
      counts,
      conversions,
      runId: 'r7',
      now,
    });
    const [a, b, c] = withEmpty.uplift;
    expect(c?.conversion.pValue).toBeNull();
    expect(c?.conversion.adjustedPValue).toBeNull();
    expect(a?.conversion.adjustedPValue).toBeCloseTo(0.21802305173577696, 8); // as with two variants
    expect(b?.conversion.adjustedPValue).toBeCloseTo(0.7208028113864688, 8);
  });

  it('the relative uplift interval is the rate ratio’s (Katz, log scale): 20/1000 against 10/1000 gives −5.9% to +325.1%', () => {
    const r = campaignReport({
      campaign: campaign({ variants: [{ name: 'A', weight: 1, email: 'tp_1' }] }),
      counts: countsFrom({ holdout: 1000, 'queued#A': 1000 }, 16),
      conversions: { holdout: { ...conversions.holdout, converters: 10 }, 'v#A': { ...conversions['v#A'], converters: 20 } },
      runId: 'r8',
      now,
    });
    // math.exp(ln 2 ∓ 1.959964·sqrt(1/20 − 1/1000 + 1/10 − 1/1000)) − 1 in Python
    expect(r.uplift[0]?.conversion.relative).toBeCloseTo(1, 12);
    expect(r.uplift[0]?.conversion.relativeCi?.low).toBeCloseTo(-0.059050699560508346, 9);
    expect(r.uplift[0]?.conversion.relativeCi?.high).toBeCloseTo(3.2510260628619516, 9);
  });

  it('counters read mid-update never show more converters than recipients, and an empty holdout is said to be empty', () => {
    const odd = campaignReport({
      campaign: campaign({ variants: [{ name: 'A', weight: 1, email: 'tp_1' }] }),
      counts: countsFrom({ holdout: 0, 'queued#A': 3 }, 16),
      conversions: { 'v#A': { ...conversions['v#A'], converters: 4 } },
      runId: 'r9',
      now,
    });
    expect(odd.groups[1]).toMatchObject({ assigned: 3, converters: 3, conversionRate: 1 });
    expect(odd.effect).toMatchObject({ kind: 'not_applicable' });
    expect(odd.effect.text).toMatch(/holdout is empty/);
  });

  it('a local-time campaign’s window closes a day later (sends spread over the zones)', () => {
    const local = campaignReport({
      campaign: campaign({ schedule: { at: '2025-06-01T09:00:00.000Z', localTime: true } }),
      counts,
      conversions,
      runId: 'r10',
      now,
    });
    expect(local.windowUntil).toBe('2025-06-09T02:00:00.000Z'); // start + 7 days + 26 hours
  });

  it('names a marketer typed cannot become spreadsheet formulas in the CSV', () => {
    const csv = campaignReportCsv({ ...report, name: '=HYPERLINK("http://x")' });
    expect(csv.split('\r\n')[0]).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});
