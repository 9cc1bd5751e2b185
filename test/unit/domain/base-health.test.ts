import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BaseHealthReport, createBaseHealth, FlowFrom, type StageCounts } from '../../../shared/domain/base-health.ts';
import { csvField, csvTable } from '../../../shared/domain/csv.ts';
import type { ContactItem } from '../../../shared/domain/segment-eval.ts';
import { type Boundaries, Lifecycle, LifecycleSettings, lifecycleOf, type ValueSettings } from '../../../shared/domain/value.ts';
import { baseReportCsv } from '../../../shared/services/base-report.ts';

const DAY = 86_400;
const sec = (iso: string) => Date.parse(iso) / 1000;
/** Noon UTC of a day: far from month boundaries. */
const noon = (date: string) => sec(`${date}T12:00:00.000Z`);
const STAGES = Lifecycle.options;

/** A stored contact item with aggregates as foldEvents writes them (order times ascending, the newest 16 kept). */
function contact(
  id: string,
  o: {
    times?: number[];
    revenue?: number;
    createdAt?: string;
    nps?: [score: number, at: string];
    email?: string;
    phone?: string;
    consent?: { email?: string; sms?: string };
    suppressed?: Record<string, boolean>;
    preferredChannel?: string;
  } = {},
): ContactItem {
  const times = [...(o.times ?? [])].sort((a, b) => a - b);
  const n = times.length;
  return {
    contactId: id,
    createdAt: o.createdAt ?? '2025-01-01T00:00:00.000Z',
    ...(o.email !== undefined ? { email: o.email } : {}),
    ...(o.phone !== undefined ? { phone: o.phone } : {}),
    ...(o.preferredChannel ? { preferredChannel: o.preferredChannel } : {}),
    consent: { email: { status: o.consent?.email ?? 'unknown' }, sms: { status: o.consent?.sms ?? 'unknown' } },
    ...(o.suppressed ? { suppressed: o.suppressed } : {}),
    attributes: o.nps ? { npsScore: o.nps[0], npsAt: o.nps[1], npsCategory: 'ignored' } : {},
    value: {
      orders: n,
      revenue: o.revenue ?? 0,
      orderTimes: times.slice(-16),
      ...(n > 0 ? { firstPurchaseAt: times[0], lastPurchaseAt: times[n - 1] } : {}),
      ...(n > 1 ? { previousPurchaseAt: times[n - 2] } : {}),
    },
  };
}

const stages = (partial: Partial<StageCounts>): StageCounts => Object.fromEntries(STAGES.map((s) => [s, partial[s] ?? 0])) as StageCounts;
/** A flow matrix from a few `from>to: count` entries, every other cell 0. */
function flows(entries: Record<string, number>) {
  const m = Object.fromEntries(FlowFrom.options.map((f) => [f, stages({})])) as Record<string, StageCounts>;
  for (const [key, count] of Object.entries(entries)) {
    const [from, to] = key.split('>') as [string, Lifecycle];
    (m[from] as StageCounts)[to] = count;
  }
  return m;
}

/** Short thresholds, so a few months show every stage: at risk after 30 days, lapsed after 60, loyal = 3 orders within 90. */
const SETTINGS: ValueSettings = {
  lifecycle: LifecycleSettings.parse({ atRiskAfterDays: 30, lapsedAfterDays: 60, loyalMinOrders: 3, loyalWithinDays: 90 }),
};
/** The clock: 15 June 2026, 12:00 UTC. Three months: April, May and June (partial); the opening is the end of March. */
const NOW = new Date('2026-06-15T12:00:00.000Z');

const BOUNDARIES: Boundaries = {
  computedAt: '2026-06-15T00:00:00.000Z',
  customers: 6,
  recency: [sec('2026-02-01T00:00:00Z'), sec('2026-04-10T00:00:00Z'), sec('2026-05-10T00:00:00Z'), sec('2026-06-08T00:00:00Z')],
  frequency: [1, 1, 2, 3],
  monetary: [30, 50, 100, 160],
  tierA: 200,
  tierB: 100,
  tierARevenueShare: 0.65,
};

/**
 * The hand-built base (all order times at noon UTC):
 *   A  orders Mar 10, Apr 10, May 10, Jun 10 (4), revenue 400; NPS 10 on May 20; email, subscribed, prefers email
 *   B  orders Mar 20, Apr 5 (2), revenue 100; NPS 6 on Jun 2; email+phone, both subscribed, email suppressed, prefers sms
 *   C  order Jan 15 (1), revenue 50; NPS 4 on 1 Nov 2025 (before the window); phone, sms unsubscribed
 *   D  orders Apr 20, Jun 5 (2), revenue 200, created Jun 5 (backfilled history); NPS 9 on Jun 11; email, consent unknown, prefers sms
 *   E  prospect created May 1 00:00; NPS 7 on 1 Dec 2025; email subscribed; preferredChannel 'fax' (not a channel)
 *   F  prospect created 1 Jan 2025; NPS 3 on Apr 2; no address
 *   G  orders 1 Dec 2025, May 15 (2), revenue 150; NPS 8 on Jun 10; email+phone, both subscribed, prefers email
 *   H  order Jun 14 (1), revenue 30, created Jun 14; no answer; email '' (empty) though subscribed
 */
function handBuiltBase(): ContactItem[] {
  return [
    contact('A', {
      times: ['2026-03-10', '2026-04-10', '2026-05-10', '2026-06-10'].map(noon),
      revenue: 400,
      nps: [10, '2026-05-20T09:00:00.000Z'],
      email: 'a@example.com',
      consent: { email: 'subscribed' },
      preferredChannel: 'email',
    }),
    contact('B', {
      times: ['2026-03-20', '2026-04-05'].map(noon),
      revenue: 100,
      nps: [6, '2026-06-02T09:00:00.000Z'],
      email: 'b@example.com',
      phone: '+447700900001',
      consent: { email: 'subscribed', sms: 'subscribed' },
      suppressed: { email: true },
      preferredChannel: 'sms',
    }),
    contact('C', {
      times: [noon('2026-01-15')],
      revenue: 50,
      nps: [4, '2025-11-01T09:00:00.000Z'],
      phone: '+447700900002',
      consent: { sms: 'unsubscribed' },
    }),
    contact('D', {
      times: ['2026-04-20', '2026-06-05'].map(noon),
      revenue: 200,
      createdAt: '2026-06-05T13:00:00.000Z',
      nps: [9, '2026-06-11T09:00:00.000Z'],
      email: 'd@example.com',
      preferredChannel: 'sms',
    }),
    contact('E', {
      createdAt: '2026-05-01T00:00:00.000Z',
      nps: [7, '2025-12-01T09:00:00.000Z'],
      email: 'e@example.com',
      consent: { email: 'subscribed' },
      preferredChannel: 'fax',
    }),
    contact('F', { createdAt: '2025-01-01T00:00:00.000Z', nps: [3, '2026-04-02T09:00:00.000Z'] }),
    contact('G', {
      times: ['2025-12-01', '2026-05-15'].map(noon),
      revenue: 150,
      nps: [8, '2026-06-10T09:00:00.000Z'],
      email: 'g@example.com',
      phone: '+447700900003',
      consent: { email: 'subscribed', sms: 'subscribed' },
      preferredChannel: 'email',
    }),
    contact('H', {
      times: [noon('2026-06-14')],
      revenue: 30,
      createdAt: '2026-06-14T12:00:00.000Z',
      email: '',
      consent: { email: 'subscribed' },
    }),
  ];
}

function report(items: ContactItem[], options: { now?: Date; months?: number; settings?: ValueSettings; boundaries?: Boundaries } = {}) {
  const health = createBaseHealth({
    now: options.now ?? NOW,
    months: options.months ?? 3,
    settings: options.settings ?? SETTINGS,
    boundaries: options.boundaries,
  });
  for (const item of items) health.add(item);
  const out = health.finish();
  BaseHealthReport.parse(out); // the schema describes what is served
  return out;
}

describe('base health: the hand-built base', () => {
  const r = report(handBuiltBase(), { boundaries: BOUNDARIES });
  const [april, may, june] = r.months as [any, any, any];

  it('names the months, the partial current one ending now', () => {
    expect(r.months.map((m) => [m.month, m.start, m.end, m.partial])).toEqual([
      ['2026-04', '2026-04-01T00:00:00.000Z', '2026-04-30T23:59:59.000Z', false],
      ['2026-05', '2026-05-01T00:00:00.000Z', '2026-05-31T23:59:59.000Z', false],
      ['2026-06', '2026-06-01T00:00:00.000Z', '2026-06-15T12:00:00.000Z', true],
    ]);
    expect(r.opening.end).toBe('2026-03-31T23:59:59.000Z');
    expect(r.generatedAt).toBe(NOW.toISOString());
    expect(r.lifecycle).toEqual(SETTINGS.lifecycle);
  });

  it('counts totals, active and new customers and orders per month', () => {
    // Customers A B C D G H (6), prospects E F; orders 4+2+1+2+2+1 = 12; revenue 400+100+50+200+150+30 = 930.
    expect(r.totals).toEqual({ contacts: 8, customers: 6, prospects: 2, orders: 12, revenue: 930 });
    // April: A B D bought (D's first order); May: A G; June: A D H (H's first order).
    expect([april.activeCustomers, may.activeCustomers, june.activeCustomers]).toEqual([3, 2, 3]);
    expect([april.newCustomers, may.newCustomers, june.newCustomers]).toEqual([1, 0, 1]);
    expect([april.orders, may.orders, june.orders]).toEqual([3, 2, 3]);
    expect(r.months.map((m) => m.approximate)).toEqual([0, 0, 0]);
  });

  it('computes retention: bought this month and last / bought last month', () => {
    // March buyers A B; April buyers A B D -> 2/2. May buyers A G, of April's three only A -> 1/3.
    // June buyers A D H, of May's two only A -> 1/2.
    expect(april.retention).toEqual({ retained: 2, activeLastMonth: 2, percent: 100 });
    expect(may.retention).toEqual({ retained: 1, activeLastMonth: 3, percent: 33.33 });
    expect(june.retention).toEqual({ retained: 1, activeLastMonth: 2, percent: 50 });
  });

  it('puts every contact in its stage at each month end, and counts the flows', () => {
    // End of March: A new (1 order, 21.5 days idle), B new (11.5 days), C lapsed (75.5 days), F prospect,
    // G lapsed (Dec 1: 120.5 days). D and H had not bought and were created later; E was created May 1.
    expect(r.opening).toMatchObject({ contacts: 5, stages: stages({ prospect: 1, new: 2, lapsed: 2 }) });
    // End of April: A active (2 orders, last Apr 10), B active (last Apr 5: 25.5 days), D new (Apr 20),
    // C and G lapsed, F prospect; E not yet created.
    expect(april.contacts).toBe(6);
    expect(april.stages).toEqual(stages({ prospect: 1, new: 1, active: 2, lapsed: 2 }));
    expect(april.flows).toEqual(flows({ 'entered>new': 1, 'new>active': 2, 'lapsed>lapsed': 2, 'prospect>prospect': 1 }));
    // End of May: A loyal (Mar 10, Apr 10, May 10 within 90 days), B at risk (56.5 days), D at risk (41.5 days),
    // G won back (May 15 after 165 days without an order), C lapsed, E and F prospects.
    expect(may.contacts).toBe(7);
    expect(may.stages).toEqual(stages({ prospect: 2, loyal: 1, at_risk: 2, lapsed: 1, won_back: 1 }));
    expect(may.flows).toEqual(
      flows({
        'entered>prospect': 1,
        'active>loyal': 1,
        'active>at_risk': 1,
        'new>at_risk': 1,
        'lapsed>lapsed': 1,
        'lapsed>won_back': 1,
        'prospect>prospect': 1,
      }),
    );
    // Now (June 15 noon): A loyal (Apr 10, May 10, Jun 10 since Mar 17), B lapsed (71 days), D active (Jun 5,
    // Apr 20 only 46 days before: not won back), G at risk (31 days), H new, C lapsed, E F prospects.
    expect(june.contacts).toBe(8);
    expect(june.stages).toEqual(stages({ prospect: 2, new: 1, active: 1, loyal: 1, at_risk: 1, lapsed: 2 }));
    expect(june.flows).toEqual(
      flows({
        'entered>new': 1,
        'loyal>loyal': 1,
        'at_risk>lapsed': 1,
        'at_risk>active': 1,
        'lapsed>lapsed': 1,
        'won_back>at_risk': 1,
        'prospect>prospect': 2,
      }),
    );
  });

  it('computes static churn: customers lapsing in the month / customers (not lapsed) at its start', () => {
    // April: at the start A and B (new), neither lapsed by its end -> 0/2. May: A B active, D new -> 0/3.
    // June: A loyal, B and D at risk, G won back -> B lapsed (last order Apr 5 + 60 days = Jun 4) -> 1/4.
    expect(april.staticChurn).toEqual({ lost: 0, customersAtStart: 2, percent: 0 });
    expect(may.staticChurn).toEqual({ lost: 0, customersAtStart: 3, percent: 0 });
    expect(june.staticChurn).toEqual({ lost: 1, customersAtStart: 4, percent: 25 });
  });

  it('computes dynamic churn: renewals due in the month (an order 30 days before) that did not come', () => {
    // April (due dates Apr 1..Apr 30 <- orders Mar 2..Mar 31): A's Mar 10 (next order Apr 10: 31 days, not renewed),
    // B's Mar 20 (next Apr 5: renewed) -> 1/2.
    // May (orders Apr 1..May 1): A's Apr 10 (next May 10: exactly 30 days, renewed), B's Apr 5 (no later order),
    // D's Apr 20 (next Jun 5: 46 days) -> 2/3.
    // June (due up to now <- orders May 2..May 16 noon): A's May 10 (next Jun 10: 31 days), G's May 15 (none) -> 2/2.
    // H's Jun 14 falls due in July: not counted yet.
    expect(april.dynamicChurn).toEqual({ notRenewed: 1, renewalsDue: 2, percent: 50 });
    expect(may.dynamicChurn).toEqual({ notRenewed: 2, renewalsDue: 3, percent: 66.67 });
    expect(june.dynamicChurn).toEqual({ notRenewed: 2, renewalsDue: 2, percent: 100 });
  });

  it('draws the Pareto concentration curve, a fraction of a customer taking that fraction of its revenue', () => {
    // Revenue, descending: 400 200 150 100 50 30 = 930. 20% of 6 customers = 1.2: 400 + 0.2 * 200 = 440 -> 47.31%.
    // 5%: 0.3 * 400 = 120 -> 12.90; 35%: 2.1 -> 600 + 0.1 * 150 = 615 -> 66.13; 50%: 3 -> 750 -> 80.65;
    // 85%: 5.1 -> 900 + 0.1 * 30 = 903 -> 97.10; 100% -> 930.
    expect(r.pareto).toMatchObject({ customers: 6, revenue: 930, top20Percent: 47.31 });
    expect(r.pareto.curve.map((p) => p.revenuePercent)).toEqual([
      0, 12.9, 25.81, 38.71, 47.31, 53.76, 60.22, 66.13, 70.97, 75.81, 80.65, 83.87, 87.1, 90.32, 92.47, 94.09, 95.7, 97.1, 98.06, 99.03,
      100,
    ]);
    expect(r.pareto.curve.map((p) => p.customersPercent)).toEqual(Array.from({ length: 21 }, (_, i) => i * 5));
    // Tiers (A from 200, B from 100): A and D in A; G and B in B; C and H in C.
    expect(r.tiers).toEqual({ A: 2, B: 2, C: 2 });
    expect(r.boundaries).toEqual({ computedAt: BOUNDARIES.computedAt, customers: 6 });
  });

  it('fills the RFM grid with the boundaries quintiles', () => {
    // Recency cuts Feb 1, Apr 10, May 10, Jun 8: A (Jun 10) 5, B (Apr 5) 2, C (Jan 15) 1, D (Jun 5) 4, G (May 15) 4, H (Jun 14) 5.
    // Frequency cuts 1 1 2 3: A (4) 5, B D G (2) 3, C H (1) 1. Monetary cuts 30 50 100 160: A 5, B 3, C 2, D 5, G 4, H 1.
    const filled = r.rfm?.cells.filter((c) => c.customers > 0);
    expect(filled).toEqual([
      { r: 1, f: 1, customers: 1, revenue: 50, averageRevenue: 50, averageMonetaryScore: 2 },
      { r: 2, f: 3, customers: 1, revenue: 100, averageRevenue: 100, averageMonetaryScore: 3 },
      // D and G: 200 + 150 = 350, average 175; M scores 5 and 4 -> 4.5.
      { r: 4, f: 3, customers: 2, revenue: 350, averageRevenue: 175, averageMonetaryScore: 4.5 },
      { r: 5, f: 1, customers: 1, revenue: 30, averageRevenue: 30, averageMonetaryScore: 1 },
      { r: 5, f: 5, customers: 1, revenue: 400, averageRevenue: 400, averageMonetaryScore: 5 },
    ]);
    expect(r.rfm?.cells).toHaveLength(25);
    expect(r.rfm?.cells.find((c) => c.r === 3 && c.f === 3)).toEqual({
      r: 3,
      f: 3,
      customers: 0,
      revenue: 0,
      averageRevenue: null,
      averageMonetaryScore: null,
    });
    expect(r.rfm?.monetary).toEqual([
      { m: 1, customers: 1 },
      { m: 2, customers: 1 },
      { m: 3, customers: 1 },
      { m: 4, customers: 1 },
      { m: 5, customers: 2 },
    ]);
  });

  it('counts NPS by the month of each contact latest answer, with its interval, and overall', () => {
    // April: F's 3 -> one detractor: -100, no spread. May: A's 10 -> 100.
    expect(april.nps).toEqual({ answers: 1, promoters: 0, passives: 0, detractors: 1, score: -100, low: -100, high: -100 });
    expect(may.nps).toEqual({ answers: 1, promoters: 1, passives: 0, detractors: 0, score: 100, low: 100, high: 100 });
    // June: B 6, G 8, D 9 -> pP = pD = 1/3, score 0; half-width 1.96 * 100 * sqrt((2/3 - 0) / 3) = 92.39.
    expect(june.nps).toEqual({ answers: 3, promoters: 1, passives: 1, detractors: 1, score: 0, low: -92.39, high: 92.39 });
    // Overall (C's and E's answers predate the window): promoters A D, passives G E, detractors B C F; n = 7.
    // score 100 * (2/7 - 3/7) = -14.29; half-width 1.96 * 100 * sqrt((5/7 - 1/49) / 7) = 61.71 -> -75.99 .. 47.42.
    expect(r.nps.overall).toEqual({ answers: 7, promoters: 2, passives: 2, detractors: 3, score: -14.29, low: -75.99, high: 47.42 });
  });

  it('places customers in the loyalty matrix', () => {
    // Repeat = 2+ orders since Mar 17 noon (90 days). A 10, repeat: loyalist. D 9, repeat: loyalist. G 8, one recent order:
    // mercenary. B 6, repeat: hostage. C 4, one order: defector. H: no answer. E and F answered but never bought.
    expect(r.loyalty).toEqual({ loyalists: 2, mercenaries: 1, hostages: 1, defectors: 1, unanswered: 1, prospectsAnswered: 2 });
  });

  it('counts preferred channels and reachability as campaigns decide it', () => {
    // Preferred: email A G; sms B D; none C E ('fax') F H.
    // Reachable by email: A, E, G (B suppressed, D consent unknown, H empty address); by sms: B, G (C unsubscribed).
    expect(r.channels).toEqual({
      preferred: { email: 2, sms: 2, none: 4 },
      reachable: { email: 3, sms: 2, any: 4, none: 4 },
    });
  });

  it('writes the report as CSV: one titled table per section, RFC 4180', () => {
    const csv = baseReportCsv(r);
    const sections = csv.split('\r\n\r\n');
    expect(sections.map((s) => s.split('\r\n')[0])).toEqual([
      '# summary',
      '# months',
      '# lifecycle',
      '# flows',
      '# pareto',
      '# tiers',
      '# rfm',
      '# rfm monetary',
      '# nps',
      '# loyalty',
      '# channels',
    ]);
    const table = (title: string) => {
      const text = sections.find((s) => s.startsWith(`# ${title}\r\n`)) as string;
      return parse(text.slice(text.indexOf('\r\n') + 2), { columns: true }) as Record<string, string>[];
    };
    expect(table('months')[1]).toMatchObject({
      month: '2026-05',
      retentionPercent: '33.33',
      dynamicChurnPercent: '66.67',
      partial: 'false',
    });
    expect(table('lifecycle').map((row) => row.month)).toEqual(['opening', '2026-04', '2026-05', '2026-06']);
    expect(table('flows')).toHaveLength(3 * 8);
    expect(table('pareto')[4]).toEqual({ customersPercent: '20', revenuePercent: '47.31' });
    expect(table('nps').at(-1)).toEqual({
      month: 'overall',
      answers: '7',
      promoters: '2',
      passives: '2',
      detractors: '3',
      score: '-14.29',
      low: '-75.99',
      high: '47.42',
    });
    expect(table('loyalty')).toContainEqual({ group: 'defectors', customers: '1' });
    expect(table('channels')).toContainEqual({ channel: 'any', preferred: '', reachable: '4' });
    expect(table('summary')).toContainEqual({ figure: 'boundariesComputedAt', value: BOUNDARIES.computedAt });
  });
});

describe('base health: edge cases', () => {
  it('reports an empty base with zeros, and null for every rate and share', () => {
    const r = report([]);
    expect(r.totals).toEqual({ contacts: 0, customers: 0, prospects: 0, orders: 0, revenue: 0 });
    for (const m of r.months) {
      expect(m.retention.percent).toBeNull();
      expect(m.staticChurn.percent).toBeNull();
      expect(m.dynamicChurn.percent).toBeNull();
      expect(m.nps).toEqual({ answers: 0, promoters: 0, passives: 0, detractors: 0, score: null, low: null, high: null });
      expect(m.contacts).toBe(0);
    }
    expect(r.pareto.top20Percent).toBeNull();
    expect(r.pareto.curve.every((p) => p.revenuePercent === null)).toBe(true);
    // No boundaries yet: no tiers, no RFM, and the report says so.
    expect(r).toMatchObject({ boundaries: null, tiers: null, rfm: null });
    expect(r.nps.overall.score).toBeNull();
    expect(baseReportCsv(r)).toContain('boundariesComputedAt,none yet\r\n');
  });

  it('treats boundaries over no customers as none', () => {
    expect(report([], { boundaries: { ...BOUNDARIES, customers: 0 } })).toMatchObject({ boundaries: null, tiers: null, rfm: null });
  });

  it('reports a base of prospects only: every stage prospect, every rate null', () => {
    const r = report([contact('p1'), contact('p2', { nps: [9, '2026-06-01T00:00:00.000Z'] })]);
    expect(r.totals).toMatchObject({ contacts: 2, customers: 0, prospects: 2 });
    expect(r.months.map((m) => m.stages)).toEqual([stages({ prospect: 2 }), stages({ prospect: 2 }), stages({ prospect: 2 })]);
    expect(r.months.map((m) => [m.retention.percent, m.staticChurn.percent, m.dynamicChurn.percent])).toEqual([
      [null, null, null],
      [null, null, null],
      [null, null, null],
    ]);
    expect(r.loyalty).toEqual({ loyalists: 0, mercenaries: 0, hostages: 0, defectors: 0, unanswered: 0, prospectsAnswered: 1 });
    expect(r.months[2]?.nps.score).toBe(100);
  });

  it('gives retention null after a month without buyers, and 0% after one whose buyers did not return', () => {
    // One customer, one order on May 10 (revenue 80).
    const r = report([contact('one', { times: [noon('2026-05-10')], revenue: 80 })]);
    const [april, may, june] = r.months as [any, any, any];
    expect(april.retention).toEqual({ retained: 0, activeLastMonth: 0, percent: null }); // nobody bought in March
    expect(may.retention).toEqual({ retained: 0, activeLastMonth: 0, percent: null }); // nobody bought in April
    expect(june.retention).toEqual({ retained: 0, activeLastMonth: 1, percent: 0 });
    // Not a customer at the start of May (no order yet), new at its end; at risk on June 15 (36 days), not lapsed.
    expect(may.staticChurn).toEqual({ lost: 0, customersAtStart: 0, percent: null });
    expect(june.staticChurn).toEqual({ lost: 0, customersAtStart: 1, percent: 0 });
    expect(may.flows.prospect.new).toBe(1); // created in 2025: a prospect until its first order
    expect(june.stages.at_risk).toBe(1);
    // Renewal due June 9 (May 10 + 30 days), no order since: not renewed.
    expect(june.dynamicChurn).toEqual({ notRenewed: 1, renewalsDue: 1, percent: 100 });
    // One customer: the curve is the diagonal (x% of one customer brings x% of its revenue).
    expect(r.pareto.top20Percent).toBe(20);
    expect(r.pareto.curve.map((p) => p.revenuePercent)).toEqual(Array.from({ length: 21 }, (_, i) => i * 5));
  });

  it('gives shares null when customers bought for nothing', () => {
    const r = report([contact('free', { times: [noon('2026-06-01')], revenue: 0 })]);
    expect(r.pareto).toMatchObject({ customers: 1, revenue: 0, top20Percent: null });
  });

  it('counts the stage of a customer with more than 16 orders from its known order times, and says where that is an estimate', () => {
    // 20 weekly orders from Jan 5 (k = 0..19, the last on May 18). Stored: the newest 16 (Feb 2 .. May 18) and the first
    // (Jan 5); Jan 12, 19, 26 are not stored.
    const times = Array.from({ length: 20 }, (_, k) => noon('2026-01-05') + k * 7 * DAY);
    const r = report([contact('many', { times, revenue: 2000 })]);
    // End of March: 13 orders so far (k = 0..12, the last Mar 30), 10 of them known and all within 90 days: loyal.
    expect(r.opening.stages.loyal).toBe(1);
    // April reads back to Dec 31 (its opening stage counts orders within 90 days of Mar 31) and May to Jan 30:
    // the unknown times (Jan 12-26) may matter there. June reads back to Mar 2 only: exact.
    expect(r.months.map((m) => m.approximate)).toEqual([1, 1, 0]);
    // April: orders Apr 6, 13, 20, 27; May: 4, 11, 18; June: none. Loyal at every month end: on June 15 the last order
    // (May 18) is 28 days old and the orders since Mar 17 (Mar 23 .. May 18) are 3 and more.
    expect(r.months.map((m) => m.orders)).toEqual([4, 3, 0]);
    expect(r.months.map((m) => m.stages.loyal)).toEqual([1, 1, 1]);
  });

  it('refuses a month count out of range', () => {
    expect(() => createBaseHealth({ now: NOW, months: 0, settings: SETTINGS })).toThrow(RangeError);
    expect(() => createBaseHealth({ now: NOW, months: 1.5, settings: SETTINGS })).toThrow(RangeError);
  });

  it('reports the last 12 months by default', () => {
    const health = createBaseHealth({ now: NOW, settings: SETTINGS });
    const r = health.finish();
    expect(r.months.map((m) => m.month)).toEqual([
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
    expect(r.opening.end).toBe('2025-06-30T23:59:59.000Z');
  });
});

describe('csv', () => {
  it('quotes a field holding a comma, a quote or a line break, and leaves nulls empty', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', -1.5, null, undefined, true].map(csvField)).toEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\r"',
      '-1.5',
      '',
      '',
      'true',
    ]);
    const text = csvTable(['name', 'note'], [['x', 'a, "b"\nc']]);
    expect(text).toBe('name,note\r\nx,"a, ""b""\nc"\r\n');
    expect(parse(text, { columns: true })).toEqual([{ name: 'x', note: 'a, "b"\nc' }]);
  });
});

describe('base health: properties', () => {
  const T0 = sec('2024-06-01T00:00:00Z');
  const NOW_S = NOW.getTime() / 1000;
  const settingsArb = fc
    .record({
      atRiskAfterDays: fc.integer({ min: 1, max: 200 }),
      extra: fc.integer({ min: 1, max: 400 }),
      loyalMinOrders: fc.integer({ min: 2, max: 6 }),
      loyalWithinDays: fc.integer({ min: 1, max: 400 }),
    })
    .map(({ extra, ...s }) => ({ lifecycle: LifecycleSettings.parse({ ...s, lapsedAfterDays: s.atRiskAfterDays + extra }) }));
  const contactArb = (maxOrders: number) =>
    fc.record({
      created: fc.integer({ min: T0 - 200 * DAY, max: NOW_S }),
      times: fc.array(fc.integer({ min: T0, max: NOW_S }), { maxLength: maxOrders }),
      revenue: fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
      nps: fc.option(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: T0, max: NOW_S }))),
    });
  const itemsOf = (base: { created: number; times: number[]; revenue: number; nps: [number, number] | null }[]) =>
    base.map((c, i) =>
      contact(`c${i}`, {
        times: c.times,
        revenue: c.times.length > 0 ? c.revenue : 0,
        createdAt: new Date(c.created * 1000).toISOString(),
        ...(c.nps ? { nps: [c.nps[0], new Date(c.nps[1] * 1000).toISOString()] as [number, string] } : {}),
      }),
    );
  const sum = (s: StageCounts) => STAGES.reduce((t, k) => t + s[k], 0);

  it('keeps the stage counts and flows consistent, and each rate within its denominator', () => {
    fc.assert(
      fc.property(fc.array(contactArb(25), { maxLength: 30 }), settingsArb, fc.integer({ min: 1, max: 14 }), (base, settings, months) => {
        const r = report(itemsOf(base), { settings, months });
        let previous = r.opening.stages;
        for (const m of r.months) {
          expect(sum(m.stages)).toBe(m.contacts);
          for (const from of STAGES) expect(sum(m.flows[from])).toBe(previous[from]); // rows: last month's stages
          for (const to of STAGES) expect(FlowFrom.options.reduce((t, f) => t + m.flows[f][to], 0)).toBe(m.stages[to]); // columns: this month's
          expect(m.staticChurn.customersAtStart).toBe(sum(previous) - previous.prospect - previous.lapsed);
          expect(m.staticChurn.lost).toBe(
            m.flows.new.lapsed + m.flows.active.lapsed + m.flows.loyal.lapsed + m.flows.at_risk.lapsed + m.flows.won_back.lapsed,
          );
          expect(m.retention.retained).toBeLessThanOrEqual(Math.min(m.activeCustomers, m.retention.activeLastMonth));
          expect(m.dynamicChurn.notRenewed).toBeLessThanOrEqual(m.dynamicChurn.renewalsDue);
          expect(m.contacts).toBeGreaterThanOrEqual(sum(previous));
          previous = m.stages;
        }
        expect(r.pareto.customers).toBe(r.totals.customers);
        const shares = r.pareto.curve.map((p) => p.revenuePercent ?? 0);
        for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1] as number);
        if (r.pareto.revenue > 0) expect(shares.at(-1)).toBe(100);
        expect(r.nps.overall.answers).toBe(base.filter((c) => c.nps).length);
      }),
      { numRuns: 150 },
    );
  });

  it('matches, with at most 16 orders a customer, a direct count from the full order lists', () => {
    fc.assert(
      fc.property(fc.array(contactArb(16), { maxLength: 25 }), settingsArb, (base, settings) => {
        const months = 6;
        const r = report(itemsOf(base), { settings, months });
        // Month windows, independently: [start, end] inclusive, the last one ending now.
        const windows = Array.from({ length: months + 1 }, (_, j) => {
          const start = Date.UTC(2026, 5 - months + j, 1) / 1000;
          const end = j === months ? NOW_S : Date.UTC(2026, 5 - months + j + 1, 1) / 1000 - 1;
          return { start, end };
        });
        /** The stage at T from the orders placed by T, folded afresh. */
        const stageAt = (c: (typeof base)[number], T: number) => {
          const placed = c.times.filter((t) => t <= T).sort((a, b) => a - b);
          if (placed.length === 0) return c.created <= T ? 'prospect' : undefined;
          return lifecycleOf(
            { orders: placed.length, lastPurchaseAt: placed.at(-1), previousPurchaseAt: placed.at(-2), orderTimes: placed },
            settings.lifecycle,
            T,
          );
        };
        const bought = (c: (typeof base)[number], j: number) =>
          c.times.some((t) => t >= (windows[j]?.start as number) && t <= (windows[j]?.end as number));
        const R = settings.lifecycle.atRiskAfterDays * DAY;
        for (let j = 1; j <= months; j++) {
          const m = r.months[j - 1] as any;
          const w = windows[j] as { start: number; end: number };
          expect(m.approximate).toBe(0);
          expect(m.activeCustomers).toBe(base.filter((c) => bought(c, j)).length);
          expect(m.retention.retained).toBe(base.filter((c) => bought(c, j) && bought(c, j - 1)).length);
          for (const s of STAGES) expect(m.stages[s]).toBe(base.filter((c) => stageAt(c, w.end) === s).length);
          const atStart = base.filter(
            (c) => !['prospect', 'lapsed', undefined].includes(stageAt(c, (windows[j - 1] as { end: number }).end)),
          );
          expect(m.staticChurn.customersAtStart).toBe(atStart.length);
          expect(m.staticChurn.lost).toBe(atStart.filter((c) => stageAt(c, w.end) === 'lapsed').length);
          // Renewals: the latest order whose renewal date (order + atRiskAfterDays) lies in the month; renewed by an order within that time.
          let due = 0;
          let notRenewed = 0;
          for (const c of base) {
            const sorted = [...c.times].sort((a, b) => a - b);
            const p = sorted.filter((t) => t + R >= w.start && t + R <= w.end).at(-1);
            if (p === undefined) continue;
            due++;
            if (!sorted.some((t) => t > p && t <= p + R)) notRenewed++;
          }
          expect(m.dynamicChurn).toMatchObject({ renewalsDue: due, notRenewed });
        }
      }),
      { numRuns: 150 },
    );
  });
});
