/**
 * Conversions counted as events arrive: which assignment an event counts for, what it adds, and
 * that a replay or a crash between the writes never counts one twice nor loses it (in-memory ports
 * that behave like evaluation-repo.ts; the repository itself is tested on dynalite in
 * test/integration/evaluation-repo.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { SendRecord } from '../../../shared/domain/campaign.ts';
import type { StoredEvent } from '../../../shared/domain/event.ts';
import type { EvaluatedCampaign } from '../../../shared/domain/evaluation.ts';
import { countConversions } from '../../../shared/services/attribution.ts';
import { fakeClock, fakeDeps, type FakeDeps } from '../../helpers/fakes.ts';

const T = 'tenant1';
const START = '2025-06-01T12:00:00.000Z';
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse(START) + days * DAY).toISOString();

const campaign = (id: string, extra: Partial<EvaluatedCampaign> = {}): EvaluatedCampaign => ({
  campaignId: id,
  name: id,
  startedAt: START,
  attributionDays: 7,
  triggered: false,
  ...extra,
});

const record = (
  campaignId: string,
  contactId: string,
  status: SendRecord['status'],
  variant?: string,
  extra: Partial<SendRecord> = {},
): SendRecord => ({
  sendId: `${campaignId}.${contactId}`,
  campaignId,
  contactId,
  status,
  ...(variant ? { variant } : {}),
  createdAt: START,
  updatedAt: START,
  ...extra,
});

const purchase = (eventId: string, days: number, total: number, category = 'shoes', orderId = eventId): StoredEvent => ({
  eventId,
  type: 'purchase',
  at: at(days),
  receivedAt: at(days),
  orderId,
  total,
  currency: 'EUR',
  items: [{ sku: `${category}-1`, category, price: total, quantity: 1 }],
});

let deps: FakeDeps;
let clock: ReturnType<typeof fakeClock>;
const put = (r: SendRecord) =>
  deps.world.sends.of(T).set(`${r.campaignId}.${r.firingId ? `${r.contactId}-${r.firingId}` : r.contactId}`, r);
const totals = (campaignId: string) => deps.evaluation.conversionTotals(T, campaignId);

beforeEach(() => {
  clock = fakeClock(at(1));
  deps = fakeDeps(clock.now);
});

describe('countConversions', () => {
  it('counts a purchase for every campaign that assigned the contact, holdout included, inside each window', async () => {
    put(record('cp_a', 'ct_1', 'sent', 'A'));
    put(record('cp_b', 'ct_1', 'holdout'));
    put(record('cp_c', 'ct_1', 'skipped', undefined, { reason: 'no_consent' }));
    const started = [campaign('cp_a'), campaign('cp_b'), campaign('cp_c'), campaign('cp_old', { startedAt: at(-30) })];
    const e = purchase('o1', 2, 50);
    expect(await countConversions(deps, T, 'ct_1', [e], [e], started)).toBe(2);
    expect(await totals('cp_a')).toEqual({
      'v#A': { converters: 1, revenue: 50, revenueSq: 2500, orders: 1, crossSell: 0, recommended: 0 },
    });
    expect(await totals('cp_b')).toEqual({
      holdout: { converters: 1, revenue: 50, revenueSq: 2500, orders: 1, crossSell: 0, recommended: 0 },
    });
    expect(await totals('cp_c')).toEqual({}); // skipped before assignment: in no group
    expect(await totals('cp_old')).toEqual({});
  });

  it('keeps the sum of squares of each recipient’s revenue, counts a converter once and an order id once', async () => {
    put(record('cp_a', 'ct_1', 'sent', 'A'));
    const started = [campaign('cp_a')];
    const first = purchase('e1', 1, 10);
    const second = purchase('e2', 2, 20);
    const resent = purchase('e3', 2, 20, 'shoes', 'e2'); // the same order under a new event id
    await countConversions(deps, T, 'ct_1', [first], [first], started);
    await countConversions(deps, T, 'ct_1', [second, resent], [first, second, resent], started);
    // One recipient whose window revenue is 30: Σr = 30, Σr² = 900 (not 10² + 20² = 500).
    expect(await totals('cp_a')).toEqual({
      'v#A': { converters: 1, revenue: 30, revenueSq: 900, orders: 2, crossSell: 0, recommended: 0 },
    });
  });

  it('ignores events before the start and after the window, and refunds', async () => {
    put(record('cp_a', 'ct_1', 'sent', 'A'));
    const events = [purchase('before', -1, 10), purchase('late', 7.5, 10), { ...purchase('r', 2, 10), type: 'refund' }];
    expect(await countConversions(deps, T, 'ct_1', events, events, [campaign('cp_a')])).toBe(0);
    expect(await totals('cp_a')).toEqual({});
  });

  it('with a custom goal, the goal event makes the converter and purchases add revenue', async () => {
    put(record('cp_a', 'ct_1', 'holdout'));
    const started = [campaign('cp_a', { goal: { event: 'custom', name: 'signed_up' } })];
    const p = purchase('p', 1, 40);
    const signup: StoredEvent = { eventId: 's', type: 'signed_up', at: at(2), receivedAt: at(2) };
    await countConversions(deps, T, 'ct_1', [p], [p], started);
    expect((await totals('cp_a')).holdout).toMatchObject({ converters: 0, revenue: 40 });
    await countConversions(deps, T, 'ct_1', [signup], [p, signup], started);
    expect((await totals('cp_a')).holdout).toMatchObject({ converters: 1, revenue: 40, orders: 1 });
  });

  it('counts cross-sell for an existing customer buying a category new to them, and the recommended categories', async () => {
    put(
      record('cp_x', 'ct_1', 'sent', 'A', {
        data: { recommendations: [{ item: 'bags', lift: 2, confidence: 0.5, support: 0.1, because: ['shoes'] }] },
      }),
    );
    put(record('cp_x', 'ct_2', 'holdout'));
    const started = [campaign('cp_x')];
    const old = purchase('old', -10, 30, 'shoes');
    const bags = purchase('bags', 1, 30, 'bags');
    await countConversions(deps, T, 'ct_1', [bags], [old, bags], started);
    // ct_2's first purchase ever: bags are new to it, but a first purchase is no cross-sell.
    await countConversions(deps, T, 'ct_2', [{ ...bags, eventId: 'b2', orderId: 'b2' }], [bags], started);
    const t = await totals('cp_x');
    expect(t['v#A']).toMatchObject({ crossSell: 1, recommended: 1 });
    expect(t.holdout).toMatchObject({ converters: 1, crossSell: 0, recommended: 0 });
  });

  it('a triggered campaign: the latest firing before the event, inside its window', async () => {
    const started = [campaign('cp_t', { triggered: true, startedAt: at(-20) })];
    for (const [firingId, days, status] of [
      ['f1', -10, 'holdout'],
      ['f2', 0, 'sent'],
    ] as const) {
      put(record('cp_t', 'ct_1', status, status === 'sent' ? 'A' : undefined, { firingId, createdAt: at(days) }));
      deps.world.firings.of(T).set(`ct_1#cp_t#${firingId}`, {
        firingId,
        campaignId: 'cp_t',
        contactId: 'ct_1',
        startKey: firingId,
        startedAt: at(days),
        dueAt: at(days),
        status: 'fired',
        campaignVersion: 1,
        spec: {} as never,
        variants: [],
        createdAt: at(days),
        updatedAt: at(days),
      });
    }
    const e = purchase('o', 1, 25);
    expect(await countConversions(deps, T, 'ct_1', [e], [e], started)).toBe(1);
    expect(await totals('cp_t')).toEqual({
      'v#A': { converters: 1, revenue: 25, revenueSq: 625, orders: 1, crossSell: 0, recommended: 0 },
    });
  });

  it('a replayed batch counts nothing again', async () => {
    put(record('cp_a', 'ct_1', 'sent', 'A'));
    const e = purchase('o1', 1, 50);
    await countConversions(deps, T, 'ct_1', [e], [e], [campaign('cp_a')]);
    expect(await countConversions(deps, T, 'ct_1', [e], [e], [campaign('cp_a')])).toBe(0);
    expect((await totals('cp_a'))['v#A']).toMatchObject({ converters: 1, revenue: 50, orders: 1 });
  });

  it.each([
    ['the counter ADD', 'evaluation.addConversion'],
    ['clearing the pending conversion', 'evaluation.clearPending'],
  ])('a crash before %s: the replay counts it exactly once', async (_, method) => {
    put(record('cp_a', 'ct_1', 'sent', 'A'));
    const e = purchase('o1', 1, 50);
    deps.failOnce(method);
    await expect(countConversions(deps, T, 'ct_1', [e], [e], [campaign('cp_a')])).rejects.toThrow(/injected/);
    await countConversions(deps, T, 'ct_1', [e], [e], [campaign('cp_a')]);
    expect((await totals('cp_a'))['v#A']).toEqual({ converters: 1, revenue: 50, revenueSq: 2500, orders: 1, crossSell: 0, recommended: 0 });
    // And the next purchase of that recipient is counted on top, with the right sum of squares.
    const next = purchase('o2', 2, 10);
    await countConversions(deps, T, 'ct_1', [next], [e, next], [campaign('cp_a')]);
    expect((await totals('cp_a'))['v#A']).toEqual({ converters: 1, revenue: 60, revenueSq: 3600, orders: 2, crossSell: 0, recommended: 0 });
  });

  it('a crash after the counter ADD, replayed days later: the token still refuses the second ADD', async () => {
    put(record('cp_a', 'ct_1', 'sent', 'A'));
    const e = purchase('o1', 1, 50);
    deps.failOnce('evaluation.clearPending');
    await expect(countConversions(deps, T, 'ct_1', [e], [e], [campaign('cp_a')])).rejects.toThrow(/injected/);
    clock.advance(DAY); // the dedupe keeps this day's and the previous day's tokens
    await countConversions(deps, T, 'ct_1', [e], [e], [campaign('cp_a')]);
    expect((await totals('cp_a'))['v#A']).toMatchObject({ converters: 1, revenue: 50, orders: 1 });
  });
});
