import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRule, type CountRange, type Rule } from '../../../shared/domain/segment.ts';
import { compileRule, reachable, type ContactItem, type EvalContext } from '../../../shared/domain/segment-eval.ts';
import { DEFAULT_VALUE_SETTINGS, type Boundaries } from '../../../shared/domain/value.ts';

/** The fixed clock: 2026-11-24T10:00:00Z, in epoch seconds as the aggregates hold times. */
const NOW = new Date('2026-11-24T10:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const DAY = 86_400;
const ago = (days: number) => NOW_S - days * DAY;
const isoAgo = (days: number) => new Date(ago(days) * 1000).toISOString();

const BOUNDARIES: Boundaries = {
  computedAt: NOW.toISOString(),
  customers: 10,
  recency: [ago(200), ago(100), ago(50), ago(20)],
  frequency: [1, 2, 3, 4],
  monetary: [20, 40, 60, 80],
  tierA: 90,
  tierB: 60,
  tierARevenueShare: 0.4,
};

const tally = (...daysAgo: number[]) => ({
  count: daysAgo.length,
  lastAt: Math.max(...daysAgo.map(ago)),
  times: daysAgo.map(ago).sort((a, b) => a - b),
});

/** A buyer: 3 orders (300, 40 and 10 days ago), 150 spent, shoes twice, 5 visits. */
const ada = (): ContactItem => ({
  contactId: 'ct_ada',
  email: 'ada@example.com',
  phone: '+447700900123',
  firstName: 'Ada',
  createdAt: '2026-01-15T08:00:00.000Z',
  updatedAt: isoAgo(2),
  consent: { email: { status: 'subscribed', source: 'signup' }, sms: { status: 'unsubscribed' } },
  attributes: { plan: 'pro', score: 42, vip: true },
  lists: new Set(['ls_1', 'ls_2']),
  value: {
    eventCount: 10,
    orders: 3,
    revenue: 150,
    averageOrderValue: 50,
    refunds: 1,
    firstPurchaseAt: ago(300),
    lastPurchaseAt: ago(10),
    previousPurchaseAt: ago(40),
    orderTimes: [ago(300), ago(40), ago(10)],
    categories: { shoes: tally(40, 10), bags: tally(300) },
    skus: { 'SKU-1': tally(300, 40, 10) },
    events: { visit: tally(30, 20, 3, 2, 1), signup: tally(320) },
  },
});

/** A prospect: an email of unknown consent, no phone, no value aggregates, no lists. */
const bob = (): ContactItem => ({
  contactId: 'ct_bob',
  email: 'Bob@Example.org',
  createdAt: '2026-11-20T00:00:00.000Z',
  consent: { email: { status: 'unknown' } },
  attributes: { plan: 'free' },
});

const ctx = (over: Partial<EvalContext> = {}): EvalContext => ({
  now: NOW,
  settings: DEFAULT_VALUE_SETTINGS,
  boundaries: BOUNDARIES,
  ...over,
});
const matches = (rule: Rule, item: ContactItem, c: EvalContext = ctx()) => compileRule(rule, c)(item);

/** Rules are validated first, as the API does: every rule in this file must be a valid one. */
function valid(rule: Rule): Rule {
  expect(validateRule(rule, 'rule').issues).toEqual([]);
  return rule;
}

const cases = (rows: [Rule, boolean, boolean][]) => rows.map(([rule, a, b]) => [JSON.stringify(rule), rule, a, b] as const);

describe('compileRule: field operators on a buyer (ada) and a prospect (bob)', () => {
  it.each(
    cases([
      // eq / neq: a missing value is never equal, and always not-equal.
      [{ field: 'email', op: 'eq', value: 'ada@example.com' }, true, false],
      [{ field: 'email', op: 'eq', value: 'ADA@example.com' }, false, false],
      [{ field: 'phone', op: 'eq', value: '+447700900123' }, true, false],
      [{ field: 'phone', op: 'neq', value: '+447700900123' }, false, true],
      [{ field: 'firstName', op: 'neq', value: 'Bob' }, true, true],
      [{ field: 'attributes.vip', op: 'eq', value: true }, true, false],
      [{ field: 'attributes.score', op: 'eq', value: 42 }, true, false],
      [{ field: 'attributes.score', op: 'eq', value: '42' }, false, false],
      [{ field: 'consent.email', op: 'eq', value: 'subscribed' }, true, false],
      [{ field: 'consent.sms', op: 'neq', value: 'subscribed' }, true, true],
      [{ field: 'consent.sms', op: 'eq', value: 'unknown' }, false, false],
      // in / nin
      [{ field: 'attributes.plan', op: 'in', value: ['pro', 'team'] }, true, false],
      [{ field: 'attributes.plan', op: 'nin', value: ['pro', 'team'] }, false, true],
      [{ field: 'attributes.score', op: 'in', value: [41, 42] }, true, false],
      [{ field: 'attributes.score', op: 'nin', value: [41, 42] }, false, true],
      [{ field: 'orders', op: 'in', value: [0, 3] }, true, true],
      // numbers: missing aggregates count as 0 orders / revenue.
      [{ field: 'orders', op: 'gt', value: 2 }, true, false],
      [{ field: 'orders', op: 'gt', value: 3 }, false, false],
      [{ field: 'orders', op: 'gte', value: 3 }, true, false],
      [{ field: 'orders', op: 'lt', value: 1 }, false, true],
      [{ field: 'orders', op: 'lte', value: 0 }, false, true],
      [{ field: 'orders', op: 'eq', value: 0 }, false, true],
      [{ field: 'revenue', op: 'lte', value: 150 }, true, true],
      [{ field: 'revenue', op: 'lt', value: 150 }, false, true],
      [{ field: 'averageOrderValue', op: 'eq', value: 50 }, true, false],
      [{ field: 'refunds', op: 'gte', value: 1 }, true, false],
      [{ field: 'revenue', op: 'between', value: [100, 150] }, true, false],
      [{ field: 'revenue', op: 'between', value: [150.01, 200] }, false, false],
      [{ field: 'revenue', op: 'between', value: [0, 0] }, false, true],
      // comparison across types never matches
      [{ field: 'attributes.score', op: 'gt', value: '4' }, false, false],
      [{ field: 'attributes.score', op: 'gt', value: 41 }, true, false],
      // strings compare as strings
      [{ field: 'firstName', op: 'gte', value: 'Ad' }, true, false],
      [{ field: 'firstName', op: 'between', value: ['A', 'B'] }, true, false],
      // times: ISO values against epoch-second aggregates; a missing time never compares.
      [{ field: 'createdAt', op: 'gt', value: '2026-01-15T07:59:59Z' }, true, true],
      [{ field: 'createdAt', op: 'gt', value: '2026-01-15T08:00:00Z' }, false, true],
      [{ field: 'createdAt', op: 'gte', value: '2026-01-15T09:00:00+01:00' }, true, true],
      [{ field: 'createdAt', op: 'lt', value: '2026-06-01T00:00:00Z' }, true, false],
      [{ field: 'lastPurchaseAt', op: 'gt', value: isoAgo(11) }, true, false],
      [{ field: 'lastPurchaseAt', op: 'lt', value: isoAgo(11) }, false, false],
      [{ field: 'lastPurchaseAt', op: 'lte', value: isoAgo(10) }, true, false],
      [{ field: 'firstPurchaseAt', op: 'between', value: [isoAgo(301), isoAgo(299)] }, true, false],
      // exists: a missing value or an empty string is absent.
      [{ field: 'phone', op: 'exists' }, true, false],
      [{ field: 'phone', op: 'exists', value: true }, true, false],
      [{ field: 'phone', op: 'exists', value: false }, false, true],
      [{ field: 'lastPurchaseAt', op: 'exists', value: false }, false, true],
      [{ field: 'attributes.vip', op: 'exists' }, true, false],
      [{ field: 'orders', op: 'exists' }, true, true],
      // startsWith / contains: case-insensitive, strings only.
      [{ field: 'email', op: 'startsWith', value: 'ADA@' }, true, false],
      [{ field: 'email', op: 'startsWith', value: 'bob' }, false, true],
      [{ field: 'email', op: 'contains', value: 'EXAMPLE' }, true, true],
      [{ field: 'email', op: 'contains', value: '.org' }, false, true],
      [{ field: 'phone', op: 'contains', value: '7700' }, true, false],
      [{ field: 'attributes.score', op: 'contains', value: '4' }, false, false],
      // withinLast / notWithinLast: inclusive at the edge; someone who never bought is not within.
      [{ field: 'lastPurchaseAt', op: 'withinLast', value: 'P30D' }, true, false],
      [{ field: 'lastPurchaseAt', op: 'withinLast', value: 'P10D' }, true, false],
      [{ field: 'lastPurchaseAt', op: 'withinLast', value: 'P9DT23H59M59S' }, false, false],
      [{ field: 'lastPurchaseAt', op: 'notWithinLast', value: 'P30D' }, false, true],
      [{ field: 'lastPurchaseAt', op: 'notWithinLast', value: 'P1W' }, true, true],
      [{ field: 'updatedAt', op: 'withinLast', value: 'PT48H' }, true, false],
      [{ field: 'createdAt', op: 'withinLast', value: 'P1M' }, false, true],
      [{ field: 'createdAt', op: 'notWithinLast', value: 'P1M' }, true, false],
    ]),
  )('%s: ada %s, bob %s', (_name, rule, forAda, forBob) => {
    // Arrange
    const predicate = compileRule(valid(rule), ctx());

    // Act + Assert
    expect(predicate(ada())).toBe(forAda);
    expect(predicate(bob())).toBe(forBob);
  });

  it('treats an empty string as absent for exists, but not for eq', () => {
    const item = { ...bob(), phone: '' };
    expect(matches({ field: 'phone', op: 'exists' }, item)).toBe(false);
    expect(matches({ field: 'phone', op: 'exists', value: false }, item)).toBe(true);
    expect(matches({ field: 'phone', op: 'neq', value: '+15550109999' }, item)).toBe(true);
  });

  it('reads defensively: values of the wrong shape count as missing', () => {
    const odd: ContactItem = {
      email: { address: 'a@example.com' },
      attributes: { plan: { nested: true } },
      consent: 'yes',
      value: { orders: '3', lastPurchaseAt: '2026-11-01T00:00:00Z' },
      lists: 'ls_1',
    };
    expect(matches({ field: 'email', op: 'exists' }, odd)).toBe(false);
    expect(matches({ field: 'attributes.plan', op: 'exists' }, odd)).toBe(false);
    expect(matches({ field: 'consent.email', op: 'neq', value: 'subscribed' }, odd)).toBe(true);
    expect(matches({ field: 'orders', op: 'eq', value: 0 }, odd)).toBe(true);
    expect(matches({ field: 'lastPurchaseAt', op: 'withinLast', value: 'P1Y' }, odd)).toBe(false);
    expect(matches({ inList: 'ls_1' }, odd)).toBe(false);
    expect(matches({ reachable: 'email' }, odd)).toBe(false);
  });

  it("topics.<name> reads the contact's own topic consent; never chosen (or oddly shaped) is unknown", () => {
    const item: ContactItem = { topics: { offers: { status: 'subscribed' }, newsletter: { status: 'unsubscribed' }, odd: 'yes' } };
    expect(matches(valid({ field: 'topics.offers', op: 'eq', value: 'subscribed' }), item)).toBe(true);
    expect(matches(valid({ field: 'topics.newsletter', op: 'eq', value: 'unsubscribed' }), item)).toBe(true);
    expect(matches(valid({ field: 'topics.odd', op: 'eq', value: 'unknown' }), item)).toBe(true);
    expect(matches(valid({ field: 'topics.other', op: 'eq', value: 'unknown' }), item)).toBe(true);
    expect(matches(valid({ field: 'topics.toString', op: 'eq', value: 'unknown' }), item)).toBe(true);
    expect(matches(valid({ field: 'topics.offers', op: 'eq', value: 'unknown' }), {})).toBe(true);
    expect(matches(valid({ field: 'topics.offers', op: 'neq', value: 'subscribed' }), { topics: 'offers' })).toBe(true);
  });

  it('evaluates relative times against the context clock, not the real one', () => {
    // 21 days later, ada's last purchase (then 31 days ago) is no longer within 30 days.
    const later = ctx({ now: new Date(NOW.getTime() + 21 * DAY * 1000) });
    const rule: Rule = { field: 'lastPurchaseAt', op: 'withinLast', value: 'P30D' };
    expect(matches(rule, ada(), ctx())).toBe(true);
    expect(matches(rule, ada(), later)).toBe(false);
    expect(matches({ field: 'lastPurchaseAt', op: 'notWithinLast', value: 'P30D' }, ada(), later)).toBe(true);
  });
});

describe('compileRule: logic', () => {
  const yes: Rule = { field: 'orders', op: 'gte', value: 0 };
  const no: Rule = { field: 'orders', op: 'lt', value: 0 };

  it.each<[string, Rule, boolean]>([
    ['and of trues', { and: [yes, yes] }, true],
    ['and with a false', { and: [yes, no, yes] }, false],
    ['or with a true', { or: [no, no, yes] }, true],
    ['or of falses', { or: [no, no] }, false],
    ['not of false', { not: no }, true],
    ['not of true', { not: yes }, false],
    ['nested', { and: [{ or: [no, { not: no }] }, { not: { and: [yes, no] } }] }, true],
  ])('%s', (_why, rule, expected) => {
    expect(matches(valid(rule), ada())).toBe(expected);
  });

  it('negates missing-value semantics with not: not(eq) on a missing field matches', () => {
    expect(matches({ not: { field: 'phone', op: 'eq', value: '+447700900123' } }, bob())).toBe(true);
  });
});

describe('compileRule: reachable', () => {
  it.each<[string, ContactItem, boolean, boolean]>([
    ['ada (email subscribed, sms unsubscribed)', ada(), true, false],
    ['bob (consent unknown)', bob(), false, false],
    [
      'subscribed on both with both addresses',
      { ...ada(), consent: { email: { status: 'subscribed' }, sms: { status: 'subscribed' } } },
      true,
      true,
    ],
    ['subscribed without an address', { consent: { email: { status: 'subscribed' }, sms: { status: 'subscribed' } } }, false, false],
    ['subscribed with an empty email', { ...ada(), email: '' }, false, false],
    ['subscribed but suppressed on email', { ...ada(), suppressed: { email: true } }, false, false],
    [
      'suppressed on sms only',
      { ...ada(), consent: { email: { status: 'subscribed' }, sms: { status: 'subscribed' } }, suppressed: { sms: true } },
      true,
      false,
    ],
    ['suppression flag not literally true', { ...ada(), suppressed: { email: 'yes' } }, true, false],
    ['unsubscribed on email', { ...ada(), consent: { email: { status: 'unsubscribed' } } }, false, false],
  ])('%s: email %s, sms %s', (_why, item, email, sms) => {
    expect(matches({ reachable: 'email' }, item)).toBe(email);
    expect(matches({ reachable: 'sms' }, item)).toBe(sms);
    expect(reachable(item, 'email')).toBe(email);
    expect(reachable(item, 'sms')).toBe(sms);
  });
});

describe('compileRule: lists and segments', () => {
  it('matches list membership held as a Set or as an array', () => {
    expect(matches({ inList: 'ls_1' }, ada())).toBe(true);
    expect(matches({ inList: 'ls_9' }, ada())).toBe(false);
    expect(matches({ inList: 'ls_2' }, { ...bob(), lists: ['ls_2'] })).toBe(true);
    expect(matches({ inList: 'ls_1' }, bob())).toBe(false);
  });

  it('evaluates inSegment with the referenced rule from the context', () => {
    // Arrange
    const segments = new Map<string, Rule>([
      ['sg_buyers', { field: 'orders', op: 'gte', value: 1 }],
      ['sg_emailable_buyers', { and: [{ inSegment: 'sg_buyers' }, { reachable: 'email' }] }],
    ]);
    const c = ctx({ segments });

    // Act + Assert
    expect(matches({ inSegment: 'sg_buyers' }, ada(), c)).toBe(true);
    expect(matches({ inSegment: 'sg_buyers' }, bob(), c)).toBe(false);
    expect(matches({ not: { inSegment: 'sg_buyers' } }, bob(), c)).toBe(true);
    expect(matches({ inSegment: 'sg_emailable_buyers' }, ada(), c)).toBe(true);
    expect(matches({ inSegment: 'sg_emailable_buyers' }, { ...ada(), suppressed: { email: true } }, c)).toBe(false);
  });

  it('matches nobody for a deleted (unknown) segment, or without segments in the context', () => {
    expect(matches({ inSegment: 'sg_gone' }, ada(), ctx({ segments: new Map() }))).toBe(false);
    expect(matches({ inSegment: 'sg_gone' }, ada(), ctx())).toBe(false);
    expect(matches({ not: { inSegment: 'sg_gone' } }, ada(), ctx())).toBe(true);
  });

  it('compiles a reference cycle (which saving refuses) to a rule matching nobody, instead of recursing forever', () => {
    const segments = new Map<string, Rule>([
      ['sg_a', { inSegment: 'sg_b' }],
      ['sg_b', { inSegment: 'sg_a' }],
    ]);
    const predicate = compileRule({ inSegment: 'sg_a' }, ctx({ segments }));
    expect(predicate(ada())).toBe(false);
    expect(compileRule({ not: { inSegment: 'sg_a' } }, ctx({ segments }))(ada())).toBe(true);
  });
});

describe('compileRule: purchases and events', () => {
  it.each(
    cases([
      // ada bought shoes 40 and 10 days ago, bags 300 days ago, SKU-1 three times.
      [{ purchased: { category: 'shoes' } }, true, false],
      [{ purchased: { category: 'hats' } }, false, false],
      [{ purchased: { category: 'shoes', count: { gte: 2 } } }, true, false],
      [{ purchased: { category: 'shoes', count: { gt: 2 } } }, false, false],
      [{ purchased: { category: 'shoes', count: { eq: 2 } } }, true, false],
      [{ purchased: { category: 'shoes', count: { lt: 2 } } }, false, true],
      [{ purchased: { category: 'shoes', count: { lte: 0 } } }, false, true],
      [{ purchased: { category: 'shoes', count: { gte: 1, lte: 1 } } }, false, false],
      [{ purchased: { category: 'shoes', within: 'P30D' } }, true, false],
      [{ purchased: { category: 'shoes', within: 'P30D', count: { gte: 2 } } }, false, false],
      [{ purchased: { category: 'shoes', within: 'P40D', count: { gte: 2 } } }, true, false],
      [{ purchased: { category: 'shoes', within: 'P9D' } }, false, false],
      [{ purchased: { category: 'bags', within: 'P1Y' } }, true, false],
      [{ purchased: { category: 'bags', within: 'P9M' } }, false, false],
      [{ purchased: { sku: 'SKU-1', count: { eq: 3 } } }, true, false],
      [{ purchased: { sku: 'SKU-1', within: 'P100D', count: { eq: 2 } } }, true, false],
      [{ purchased: { sku: 'SKU-2' } }, false, false],
      [{ neverPurchased: { category: 'shoes' } }, false, true],
      [{ neverPurchased: { category: 'hats' } }, true, true],
      [{ neverPurchased: { sku: 'SKU-1' } }, false, true],
      // ada visited 30, 20, 3, 2 and 1 days ago, signed up 320 days ago.
      [{ event: { type: 'visit' } }, true, false],
      [{ event: { type: 'visit', count: { gte: 5 } } }, true, false],
      [{ event: { type: 'visit', count: { gte: 6 } } }, false, false],
      [{ event: { type: 'visit', within: 'P1D' } }, true, false],
      [{ event: { type: 'visit', within: 'PT23H' } }, false, false],
      [{ event: { type: 'visit', within: 'P2D', count: { eq: 2 } } }, true, false],
      [{ event: { type: 'visit', within: 'P2D', count: { gte: 3 } } }, false, false],
      [{ event: { type: 'visit', within: 'P3W', count: { eq: 4 } } }, true, false],
      [{ event: { type: 'signup', within: 'P30D' } }, false, false],
      [{ event: { type: 'complaint', count: { eq: 0 } } }, true, true],
    ]),
  )('%s: ada %s, bob %s', (_name, rule, forAda, forBob) => {
    const predicate = compileRule(valid(rule), ctx());
    expect(predicate(ada())).toBe(forAda);
    expect(predicate(bob())).toBe(forBob);
  });
});

describe('compileRule: value model (RFM, tier, lifecycle)', () => {
  // ada: last purchase 10 days ago is after every recency cut (200, 100, 50, 20 days ago) → r 5;
  // 3 orders exceed frequency cuts 1 and 2 → f 3; revenue 150 exceeds every monetary cut → m 5;
  // 150 ≥ tierA 90 → tier A.
  it.each(
    cases([
      [{ field: 'rfm.r', op: 'eq', value: 5 }, true, false],
      [{ field: 'rfm.f', op: 'eq', value: 3 }, true, false],
      [{ field: 'rfm.m', op: 'eq', value: 5 }, true, false],
      [{ field: 'rfm.f', op: 'lt', value: 3 }, false, false],
      [{ field: 'rfm.r', op: 'exists', value: false }, false, true],
      [{ field: 'tier', op: 'eq', value: 'A' }, true, false],
      [{ field: 'tier', op: 'in', value: ['B', 'C'] }, false, false],
      [{ field: 'tier', op: 'exists', value: false }, false, true],
      [{ field: 'lifecycle', op: 'eq', value: 'active' }, true, false],
      [{ field: 'lifecycle', op: 'eq', value: 'prospect' }, false, true],
      [{ field: 'lifecycle', op: 'nin', value: ['prospect', 'lapsed'] }, true, false],
    ]),
  )('%s: ada %s, bob %s', (_name, rule, forAda, forBob) => {
    const predicate = compileRule(valid(rule), ctx());
    expect(predicate(ada())).toBe(forAda);
    expect(predicate(bob())).toBe(forBob);
  });

  it('scores and tiers other customers against the same boundaries', () => {
    // 1 order 60 days ago: after cuts at 200 and 100 days, not 50 → r 3; f 1; revenue 70 > 20, 40, 60 → m 4;
    // 70 ≥ tierB 60 but < tierA 90 → B. 1 order of 10 → m 1, tier C.
    const carol: ContactItem = { value: { orders: 1, revenue: 70, lastPurchaseAt: ago(60), orderTimes: [ago(60)] } };
    const dan: ContactItem = { value: { orders: 1, revenue: 10, lastPurchaseAt: ago(500), orderTimes: [ago(500)] } };
    expect(
      matches(
        {
          and: [
            { field: 'rfm.r', op: 'eq', value: 3 },
            { field: 'rfm.f', op: 'eq', value: 1 },
            { field: 'rfm.m', op: 'eq', value: 4 },
          ],
        },
        carol,
      ),
    ).toBe(true);
    expect(matches({ field: 'tier', op: 'eq', value: 'B' }, carol)).toBe(true);
    expect(
      matches(
        {
          and: [
            { field: 'rfm.r', op: 'eq', value: 1 },
            { field: 'rfm.m', op: 'eq', value: 1 },
            { field: 'tier', op: 'eq', value: 'C' },
          ],
        },
        dan,
      ),
    ).toBe(true);
  });

  it('matches no RFM score or tier before boundaries exist', () => {
    const c = ctx({ boundaries: undefined });
    for (const rule of [
      { field: 'rfm.r', op: 'gte', value: 1 },
      { field: 'tier', op: 'in', value: ['A', 'B', 'C'] },
      { field: 'rfm.m', op: 'exists' },
    ] as Rule[]) {
      expect(matches(rule, ada(), c)).toBe(false);
    }
    expect(matches({ field: 'tier', op: 'exists', value: false }, ada(), c)).toBe(true);
  });

  it('matches no RFM score or tier against boundaries of an empty base, as the contact view shows none', () => {
    // The schedule ran when nobody had bought (customers 0); ada bought since.
    const c = ctx({
      boundaries: { ...BOUNDARIES, customers: 0, recency: [], frequency: [], monetary: [], tierA: 0, tierB: 0, tierARevenueShare: 0 },
    });
    expect(matches({ field: 'rfm.r', op: 'exists' }, ada(), c)).toBe(false);
    expect(matches({ field: 'tier', op: 'exists' }, ada(), c)).toBe(false);
    expect(matches({ field: 'tier', op: 'eq', value: 'C' }, ada(), c)).toBe(false);
  });

  it.each<[string, ContactItem]>([
    ['new', { value: { orders: 1, lastPurchaseAt: ago(5), orderTimes: [ago(5)] } }],
    [
      'loyal',
      { value: { orders: 4, lastPurchaseAt: ago(5), previousPurchaseAt: ago(50), orderTimes: [ago(200), ago(100), ago(50), ago(5)] } },
    ],
    ['at_risk', { value: { orders: 2, lastPurchaseAt: ago(91), previousPurchaseAt: ago(120), orderTimes: [ago(120), ago(91)] } }],
    ['lapsed', { value: { orders: 2, lastPurchaseAt: ago(366), previousPurchaseAt: ago(400), orderTimes: [ago(400), ago(366)] } }],
    ['won_back', { value: { orders: 2, lastPurchaseAt: ago(5), previousPurchaseAt: ago(400), orderTimes: [ago(400), ago(5)] } }],
    ['prospect', { value: { orders: 0, orderTimes: [] } }],
  ])('finds lifecycle %s', (stage, item) => {
    expect(matches({ field: 'lifecycle', op: 'eq', value: stage }, item)).toBe(true);
    expect(matches({ field: 'lifecycle', op: 'neq', value: stage }, item)).toBe(false);
  });

  it('uses the lifecycle thresholds of the workspace settings', () => {
    const c = ctx({ settings: { lifecycle: { atRiskAfterDays: 5, lapsedAfterDays: 30, loyalMinOrders: 2, loyalWithinDays: 365 } } });
    expect(matches({ field: 'lifecycle', op: 'eq', value: 'at_risk' }, ada(), c)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: compiled rules agree with a naive interpreter written here from the documented
// semantics (segment-eval.ts header): missing values match only exists:false, neq, nin and
// notWithinLast; aggregates (orders, revenue) default to 0; counts default to {gte: 1}.
// ---------------------------------------------------------------------------------------------

type Scalar = string | number | boolean;
type Node = Record<string, unknown>;

const isObj = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Set);
const asScalar = (v: unknown): Scalar | undefined => (['string', 'number', 'boolean'].includes(typeof v) ? (v as Scalar) : undefined);
const refDuration = (d: string): number => {
  // The generator only makes PnD, PTnH and PnW durations.
  const m = /^P(?:(\d+)D|T(\d+)H|(\d+)W)$/.exec(d);
  if (!m) throw new Error(`reference cannot read ${d}`);
  return m[1] ? Number(m[1]) * DAY : m[2] ? Number(m[2]) * 3600 : Number(m[3]) * 7 * DAY;
};

function refField(field: string, item: ContactItem): Scalar | undefined {
  const value = isObj(item.value) ? item.value : undefined;
  if (field === 'orders' || field === 'revenue') return typeof value?.[field] === 'number' ? (value[field] as number) : 0;
  if (field === 'lastPurchaseAt') return typeof value?.lastPurchaseAt === 'number' ? value.lastPurchaseAt : undefined;
  if (field.startsWith('attributes.')) return isObj(item.attributes) ? asScalar(item.attributes[field.slice(11)]) : undefined;
  if (field.startsWith('consent.')) {
    const c = isObj(item.consent) ? item.consent[field.slice(8)] : undefined;
    return isObj(c) ? asScalar(c.status) : undefined;
  }
  return asScalar(item[field]);
}

function refCondition(field: string, op: string, expected: unknown, item: ContactItem): boolean {
  const v = refField(field, item);
  // Time values in rules are ISO strings; the item holds epoch seconds.
  const timeValue = field === 'lastPurchaseAt' && typeof expected === 'string' && op !== 'withinLast' && op !== 'notWithinLast';
  const want = timeValue ? Math.floor(Date.parse(expected) / 1000) : expected;
  if (op === 'exists') return (v !== undefined && v !== '') === (expected !== false);
  if (v === undefined) return op === 'neq' || op === 'nin' || op === 'notWithinLast';
  switch (op) {
    case 'eq':
      return v === want;
    case 'neq':
      return v !== want;
    case 'in':
      return (want as Scalar[]).includes(v);
    case 'nin':
      return !(want as Scalar[]).includes(v);
    case 'gt':
      return typeof v === typeof want && v > (want as Scalar);
    case 'gte':
      return typeof v === typeof want && v >= (want as Scalar);
    case 'lt':
      return typeof v === typeof want && v < (want as Scalar);
    case 'lte':
      return typeof v === typeof want && v <= (want as Scalar);
    case 'between': {
      const [lo, hi] = want as Scalar[];
      return typeof v === typeof lo && v >= (lo as Scalar) && v <= (hi as Scalar);
    }
    case 'startsWith':
      return typeof v === 'string' && v.toLowerCase().startsWith(String(want).toLowerCase());
    case 'contains':
      return typeof v === 'string' && v.toLowerCase().includes(String(want).toLowerCase());
    case 'withinLast':
      return typeof v === 'number' && NOW_S - v <= refDuration(want as string);
    case 'notWithinLast':
      return !(typeof v === 'number' && NOW_S - v <= refDuration(want as string));
    default:
      throw new Error(`reference has no ${op}`);
  }
}

function refCount(item: ContactItem, group: string, key: string, within: string | undefined): number {
  const value = isObj(item.value) ? item.value : {};
  const groupMap = isObj(value[group]) ? (value[group] as Node) : {};
  const t = isObj(groupMap[key]) ? (groupMap[key] as Node) : undefined;
  if (!t) return 0;
  if (within === undefined) return typeof t.count === 'number' ? t.count : 0;
  let n = 0;
  for (const at of Array.isArray(t.times) ? t.times : []) if (typeof at === 'number' && NOW_S - at <= refDuration(within)) n++;
  return n;
}

function refRange(n: number, r: CountRange | undefined): boolean {
  if (r === undefined) return n >= 1;
  if (r.gte !== undefined && !(n >= r.gte)) return false;
  if (r.gt !== undefined && !(n > r.gt)) return false;
  if (r.lte !== undefined && !(n <= r.lte)) return false;
  if (r.lt !== undefined && !(n < r.lt)) return false;
  if (r.eq !== undefined && n !== r.eq) return false;
  return true;
}

function refEval(rule: Rule, item: ContactItem): boolean {
  if ('and' in rule) return rule.and.every((r) => refEval(r, item));
  if ('or' in rule) return rule.or.some((r) => refEval(r, item));
  if ('not' in rule) return !refEval(rule.not, item);
  if ('field' in rule) return refCondition(rule.field, rule.op, rule.value, item);
  if ('reachable' in rule) {
    const address = rule.reachable === 'email' ? item.email : item.phone;
    const consent = isObj(item.consent) && isObj(item.consent[rule.reachable]) ? (item.consent[rule.reachable] as Node).status : undefined;
    const suppressed = isObj(item.suppressed) && item.suppressed[rule.reachable] === true;
    return typeof address === 'string' && address.length > 0 && consent === 'subscribed' && !suppressed;
  }
  if ('inList' in rule) {
    const lists = item.lists;
    return lists instanceof Set ? lists.has(rule.inList) : Array.isArray(lists) && lists.includes(rule.inList);
  }
  if ('purchased' in rule) {
    const p = rule.purchased;
    return refRange(
      p.category !== undefined ? refCount(item, 'categories', p.category, p.within) : refCount(item, 'skus', p.sku as string, p.within),
      p.count,
    );
  }
  if ('neverPurchased' in rule) {
    const p = rule.neverPurchased;
    return (
      (p.category !== undefined
        ? refCount(item, 'categories', p.category, undefined)
        : refCount(item, 'skus', p.sku as string, undefined)) === 0
    );
  }
  if ('event' in rule) return refRange(refCount(item, 'events', rule.event.type, rule.event.within), rule.event.count);
  throw new Error(`reference cannot evaluate ${JSON.stringify(rule)}`);
}

describe('compileRule agrees with a naive interpreter', () => {
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  // Mostly small whole days, so that times often fall exactly on a window's edge.
  const daysAgo = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 400 }));
  const tallyArb = fc.record({ times: fc.array(daysAgo, { maxLength: 6 }), extra: fc.nat(3) }).map(({ times, extra }) => {
    const t = times.map(ago).sort((a, b) => a - b);
    return { count: t.length + extra, lastAt: t.length ? (t[t.length - 1] as number) : 0, times: t };
  });
  const tallies = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), tallyArb, { maxKeys: keys.length });

  const valueArb = fc.record(
    {
      orders: fc.nat(6),
      revenue: fc.integer({ min: 0, max: 500 }),
      lastPurchaseAt: maybe(daysAgo.map(ago)),
      categories: tallies(['shoes', 'bags']),
      skus: tallies(['S1', 'S2']),
      events: tallies(['visit', 'signup']),
    },
    { requiredKeys: ['orders', 'categories', 'skus', 'events'] },
  );

  const status = fc.constantFrom('subscribed', 'unsubscribed', 'unknown');
  const itemArb: fc.Arbitrary<ContactItem> = fc.record(
    {
      email: fc.constantFrom('ada@example.com', 'Bob@Example.org', ''),
      phone: fc.constantFrom('+447700900123', ''),
      consent: fc.record({ email: fc.record({ status }), sms: fc.record({ status }) }, { requiredKeys: [] }),
      suppressed: fc.record({ email: fc.boolean(), sms: fc.boolean() }, { requiredKeys: [] }),
      attributes: fc.record(
        {
          plan: fc.constantFrom<Scalar>('pro', 'free', 3, true),
          score: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant('5')),
        },
        { requiredKeys: [] },
      ),
      lists: fc.oneof(
        fc.subarray(['ls_1', 'ls_2']).map((l) => new Set(l)),
        fc.subarray(['ls_1', 'ls_2']),
      ),
      value: valueArb,
    },
    { requiredKeys: [] },
  );

  const duration = fc.oneof(
    daysAgo.map((d) => `P${d}D`),
    fc.integer({ min: 1, max: 48 }).map((h) => `PT${h}H`),
    fc.integer({ min: 1, max: 20 }).map((w) => `P${w}W`),
  );
  const bound = fc.nat(3); // with `within`, counts stay below the 4 times kept per sku (validateRule refuses more)
  const countRange: fc.Arbitrary<CountRange> = fc.oneof(
    fc.constantFrom('gte', 'gt', 'lte', 'lt', 'eq').chain((k) => bound.map((n) => ({ [k]: n }))),
    fc.record({ gte: bound, gt: bound, lte: bound, lt: bound, eq: bound }, { requiredKeys: [] }).filter((r) => Object.keys(r).length > 0),
  );
  const cmp = fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte');
  const ruleLeaf: fc.Arbitrary<Rule> = fc.oneof(
    fc.record({ field: fc.constantFrom('orders', 'revenue'), op: cmp, value: fc.integer({ min: 0, max: 500 }) }),
    fc.record({
      field: fc.constant('orders'),
      op: fc.constantFrom('in', 'nin'),
      value: fc.uniqueArray(fc.nat(6), { minLength: 1, maxLength: 3 }),
    }),
    fc
      .tuple(fc.nat(300), fc.nat(300))
      .map(([a, b]) => ({ field: 'revenue', op: 'between' as const, value: [Math.min(a, b), Math.max(a, b)] })),
    fc.record({ field: fc.constant('lastPurchaseAt'), op: fc.constantFrom('withinLast', 'notWithinLast'), value: duration }),
    fc.record({ field: fc.constant('lastPurchaseAt'), op: fc.constantFrom('gt', 'gte', 'lt', 'lte'), value: daysAgo.map(isoAgo) }),
    fc
      .record({
        field: fc.constantFrom('email', 'phone', 'attributes.plan', 'lastPurchaseAt'),
        op: fc.constant('exists'),
        value: maybe(fc.boolean()),
      })
      .map(({ value, ...rest }) => (value === undefined ? rest : { ...rest, value })),
    fc.record({
      field: fc.constant('email'),
      op: fc.constantFrom('eq', 'neq'),
      value: fc.constantFrom('ada@example.com', 'bob@example.org'),
    }),
    fc.record({
      field: fc.constant('email'),
      op: fc.constantFrom('startsWith', 'contains'),
      value: fc.constantFrom('ADA', 'bob@', 'example', '.org'),
    }),
    fc.record({ field: fc.constant('attributes.plan'), op: fc.constantFrom('eq', 'neq'), value: fc.constantFrom<Scalar>('pro', 3, true) }),
    fc.record({
      field: fc.constant('attributes.plan'),
      op: fc.constantFrom('in', 'nin'),
      value: fc.subarray<Scalar>(['pro', 'free', 3], { minLength: 1 }),
    }),
    fc.record({
      field: fc.constant('attributes.score'),
      op: fc.constantFrom('gt', 'lte'),
      value: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant('4')),
    }),
    fc.record({ field: fc.constant('consent.email'), op: fc.constantFrom('eq', 'neq'), value: status }),
    fc.record({ reachable: fc.constantFrom('email' as const, 'sms' as const) }),
    fc.record({ inList: fc.constantFrom('ls_1', 'ls_3') }),
    fc
      .record({ category: fc.constantFrom('shoes', 'bags', 'hats'), within: duration, count: countRange }, { requiredKeys: ['category'] })
      .map((p) => ({ purchased: p })),
    fc
      .record({ sku: fc.constantFrom('S1', 'S2'), within: duration, count: countRange }, { requiredKeys: ['sku'] })
      .map((p) => ({ purchased: p })),
    fc
      .oneof(fc.record({ category: fc.constantFrom('shoes', 'hats') }), fc.record({ sku: fc.constantFrom('S1', 'S3') }))
      .map((p) => ({ neverPurchased: p })),
    fc
      .record({ type: fc.constantFrom('visit', 'signup', 'complaint'), within: duration, count: countRange }, { requiredKeys: ['type'] })
      .map((e) => ({ event: e })),
  ) as fc.Arbitrary<Rule>;

  const { rule: ruleArb } = fc.letrec<{ rule: Rule }>((tie) => ({
    rule: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'rule' },
      ruleLeaf,
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
      tie('rule').map((not) => ({ not })),
    ),
  }));

  it('on random valid rules and random contact items', () => {
    // Compiled once per rule, applied to several items, as a scan does.
    fc.assert(
      fc.property(ruleArb, fc.array(itemArb, { minLength: 1, maxLength: 8 }), (rule, items) => {
        expect(validateRule(rule, 'rule').issues).toEqual([]);
        const predicate = compileRule(rule, ctx());
        for (const item of items) expect(predicate(item)).toBe(refEval(rule, item));
      }),
      { numRuns: 300 },
    );
  });
});
