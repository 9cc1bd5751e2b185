/**
 * The customer-base health report over the real stack: contacts written by the contacts service
 * (with a fixed clock for their creation), purchases posted to POST /events, NPS answers and
 * consent on the contacts, boundaries recomputed by the queued worker; then buildBaseReport reads
 * the base back from dynalite. Every figure is checked against a count made here from the
 * purchase lists themselves, not from the stored aggregates.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ContactUpsert } from '../../shared/domain/contact.ts';
import { type Boundaries, Lifecycle, lifecycleOf, scoreOf, tierOf } from '../../shared/domain/value.ts';
import { allDeps } from '../../shared/runtime/deps.ts';
import { baseReportCsv, buildBaseReport } from '../../shared/services/base-report.ts';
import { upsertContact } from '../../shared/services/contacts.ts';
import { randomTenant } from '../helpers/builders.ts';
import { usePlatform } from '../helpers/platform.ts';

const tenantId = randomTenant();
const t = usePlatform({ tenantId });

const DAY = 86_400;
/** The report's clock: 15 June 2026, noon UTC; 12 months, July 2025 .. June 2026 (partial). */
const NOW = new Date('2026-06-15T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const LIFECYCLE = { atRiskAfterDays: 45, lapsedAfterDays: 120, loyalMinOrders: 3, loyalWithinDays: 180 };
const sec = (iso: string) => Date.parse(iso) / 1000;

/** A small seeded generator, so the base is the same on every run. */
let seed = 20_260_615;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

interface Planned {
  key: string;
  createdAt: string;
  upsert: ContactUpsert;
  orders: { at: number; total: number }[];
  nps?: { score: number; at: string };
}

/** 12 customers with 1-8 orders each between 1 May 2025 and now (some before the window), and 3 prospects. */
function plan(): Planned[] {
  const from = sec('2025-05-01T00:00:00Z');
  const marker = `${Date.now()}`;
  const people: Planned[] = [];
  for (let i = 0; i < 15; i++) {
    const customer = i < 12;
    const count = customer ? 1 + Math.floor(rand() * 8) : 0;
    const orders = Array.from({ length: count }, () => ({
      at: from + Math.floor(rand() * (NOW_S - from)),
      total: Math.round(1000 + rand() * 9000) / 100,
    }));
    const email = i % 5 === 4 ? undefined : `base.${marker}.${i}@example.com`;
    people.push({
      key: `p${i}`,
      // Prospects joined in March 2025, October 2025 and March 2026; customers 10 and 11 were created only
      // yesterday (their history was imported after the fact): they are in the base from their first order.
      createdAt: [
        ...Array.from({ length: 10 }, () => '2025-01-01T00:00:00.000Z'),
        '2026-06-14T00:00:00.000Z',
        '2026-06-14T00:00:00.000Z',
        '2025-03-01T00:00:00.000Z',
        '2025-10-15T08:00:00.000Z',
        '2026-03-03T00:00:00.000Z',
      ][i] as string,
      upsert: {
        ...(email ? { email } : { externalId: `base-${marker}-${i}` }),
        ...(i % 3 === 0 ? { phone: `+4477009${marker.slice(-3)}${String(i).padStart(2, '0')}` } : {}),
        ...(i % 4 === 1 ? { preferredChannel: 'sms' as const } : i % 4 === 2 ? { preferredChannel: 'email' as const } : {}),
        consent: {
          email: { status: i % 2 === 0 ? 'subscribed' : 'unknown' },
          sms: { status: i % 6 === 0 ? 'subscribed' : 'unsubscribed' },
        },
      },
      orders,
      // Answers: most customers in the window, one before it (p0), one prospect (p13).
      ...(i === 0
        ? { nps: { score: 9, at: '2025-04-20T10:00:00.000Z' } }
        : i % 2 === 1 || i === 13
          ? { nps: { score: (i * 7) % 11, at: new Date((sec('2025-07-01T00:00:00Z') + i * 23 * DAY + 3600) * 1000).toISOString() } }
          : {}),
    });
  }
  return people;
}

const monthKey = (s: number) => new Date(s * 1000).toISOString().slice(0, 7);
const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (a: number, b: number) => (b === 0 ? null : round2((a / b) * 100));

describe('buildBaseReport', () => {
  it('reports the base as counted independently from the purchases, NPS answers and consent', async () => {
    // Arrange: thresholds, contacts (created on their own dates), purchases over the API, answers, boundaries.
    expect((await t.api('PUT', '/settings/value-model', { lifecycle: LIFECYCLE })).status).toBe(200);
    const people = plan();
    const deps = allDeps();
    const ids = new Map<string, string>();
    for (const p of people) {
      const created = await upsertContact({ ...deps, now: () => new Date(p.createdAt) }, { tenantId }, p.upsert);
      ids.set(p.key, created.contact.contactId);
    }
    const events = people.flatMap((p) =>
      p.orders.map((o, k) => ({
        eventId: `base-${p.key}-${k}`,
        type: 'purchase',
        contactId: ids.get(p.key),
        at: new Date(o.at * 1000).toISOString(),
        orderId: `order-${p.key}-${k}`,
        total: o.total,
        currency: 'EUR',
      })),
    );
    const posted = await t.api('POST', '/events', { events });
    expect(posted.body).toMatchObject({ accepted: events.length, rejected: 0 });
    for (const p of people) {
      if (!p.nps) continue;
      const res = await t.api('PATCH', `/contacts/${ids.get(p.key)}`, { attributes: { npsScore: p.nps.score, npsAt: p.nps.at } });
      expect(res.status).toBe(200);
    }
    expect((await t.api('POST', '/settings/value-model/recompute')).status).toBe(202);
    await t.platform.drainQueues(20_000);
    const boundaries = (await t.api('GET', '/settings/value-model')).body.boundaries as Boundaries;
    expect(boundaries.customers).toBe(12);

    // Act
    const report = await buildBaseReport({ ...deps, now: () => NOW }, tenantId);

    // Assert: totals and the value model.
    const customers = people.filter((p) => p.orders.length > 0);
    const revenueOf = (p: Planned) => round2(p.orders.reduce((s, o) => s + o.total, 0));
    const totalRevenue = customers.reduce((s, p) => s + revenueOf(p), 0);
    expect(report.totals).toEqual({
      contacts: 15,
      customers: 12,
      prospects: 3,
      orders: customers.reduce((s, p) => s + p.orders.length, 0),
      revenue: round2(totalRevenue),
    });
    expect(report.lifecycle).toEqual(LIFECYCLE);
    expect(report.boundaries).toEqual({ computedAt: boundaries.computedAt, customers: 12 });

    // Months: the 12 calendar months to June 2026, each [start, end] with the current one ending now.
    const windows = Array.from({ length: 13 }, (_, j) => {
      const start = Date.UTC(2025, 5 + j, 1) / 1000;
      return { start, end: j === 12 ? NOW_S : Date.UTC(2025, 6 + j, 1) / 1000 - 1 };
    });
    expect(report.months.map((m) => m.month)).toEqual(windows.slice(1).map((w) => monthKey(w.start)));
    const times = (p: Planned) => p.orders.map((o) => o.at).sort((a, b) => a - b);
    const bought = (p: Planned, j: number) => times(p).some((x) => x >= windows[j]!.start && x <= windows[j]!.end);
    const stageAt = (p: Planned, T: number) => {
      const placed = times(p).filter((x) => x <= T);
      if (placed.length === 0) return sec(p.createdAt) <= T ? 'prospect' : undefined;
      return lifecycleOf(
        { orders: placed.length, lastPurchaseAt: placed.at(-1), previousPurchaseAt: placed.at(-2), orderTimes: placed },
        { ...LIFECYCLE },
        T,
      );
    };
    const R = LIFECYCLE.atRiskAfterDays * DAY;
    for (let j = 1; j <= 12; j++) {
      const m = report.months[j - 1]!;
      const w = windows[j]!;
      const previousEnd = windows[j - 1]!.end;
      const active = people.filter((p) => bought(p, j));
      const lastMonth = people.filter((p) => bought(p, j - 1));
      const atStart = people.filter((p) => !['prospect', 'lapsed', undefined].includes(stageAt(p, previousEnd)));
      const lost = atStart.filter((p) => stageAt(p, w.end) === 'lapsed');
      let due = 0;
      let notRenewed = 0;
      for (const p of customers) {
        const all = times(p);
        const last = all.filter((x) => x + R >= w.start && x + R <= w.end).at(-1);
        if (last === undefined) continue;
        due++;
        if (!all.some((x) => x > last && x <= last + R)) notRenewed++;
      }
      const answers = people.filter((p) => p.nps && sec(p.nps.at) >= w.start && sec(p.nps.at) <= w.end);
      expect(m, m.month).toMatchObject({
        partial: j === 12,
        activeCustomers: active.length,
        newCustomers: customers.filter((p) => times(p)[0]! >= w.start && times(p)[0]! <= w.end).length,
        orders: customers.reduce((s, p) => s + times(p).filter((x) => x >= w.start && x <= w.end).length, 0),
        retention: {
          retained: active.filter((p) => lastMonth.includes(p)).length,
          activeLastMonth: lastMonth.length,
          percent: pct(active.filter((p) => lastMonth.includes(p)).length, lastMonth.length),
        },
        staticChurn: { lost: lost.length, customersAtStart: atStart.length, percent: pct(lost.length, atStart.length) },
        dynamicChurn: { notRenewed, renewalsDue: due, percent: pct(notRenewed, due) },
        contacts: people.filter((p) => stageAt(p, w.end) !== undefined).length,
        approximate: 0,
      });
      expect(m.nps.answers, m.month).toBe(answers.length);
      for (const s of Lifecycle.options) {
        expect(m.stages[s], `${m.month} ${s}`).toBe(people.filter((p) => stageAt(p, w.end) === s).length);
        for (const to of Lifecycle.options) {
          const moved = people.filter((p) => stageAt(p, previousEnd) === s && stageAt(p, w.end) === to).length;
          expect(m.flows[s][to], `${m.month} ${s}>${to}`).toBe(moved);
        }
      }
    }
    // Pareto: revenue shares of the top x% of customers, a fraction of a customer counting by that fraction.
    const desc = customers.map(revenueOf).sort((a, b) => b - a);
    const shareOfTop = (x: number) => {
      let sum = 0;
      for (let i = 0; i < desc.length; i++) sum += desc[i]! * Math.max(0, Math.min(1, x - i));
      return round2((sum / totalRevenue) * 100);
    };
    expect(report.pareto.top20Percent).toBe(shareOfTop(0.2 * 12));
    expect(report.pareto.curve.map((p) => p.revenuePercent)).toEqual(Array.from({ length: 21 }, (_, i) => shareOfTop((i * 5 * 12) / 100)));

    // Tiers and RFM with the recomputed boundaries.
    const tiers = { A: 0, B: 0, C: 0 };
    for (const p of customers) tiers[tierOf(revenueOf(p), boundaries)]++;
    expect(report.tiers).toEqual(tiers);
    for (const cell of report.rfm!.cells) {
      const inCell = customers.filter(
        (p) => scoreOf(times(p).at(-1)!, boundaries.recency) === cell.r && scoreOf(p.orders.length, boundaries.frequency) === cell.f,
      );
      expect(cell.customers, `r${cell.r} f${cell.f}`).toBe(inCell.length);
      expect(cell.revenue).toBe(round2(inCell.reduce((s, p) => s + revenueOf(p), 0)));
    }
    expect(report.rfm!.monetary.map((m) => m.customers)).toEqual(
      [1, 2, 3, 4, 5].map((m) => customers.filter((p) => scoreOf(revenueOf(p), boundaries.monetary) === m).length),
    );

    // NPS overall and the loyalty matrix (repeat: 2+ orders within 180 days of now).
    const answered = people.filter((p) => p.nps);
    const promoters = answered.filter((p) => p.nps!.score >= 9).length;
    const detractors = answered.filter((p) => p.nps!.score <= 6).length;
    const n = answered.length;
    const half = 1.959963984540054 * 100 * Math.sqrt((promoters / n + detractors / n - (promoters / n - detractors / n) ** 2) / n);
    const score = (100 * (promoters - detractors)) / n;
    expect(report.nps.overall).toEqual({
      answers: n,
      promoters,
      passives: n - promoters - detractors,
      detractors,
      score: round2(score),
      low: round2(score - half),
      high: round2(score + half),
    });
    const repeat = (p: Planned) => times(p).filter((x) => x >= NOW_S - LIFECYCLE.loyalWithinDays * DAY).length >= 2;
    const answeredCustomers = customers.filter((p) => p.nps);
    expect(report.loyalty).toEqual({
      loyalists: answeredCustomers.filter((p) => p.nps!.score >= 7 && repeat(p)).length,
      mercenaries: answeredCustomers.filter((p) => p.nps!.score >= 7 && !repeat(p)).length,
      hostages: answeredCustomers.filter((p) => p.nps!.score < 7 && repeat(p)).length,
      defectors: answeredCustomers.filter((p) => p.nps!.score < 7 && !repeat(p)).length,
      unanswered: customers.length - answeredCustomers.length,
      prospectsAnswered: answered.length - answeredCustomers.length,
    });

    // Channels: reachable = address + consent subscribed (nobody here is suppressed).
    const byEmail = people.filter((p) => p.upsert.email && p.upsert.consent?.email?.status === 'subscribed');
    const bySms = people.filter((p) => p.upsert.phone && p.upsert.consent?.sms?.status === 'subscribed');
    expect(report.channels).toEqual({
      preferred: {
        email: people.filter((p) => p.upsert.preferredChannel === 'email').length,
        sms: people.filter((p) => p.upsert.preferredChannel === 'sms').length,
        none: people.filter((p) => !p.upsert.preferredChannel).length,
      },
      reachable: {
        email: byEmail.length,
        sms: bySms.length,
        any: people.filter((p) => byEmail.includes(p) || bySms.includes(p)).length,
        none: people.filter((p) => !byEmail.includes(p) && !bySms.includes(p)).length,
      },
    });

    // The CSV carries the same figures.
    const csv = baseReportCsv(report);
    const months = csv.split('\r\n\r\n').find((s) => s.startsWith('# months\r\n')) as string;
    const rows = parse(months.slice(months.indexOf('\r\n') + 2), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.activeCustomers)).toEqual(report.months.map((m) => String(m.activeCustomers)));
  });
});
