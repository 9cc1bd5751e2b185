/**
 * The evaluation end to end on the local stack, through the public API only: a CSV import, a
 * segment, a campaign with a holdout and two variants, its sends, purchases afterwards (replays,
 * a resent order, one before the start and one after the window), the evaluation run, and the
 * report checked against figures computed here from what the test itself posted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsvFile } from '../../scripts/lib/import-client.ts';
import { documentClient } from '../../shared/db/client.ts';
import { createEvaluationRepo } from '../../shared/db/evaluation-repo.ts';
import { createSendRepo } from '../../shared/db/send-repo.ts';
import type { StoredEvent } from '../../shared/domain/event.ts';
import type { EvaluationStore } from '../../shared/runtime/ports.ts';
import { countConversions } from '../../shared/services/attribution.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();
const DAY = 86_400_000;
const N = 240;

interface Recipient {
  contactId: string;
  status: string;
  variant?: string;
}

async function allRecipients(campaignId: string): Promise<Recipient[]> {
  const out: Recipient[] = [];
  let cursor: string | undefined;
  do {
    const page = await t.api('GET', `/campaigns/${campaignId}/recipients?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.body.items);
    cursor = page.body.cursor;
  } while (cursor);
  return out;
}

const purchase = (eventId: string, email: string, total: number, category: string, orderId = eventId) => ({
  eventId,
  type: 'purchase',
  email,
  orderId,
  total,
  currency: 'EUR',
  items: [{ sku: `${category}-1`, category, price: total, quantity: 1 }],
});

/** Two-sided p-value of a z statistic, from an erfc series independent of shared/domain/stats.ts (Abramowitz–Stegun 7.1.26). */
function twoSidedP(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const k = 1 / (1 + 0.3275911 * x);
  const erfc = k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429)))) * Math.exp(-x * x);
  return erfc;
}

describe('the evaluation on the local stack', () => {
  it('import → segment → campaign with holdout → sends → purchases → evaluation: the report matches figures computed independently', async () => {
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' } });
    const dir = mkdtempSync(join(tmpdir(), 'herald-eval-'));
    const file = join(dir, 'contacts.csv');
    const rows = Array.from({ length: N }, (_, i) => `buyer${i}@example.com,${i % 6 === 5 ? 'Lyon' : 'Paris'},yes`);
    writeFileSync(file, ['email,city,email_consent', ...rows].join('\n'));
    const imported = await importCsvFile({
      apiUrl: t.platform.apiUrl,
      token: t.platform.token,
      file,
      mapping: { city: 'attributes.city' },
    });
    expect(imported).toMatchObject({ rows: N, imported: N, failed: 0 });
    const emails = Array.from({ length: N }, (_, i) => `buyer${i}@example.com`);
    const parisians = emails.filter((_, i) => i % 6 !== 5);

    // Some Parisians bought shoes before the campaign (so bags later are a new category to them).
    const before = parisians.filter((_, i) => i % 4 === 0);
    await t.api('POST', '/events', { events: before.map((email, i) => purchase(`pre-${i}`, email, 40, 'shoes')) });

    const segment = (await t.api('POST', '/segments', { name: 'Paris', rule: { field: 'attributes.city', op: 'eq', value: 'Paris' } }))
      .body;
    const template = (
      await t.api('POST', '/templates', { name: 'Offer', channel: 'email', email: { subject: 'Hello', html: '<p>Hi</p>' } })
    ).body;
    const created = await t.api('POST', '/campaigns', {
      name: 'Spring offer',
      channel: 'email',
      variants: [
        { name: 'A', email: template.templateId },
        { name: 'B', email: template.templateId },
      ],
      audience: { segments: [segment.segmentId] },
      holdout: { percent: 30 },
      attributionDays: 7,
    });
    expect(created.status).toBe(201);
    const campaignId = created.body.campaignId as string;
    expect((await t.api('POST', `/campaigns/${campaignId}/launch`)).body.status).toBe('sending');
    await t.platform.drainQueues(60_000);

    const recipients = await allRecipients(campaignId);
    expect(recipients).toHaveLength(parisians.length);
    const groupOf = new Map(recipients.map((r) => [r.contactId, r.status === 'holdout' ? 'holdout' : (r.variant as string)]));
    const idOf = new Map<string, string>();
    for (const email of parisians) {
      const found = (await t.api('GET', `/contacts?email=${encodeURIComponent(email)}`)).body.items[0];
      idOf.set(email, found.contactId);
    }

    // Purchases after the launch: a deterministic pattern, some twice, some in a new category.
    t.platform.advanceClock(DAY);
    const revenue = new Map<string, number>(); // per contact, inside the window
    const crossSold = new Set<string>();
    const events: ReturnType<typeof purchase>[] = [];
    parisians.forEach((email, i) => {
      const group = groupOf.get(idOf.get(email) as string);
      const buys = group === 'holdout' ? i % 5 === 0 : group === 'A' ? i % 3 === 0 : i % 4 === 0;
      if (!buys) return;
      const total = 20 + (i % 7) * 10;
      const category = i % 2 === 0 ? 'bags' : 'shoes';
      events.push(purchase(`post-${i}`, email, total, category));
      revenue.set(email, total);
      if (category === 'bags' && before.includes(email)) crossSold.add(email);
      if (i % 9 === 0) {
        events.push(purchase(`post2-${i}`, email, 15, 'shoes'));
        revenue.set(email, total + 15);
      }
    });
    const first = await t.api('POST', '/events', { events });
    expect(first.body.accepted).toBe(events.length);
    // A shop's retry (same event ids) and the same first order resent under a new event id: nothing more.
    expect((await t.api('POST', '/events', { events })).body.duplicates).toBe(events.length);
    const resent = events[0] as ReturnType<typeof purchase>;
    await t.api('POST', '/events', { events: [{ ...resent, eventId: 'resent-1' }] });
    // Lyon (outside the audience) buys too: no campaign's conversion.
    await t.api('POST', '/events', { events: [purchase('lyon-1', emails[5] as string, 99, 'bags')] });
    // After the 7-day window: not counted.
    t.platform.advanceClock(8 * DAY);
    await t.api('POST', '/events', { events: [purchase('late-1', parisians[1] as string, 500, 'bags')] });

    const run = await t.api('POST', '/reports/run');
    expect(run.status).toBe(202);
    await t.platform.drainQueues(60_000);
    const state = (await t.api('GET', `/reports/runs/${run.body.runId}`)).body;
    expect(state, state.error).toMatchObject({ status: 'completed', campaigns: 1 });

    const report = (await t.api('GET', `/reports/campaigns/${campaignId}`)).body;
    // Independent figures, per group, from what was posted.
    const expected = (group: string) => {
      const members = parisians.filter((e) => groupOf.get(idOf.get(e) as string) === group);
      const values = members.map((e) => revenue.get(e) ?? 0);
      const sum = values.reduce((a, b) => a + b, 0);
      const orders = events.filter((e) => members.includes(e.email)).length;
      return {
        n: members.length,
        converters: members.filter((e) => revenue.has(e)).length,
        revenue: sum,
        orders,
        values,
        crossSell: members.filter((e) => crossSold.has(e)).length,
      };
    };
    const groups = Object.fromEntries(report.groups.map((g: { group: string }) => [g.group, g]));
    for (const name of ['holdout', 'A', 'B']) {
      const e = expected(name);
      expect(groups[name]).toMatchObject({
        assigned: e.n,
        converters: e.converters,
        orders: e.orders,
        crossSellConverters: e.crossSell,
        sent: name === 'holdout' ? 0 : e.n,
      });
      expect(groups[name].revenue).toBeCloseTo(e.revenue, 6);
      expect(groups[name].conversionRate).toBeCloseTo(e.converters / e.n, 12);
      expect(groups[name].revenuePerRecipient).toBeCloseTo(e.revenue / e.n, 6);
    }

    // Uplift of A over the holdout: unpooled interval, pooled p-value, Welch on revenue per recipient.
    const a = expected('A');
    const h = expected('holdout');
    const p1 = a.converters / a.n;
    const p0 = h.converters / h.n;
    const se = Math.sqrt((p1 * (1 - p1)) / a.n + (p0 * (1 - p0)) / h.n);
    const pooled = (a.converters + h.converters) / (a.n + h.n);
    const z = (p1 - p0) / Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / h.n));
    const upliftA = report.uplift.find((u: { variant: string }) => u.variant === 'A');
    expect(upliftA.conversion.difference).toBeCloseTo(p1 - p0, 12);
    expect(upliftA.conversion.ci.low).toBeCloseTo(p1 - p0 - 1.959963984540054 * se, 9);
    expect(upliftA.conversion.ci.high).toBeCloseTo(p1 - p0 + 1.959963984540054 * se, 9);
    expect(upliftA.conversion.pValue).toBeCloseTo(twoSidedP(z), 6);
    expect(upliftA.incrementalConversions).toBeCloseTo((p1 - p0) * a.n, 5);
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    const variance = (v: number[]) => v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1);
    expect(upliftA.revenuePerRecipient.difference).toBeCloseTo(mean(a.values) - mean(h.values), 6);
    // The Welch interval's half-width over its standard error is a t quantile: between the normal's and df=30's.
    const seW = Math.sqrt(variance(a.values) / a.n + variance(h.values) / h.n);
    const half = (upliftA.revenuePerRecipient.ci.high - upliftA.revenuePerRecipient.ci.low) / 2;
    expect(half / seW).toBeGreaterThan(1.96);
    expect(half / seW).toBeLessThan(2.043);
    expect(report.abTest.kind === 'winner' || report.abTest.kind === 'no_winner_yet').toBe(true);
    expect(report.effect.text.length).toBeGreaterThan(10);

    // The same report as CSV.
    const csv = await fetch(`${t.platform.apiUrl}/reports/campaigns/${campaignId}`, {
      headers: { authorization: `Bearer ${t.platform.token}`, accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).split('\r\n');
    expect(lines).toContain(
      `holdout,holdout,${h.n},0,0,0,0,0,${h.converters},${h.converters / h.n},${groups.holdout.conversionCi.low},${groups.holdout.conversionCi.high},${h.orders},${groups.holdout.revenue},${groups.holdout.revenuePerRecipient},${groups.holdout.averageOrderValue ?? ''},${h.crossSell},${groups.holdout.crossSellRate},0,0`,
    );

    // The campaign has ended and its window has closed: that run was its last; later runs leave its report as it is.
    const again = await t.api('POST', '/reports/run');
    await t.platform.drainQueues(60_000);
    expect((await t.api('GET', `/reports/runs/${again.body.runId}`)).body).toMatchObject({ status: 'completed', campaigns: 0 });
    expect((await t.api('GET', `/reports/campaigns/${campaignId}`)).body).toEqual(report);

    const base = await t.api('GET', '/reports/base');
    expect(base.status).toBe(200);
    expect(base.body.runId).toBe(again.body.runId);
  });

  it('answers 404 with a clear message before a campaign is evaluated, and for an unknown run', async () => {
    const unknown = await t.api('GET', '/reports/campaigns/cp_nothere');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('cp_nothere');
    expect((await t.api('GET', '/reports/runs/nope')).status).toBe(404);
  });

  it("the repository's conditions on DynamoDB: a versioned record write, a token counted once over two days, a crash replayed", async () => {
    const repo = createEvaluationRepo(documentClient(), t.platform.tableName);
    const sends = createSendRepo(documentClient(), t.platform.tableName);
    const T = 't-evalrepo';
    const at = '2025-06-01T00:00:00.000Z';
    await sends.createMany(T, [
      { sendId: 'cp_r.ct_1', campaignId: 'cp_r', contactId: 'ct_1', status: 'sent', variant: 'A', createdAt: at, updatedAt: at },
      { sendId: 'cp_r.ct_2', campaignId: 'cp_r', contactId: 'ct_2', status: 'holdout', createdAt: at, updatedAt: at },
    ]);
    const [a] = await repo.assignments(T, [{ campaignId: 'cp_r', key: 'ct_1' }]);
    expect(a).toMatchObject({ key: 'ct_1', status: 'sent', variant: 'A', state: { version: 0, revenue: 0, converted: false } });
    const delta = { converters: 1, revenue: 30, revenueSq: 900, orders: 1, crossSell: 0, recommended: 0 };
    const pending = { token: 'o:1', group: 'v#A', delta };
    const next = { revenue: 30, convertedAt: at, crossSold: false, recommendedBought: false };
    expect(await repo.recordConversion(T, a as never, pending, next)).toBe(true);
    expect(await repo.recordConversion(T, a as never, pending, next)).toBe(false); // version 0 is gone
    const [written] = await repo.assignments(T, [{ campaignId: 'cp_r', key: 'ct_1' }]);
    expect(written?.state).toMatchObject({ version: 1, revenue: 30, converted: true, counted: new Set(['o:1']) });
    expect(written?.pending).toEqual(pending);
    await repo.clearPending(T, 'cp_r', 'ct_1', 'o:other'); // not the pending one: kept
    expect((await repo.assignments(T, [{ campaignId: 'cp_r', key: 'ct_1' }]))[0]?.pending).toEqual(pending);
    await repo.clearPending(T, 'cp_r', 'ct_1', 'o:1');
    expect((await repo.assignments(T, [{ campaignId: 'cp_r', key: 'ct_1' }]))[0]?.pending).toBeUndefined();

    const day = (n: number) => new Date(Date.parse(at) + n * DAY);
    expect(await repo.addConversion(T, 'cp_r', 'v#A', 'ct_1|o:1', delta, day(0))).toBe('applied');
    expect(await repo.addConversion(T, 'cp_r', 'v#A', 'ct_1|o:1', delta, day(0))).toBe('duplicate');
    expect(await repo.addConversion(T, 'cp_r', 'v#A', 'ct_1|o:1', delta, day(1))).toBe('duplicate'); // the next day still
    expect(await repo.addConversion(T, 'cp_r', 'v#A', 'ct_9|o:9', delta, day(2))).toBe('applied'); // clears day 0's slot
    expect(await repo.conversionTotals(T, 'cp_r')).toEqual({ 'v#A': { ...delta, converters: 2, revenue: 60, revenueSq: 1800, orders: 2 } });

    // A crash between the counter ADD and clearing the pending conversion, then the replay: once.
    await repo.markStarted(T, { campaignId: 'cp_r', name: 'r', startedAt: at, attributionDays: 7, triggered: false });
    const crashing: EvaluationStore = {
      ...repo,
      clearPending: async () => {
        throw new Error('crash');
      },
    };
    const event: StoredEvent = {
      eventId: 'e5',
      type: 'purchase',
      at: day(1).toISOString(),
      receivedAt: day(1).toISOString(),
      orderId: '5',
      total: 12,
    };
    const started = await repo.started(T);
    await expect(countConversions({ evaluation: crashing, now: () => day(2) }, T, 'ct_2', [event], [event], started)).rejects.toThrow(
      'crash',
    );
    await countConversions({ evaluation: repo, now: () => day(2) }, T, 'ct_2', [event], [event], started);
    await countConversions({ evaluation: repo, now: () => day(2) }, T, 'ct_2', [event], [event], started);
    expect((await repo.conversionTotals(T, 'cp_r')).holdout).toEqual({
      converters: 1,
      revenue: 12,
      revenueSq: 144,
      orders: 1,
      crossSell: 0,
      recommended: 0,
    });
  });
});
