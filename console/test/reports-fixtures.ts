/**
 * Report fixtures for the report pages' tests. The campaign report is computed by the API's own
 * pure function (campaignReport) from counters, so its figures are what the API would answer; the
 * base report is written out by hand (three months, small enough to read).
 */
import type { BaseHealthMonth, BaseHealthReport, StageCounts } from '@shared/domain/base-health.ts';
import type { Campaign, CampaignCounts } from '@shared/domain/campaign.ts';
import { type CampaignReport, type ConversionTotals, campaignReport } from '@shared/domain/evaluation.ts';

const NOW = '2026-11-20T10:00:00.000Z';

export const campaignOf = (overrides: Partial<Campaign> = {}): Campaign => ({
  campaignId: 'cp_1',
  name: 'Autumn sale',
  channel: 'email',
  variants: [
    { name: 'A', weight: 1, email: 'tp_1' },
    { name: 'B', weight: 1, email: 'tp_1' },
  ],
  audience: { segments: [], lists: ['ls_1'], excludeSegments: [], excludeLists: [] },
  holdout: { percent: 30 },
  attributionDays: 14,
  status: 'completed',
  createdAt: NOW,
  updatedAt: NOW,
  launchedAt: '2026-11-10T10:00:00.000Z',
  startedAt: '2026-11-10T10:00:00.000Z',
  finishedAt: '2026-11-10T10:05:00.000Z',
  version: 3,
  ...overrides,
});

const variantCounts = (queued: number, delivered: number, opened: number, clicked: number) => ({
  queued,
  sent: queued,
  failed: 0,
  unknown: 0,
  delivered,
  bounced: 0,
  complained: 0,
  opened,
  opens: opened,
  clicked,
  clicks: clicked,
  unsubscribed: 1,
  machineOpens: 0,
  machineClicks: 0,
  links: {},
});

export const totals = (converters: number, revenue: number, revenueSq: number, crossSell = 0): ConversionTotals => ({
  converters,
  revenue,
  revenueSq,
  orders: converters,
  crossSell,
  recommended: 0,
});

/** Holdout 93 (7 converters), A 109 (15), B 98 (34): B wins and beats the holdout; A does not. */
export function campaignReportFixture(
  overrides: { campaign?: Partial<Campaign>; holdout?: number; conversions?: Record<string, ConversionTotals> } = {},
): CampaignReport {
  const holdout = overrides.holdout ?? 93;
  const counts: CampaignCounts = {
    audience: holdout + 207,
    holdout,
    variants: { A: variantCounts(109, 105, 60, 20), B: variantCounts(98, 96, 70, 35) },
    skipped: {},
    failed: {},
    deferred: 0,
    cancelled: 0,
    audienceResolved: true,
  };
  return campaignReport({
    campaign: campaignOf(overrides.campaign),
    counts,
    conversions: overrides.conversions ?? {
      holdout: totals(7, 305, 14_000, 0),
      'v#A': totals(15, 773, 42_000, 2),
      'v#B': totals(34, 1890, 110_000, 6),
    },
    runId: 'run_1',
    now: new Date(NOW),
  });
}

const stages = (s: Partial<StageCounts>): StageCounts => ({
  prospect: 0,
  new: 0,
  active: 0,
  loyal: 0,
  at_risk: 0,
  lapsed: 0,
  won_back: 0,
  ...s,
});
const flows = (f: Partial<Record<keyof StageCounts | 'entered', Partial<StageCounts>>>) =>
  Object.fromEntries(
    (['entered', 'prospect', 'new', 'active', 'loyal', 'at_risk', 'lapsed', 'won_back'] as const).map((k) => [k, stages(f[k] ?? {})]),
  ) as BaseHealthMonth['flows'];
const nps = (promoters: number, passives: number, detractors: number, score: number | null, low: number | null, high: number | null) => ({
  answers: promoters + passives + detractors,
  promoters,
  passives,
  detractors,
  score,
  low,
  high,
});

const month = (m: Partial<BaseHealthMonth> & { month: string }): BaseHealthMonth => ({
  start: `${m.month}-01T00:00:00.000Z`,
  end: `${m.month}-28T23:59:59.000Z`,
  partial: false,
  activeCustomers: 0,
  newCustomers: 0,
  orders: 0,
  retention: { retained: 0, activeLastMonth: 0, percent: null },
  staticChurn: { lost: 0, customersAtStart: 0, percent: null },
  dynamicChurn: { notRenewed: 0, renewalsDue: 0, percent: null },
  contacts: 0,
  stages: stages({}),
  flows: flows({}),
  nps: nps(0, 0, 0, null, null, null),
  approximate: 0,
  ...m,
});

export function baseReportFixture(): BaseHealthReport & { runId: string; evaluatedAt: string } {
  return {
    generatedAt: NOW,
    runId: 'run_1',
    evaluatedAt: NOW,
    lifecycle: { atRiskAfterDays: 90, lapsedAfterDays: 365, loyalMinOrders: 4, loyalWithinDays: 365 },
    boundaries: { computedAt: NOW, customers: 30 },
    totals: { contacts: 60, customers: 30, prospects: 30, orders: 75, revenue: 4321.5 },
    opening: { end: '2026-08-31T23:59:59.000Z', contacts: 40, stages: stages({ prospect: 20, new: 10, active: 6, at_risk: 4 }) },
    months: [
      month({
        month: '2026-09',
        activeCustomers: 12,
        newCustomers: 4,
        orders: 14,
        retention: { retained: 5, activeLastMonth: 10, percent: 50 },
        staticChurn: { lost: 1, customersAtStart: 20, percent: 5 },
        dynamicChurn: { notRenewed: 2, renewalsDue: 8, percent: 25 },
        contacts: 45,
        stages: stages({ prospect: 21, new: 8, active: 9, loyal: 2, at_risk: 4, lapsed: 1 }),
        flows: flows({
          entered: { prospect: 5 },
          prospect: { prospect: 16, new: 4 },
          new: { new: 4, active: 6 },
          active: { active: 3, loyal: 2, at_risk: 1 },
          at_risk: { at_risk: 3, lapsed: 1 },
        }),
        nps: nps(6, 2, 2, 40, 0.5, 79.5),
      }),
      month({
        month: '2026-10',
        activeCustomers: 15,
        newCustomers: 5,
        orders: 18,
        retention: { retained: 9, activeLastMonth: 12, percent: 75 },
        staticChurn: { lost: 2, customersAtStart: 24, percent: 8.33 },
        dynamicChurn: { notRenewed: 3, renewalsDue: 9, percent: 33.33 },
        contacts: 52,
        stages: stages({ prospect: 22, new: 9, active: 11, loyal: 3, at_risk: 5, lapsed: 2 }),
        flows: flows({
          entered: { prospect: 7 },
          prospect: { prospect: 15, new: 6 },
          new: { new: 3, active: 5 },
          active: { active: 6, loyal: 1, at_risk: 2 },
          loyal: { loyal: 2 },
          at_risk: { at_risk: 3, lapsed: 1 },
          lapsed: { lapsed: 1 },
        }),
        nps: nps(3, 1, 4, -12.5, -70.2, 45.2),
      }),
      month({
        month: '2026-11',
        end: NOW,
        partial: true,
        activeCustomers: 9,
        newCustomers: 2,
        orders: 10,
        retention: { retained: 6, activeLastMonth: 15, percent: 40 },
        staticChurn: { lost: 0, customersAtStart: 27, percent: 0 },
        dynamicChurn: { notRenewed: 0, renewalsDue: 0, percent: null },
        contacts: 60,
        stages: stages({ prospect: 30, new: 7, active: 10, loyal: 4, at_risk: 6, lapsed: 3 }),
        flows: flows({
          entered: { prospect: 8 },
          prospect: { prospect: 20, new: 2 },
          new: { new: 5, active: 4 },
          active: { active: 6, loyal: 1, at_risk: 4 },
          loyal: { loyal: 3 },
          at_risk: { at_risk: 2, lapsed: 1, active: 0 },
          lapsed: { lapsed: 2 },
        }),
        nps: nps(0, 0, 0, null, null, null),
        approximate: 1,
      }),
    ],
    pareto: {
      customers: 30,
      revenue: 4321.5,
      top20Percent: 61.25,
      curve: Array.from({ length: 21 }, (_, i) => ({
        customersPercent: i * 5,
        revenuePercent: i === 4 ? 61.25 : Math.round(100 * (1 - (1 - i / 20) ** 3) * 100) / 100,
      })),
    },
    tiers: { A: 6, B: 9, C: 15 },
    rfm: {
      cells: Array.from({ length: 25 }, (_, i) => {
        const r = Math.floor(i / 5) + 1;
        const f = (i % 5) + 1;
        const customers = r === 5 && f === 1 ? 7 : r === 4 && f === 3 ? 3 : (r + f) % 4 === 0 ? 1 : 0;
        return {
          r,
          f,
          customers,
          revenue: customers * 80,
          averageRevenue: customers ? 80 : null,
          averageMonetaryScore: customers ? 3 : null,
        };
      }),
      monetary: [1, 2, 3, 4, 5].map((m) => ({ m, customers: 6 })),
    },
    nps: { overall: nps(9, 3, 6, 16.67, -23.1, 56.4) },
    loyalty: { loyalists: 4, mercenaries: 8, hostages: 2, defectors: 4, unanswered: 12, prospectsAnswered: 3 },
    channels: { preferred: { email: 20, sms: 5, none: 35 }, reachable: { email: 50, sms: 8, any: 52, none: 8 } },
  };
}

export const basketRulesFixture = () => ({
  categories: {
    baskets: 40,
    rules: [
      { antecedent: ['shoes'], consequent: 'socks', support: 0.3, confidence: 0.75, lift: 1.9, count: 12 },
      { antecedent: ['bags', 'shoes'], consequent: 'jackets', support: 0.125, confidence: 0.5, lift: 1.4, count: 5 },
      { antecedent: ['socks'], consequent: 'shoes', support: 0.45, confidence: 0.9, lift: 1.2, count: 18 },
    ],
  },
  products: null,
  productsNote: 'product rules need 1,000 customers who bought products; there are 40',
});

/** GET /campaigns/{id}: the campaign with its live counts. */
export const campaignView = (overrides: Partial<Campaign> = {}) => ({
  ...campaignOf(overrides),
  counts: { audience: 0, holdout: 0, variants: {}, skipped: {}, failed: {}, deferred: 0, cancelled: 0, audienceResolved: false },
});
