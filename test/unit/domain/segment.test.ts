import { describe, expect, it } from 'vitest';
import {
  CreateSegment,
  MAX_RULE_NODES,
  SegmentRule,
  durationSeconds,
  fieldKind,
  referencesOf,
  validateRule,
  type Rule,
} from '../../../shared/domain/segment.ts';

const leaf = { field: 'orders', op: 'gte', value: 1 };
/** `levels` nested nots around a leaf. */
const nested = (levels: number): unknown => (levels === 0 ? leaf : { not: nested(levels - 1) });
const fieldsOf = (raw: unknown) => validateRule(raw, 'rule').issues.map((i) => i.field);

describe('validateRule', () => {
  it.each<[string, unknown]>([
    [
      'the documented example',
      {
        and: [
          { field: 'lifecycle', op: 'in', value: ['active', 'loyal'] },
          { purchased: { category: 'shoes', within: 'P90D', count: { gte: 2 } } },
          { reachable: 'email' },
        ],
      },
    ],
    ['or / not', { or: [{ not: { field: 'tier', op: 'eq', value: 'C' } }, { field: 'rfm.r', op: 'gte', value: 4 }] }],
    ['eq on a string', { field: 'email', op: 'eq', value: 'ada@example.com' }],
    ['neq on an enum', { field: 'consent.email', op: 'neq', value: 'unsubscribed' }],
    ['a topic', { field: 'topics.newsletter', op: 'in', value: ['subscribed', 'unknown'] }],
    ['between on a number', { field: 'revenue', op: 'between', value: [100, 500] }],
    ['between on a time', { field: 'createdAt', op: 'between', value: ['2026-01-01T00:00:00Z', '2026-06-30T23:59:59Z'] }],
    ['in on numbers', { field: 'orders', op: 'in', value: [1, 2, 3] }],
    ['nin on an enum', { field: 'lifecycle', op: 'nin', value: ['lapsed', 'at_risk'] }],
    ['exists without a value', { field: 'phone', op: 'exists' }],
    ['exists: false', { field: 'attributes.plan', op: 'exists', value: false }],
    ['startsWith', { field: 'email', op: 'startsWith', value: 'ada@' }],
    ['contains', { field: 'firstName', op: 'contains', value: 'da' }],
    ['withinLast on a time', { field: 'lastPurchaseAt', op: 'withinLast', value: 'P30D' }],
    ['notWithinLast on a time', { field: 'updatedAt', op: 'notWithinLast', value: 'PT12H' }],
    ['gt on a time', { field: 'firstPurchaseAt', op: 'gt', value: '2026-01-01T00:00:00+01:00' }],
    ['any operator on an attribute', { field: 'attributes.score', op: 'withinLast', value: 'P1W' }],
    ['a boolean attribute', { field: 'attributes.vip', op: 'eq', value: true }],
    ['reachable sms', { reachable: 'sms' }],
    ['inList', { inList: 'ls_01' }],
    ['inSegment', { inSegment: 'sg_01' }],
    ['purchased a sku, with a count range', { purchased: { sku: 'SKU-1', count: { gt: 1, lte: 5 } } }],
    ['purchased a category within a year', { purchased: { category: 'bags', within: 'P1Y' } }],
    ['neverPurchased a category', { neverPurchased: { category: 'shoes' } }],
    ['neverPurchased a sku', { neverPurchased: { sku: 'SKU-9' } }],
    ['an event with within and count', { event: { type: 'visit', within: 'P7D', count: { eq: 3 } } }],
    ['an event with a type only', { event: { type: 'signup' } }],
    [`${12} levels of nesting`, nested(12)],
    [`${MAX_RULE_NODES} nodes`, { or: Array.from({ length: MAX_RULE_NODES - 1 }, () => leaf) }],
  ])('accepts %s', (_why, raw) => {
    // Act
    const result = validateRule(raw, 'rule');

    // Assert
    expect(result.issues).toEqual([]);
    expect(result.rule).toBe(raw);
  });

  it.each<[string, unknown, string]>([
    [
      'an unknown operator',
      {
        and: [
          { field: 'email', op: 'eq', value: 'a@example.com' },
          { field: 'orders', op: 'bogus', value: 1 },
        ],
      },
      'rule.and.1.op',
    ],
    ['an operator that does not apply to the field', { field: 'email', op: 'withinLast', value: 'P1D' }, 'rule.op'],
    ['startsWith on a number', { field: 'orders', op: 'startsWith', value: '1' }, 'rule.op'],
    ['eq on a time', { field: 'createdAt', op: 'eq', value: '2026-01-01T00:00:00Z' }, 'rule.op'],
    ['an unknown field', { or: [{ field: 'shoeSize', op: 'eq', value: 42 }] }, 'rule.or.0.field'],
    ['a bad attribute name', { field: 'attributes.1st', op: 'eq', value: 'x' }, 'rule.field'],
    ['a non-string field', { field: 7, op: 'eq', value: 'x' }, 'rule.field'],
    ['a string value on a number field', { and: [{ field: 'orders', op: 'gt', value: '3' }] }, 'rule.and.0.value'],
    ['a number value on a string field', { field: 'email', op: 'eq', value: 3 }, 'rule.value'],
    ['a non-time value on a time field', { field: 'createdAt', op: 'gt', value: 'yesterday' }, 'rule.value'],
    ['a missing value', { field: 'email', op: 'eq' }, 'rule.value'],
    ['an object value', { field: 'attributes.plan', op: 'eq', value: { a: 1 } }, 'rule.value'],
    ['an unknown lifecycle stage', { field: 'lifecycle', op: 'eq', value: 'churned' }, 'rule.value'],
    ['an unknown lifecycle stage in a list', { field: 'lifecycle', op: 'in', value: ['active', 'churned'] }, 'rule.value.1'],
    ['an unknown tier', { field: 'tier', op: 'neq', value: 'D' }, 'rule.value'],
    ['an unknown consent status', { field: 'consent.sms', op: 'eq', value: 'yes' }, 'rule.value'],
    ['an unknown topic status', { field: 'topics.offers', op: 'eq', value: 'yes' }, 'rule.value'],
    ['a bad topic name', { field: 'topics.bad-name', op: 'eq', value: 'subscribed' }, 'rule.field'],
    ['an unknown channel', { field: 'preferredChannel', op: 'eq', value: 'push' }, 'rule.value'],
    ['an empty in list', { field: 'orders', op: 'in', value: [] }, 'rule.value'],
    ['a scalar in list', { field: 'orders', op: 'nin', value: 3 }, 'rule.value'],
    ['between with three values', { field: 'orders', op: 'between', value: [1, 2, 3] }, 'rule.value'],
    ['between with a string bound', { field: 'revenue', op: 'between', value: [1, 'x'] }, 'rule.value.1'],
    ['exists with a string', { field: 'email', op: 'exists', value: 'yes' }, 'rule.value'],
    ['an empty startsWith', { field: 'email', op: 'startsWith', value: '' }, 'rule.value'],
    ['withinLast without a duration', { field: 'lastPurchaseAt', op: 'withinLast' }, 'rule.value'],
    ['withinLast with a bad duration', { field: 'lastPurchaseAt', op: 'withinLast', value: '30d' }, 'rule.value'],
    ['a bad purchase window', { purchased: { category: 'shoes', within: '30 days' } }, 'rule.purchased.within'],
    ['both category and sku', { purchased: { category: 'shoes', sku: 'S1' } }, 'rule.purchased.category'],
    ['neither category nor sku', { purchased: { within: 'P1D' } }, 'rule.purchased.category'],
    ['an empty category', { purchased: { category: '' } }, 'rule.purchased.category'],
    ['a negative count', { purchased: { sku: 'S1', count: { gte: -1 } } }, 'rule.purchased.count.gte'],
    ['a fractional count', { purchased: { sku: 'S1', count: { eq: 1.5 } } }, 'rule.purchased.count.eq'],
    ['an unknown count bound', { purchased: { sku: 'S1', count: { min: 1 } } }, 'rule.purchased.count.min'],
    ['an empty count', { event: { type: 'visit', count: {} } }, 'rule.event.count'],
    ['a window on neverPurchased', { neverPurchased: { category: 'shoes', within: 'P1D' } }, 'rule.neverPurchased.within'],
    ['an event without a type', { event: { within: 'P1D' } }, 'rule.event.type'],
    ['a bad event window', { event: { type: 'visit', within: 'P' } }, 'rule.event.within'],
    ['an unknown event key', { event: { type: 'visit', since: 'P1D' } }, 'rule.event.since'],
    ['an unknown channel to reach', { reachable: 'push' }, 'rule.reachable'],
    ['an empty list id', { inList: '' }, 'rule.inList'],
    ['a numeric segment id', { inSegment: 5 }, 'rule.inSegment'],
    ['an extra key on a field node', { field: 'email', op: 'exists', extra: 1 }, 'rule.extra'],
    ['an extra key beside and', { and: [leaf], note: 'x' }, 'rule.note'],
    ['both and and or', { and: [leaf], or: [leaf] }, 'rule.or'],
    ['an empty and', { and: [] }, 'rule.and'],
    ['a non-array or', { or: leaf }, 'rule.or'],
    ['a null under not', { not: null }, 'rule.not'],
    ['an unknown node', { nand: [leaf] }, 'rule'],
    ['a string', 'orders > 1', 'rule'],
    ['an array', [leaf], 'rule'],
    ['a deep bad node', { and: [leaf, { or: [leaf, { not: { field: 'tier', op: 'eq', value: 'Z' } }] }] }, 'rule.and.1.or.1.not.value'],
    ['13 levels of nesting', nested(13), `rule${'.not'.repeat(13)}`],
  ])('rejects %s at %s', (_why, raw, field) => {
    // Act
    const result = validateRule(raw, 'rule');

    // Assert
    expect(result.rule).toBeUndefined();
    expect(result.issues[0]?.field).toBe(field);
  });

  it(`rejects more than ${MAX_RULE_NODES} nodes, naming the first node over the limit`, () => {
    // Root + 200 leaves = 201 nodes: the 200th leaf (index 199) is node 201.
    const result = validateRule({ or: Array.from({ length: MAX_RULE_NODES }, () => leaf) }, 'rule');
    expect(result.issues.map((i) => i.field)).toEqual([`rule.or.${MAX_RULE_NODES - 1}`]);
  });

  it('reports every bad child of an and, with the caller path prefix', () => {
    const raw = { and: [{ field: 'orders', op: 'gt', value: 'x' }, leaf, { field: 'nope', op: 'eq', value: 1 }] };
    expect(validateRule(raw, 'body.rule').issues.map((i) => i.field)).toEqual(['body.rule.and.0.value', 'body.rule.and.2.field']);
  });

  it('explains what a bad node should be', () => {
    const [issue] = validateRule({ field: 'orders', op: 'bogus', value: 1 }, 'rule').issues;
    expect(issue?.message).toContain('must be one of eq, neq');
    expect(fieldsOf({ field: 'lifecycle', op: 'eq', value: 'x' })).toEqual(['rule.value']);
    expect(validateRule({ field: 'lifecycle', op: 'eq', value: 'x' }, 'rule').issues[0]?.message).toBe(
      'must be one of prospect, new, active, loyal, at_risk, lapsed, won_back',
    );
  });
});

describe('fieldKind', () => {
  it.each([
    ['email', 'string'],
    ['orders', 'number'],
    ['lastPurchaseAt', 'time'],
    ['rfm.m', 'number'],
    ['attributes.plan', 'any'],
    ['attributes.', undefined],
    ['attributes.a.b', undefined],
    ['password', undefined],
    ['value.orders', undefined],
  ])('%s is %s', (field, kind) => {
    expect(fieldKind(field)).toBe(kind);
  });
});

describe('durationSeconds', () => {
  it.each<[string, number]>([
    ['P30D', 30 * 86_400], // 2 592 000
    ['PT12H', 12 * 3_600], // 43 200
    ['P1Y2M', (365 + 2 * 30) * 86_400], // 425 days = 36 720 000
    ['P2W', 14 * 86_400], // 1 209 600
    ['P1DT1H1M1S', 86_400 + 3_600 + 60 + 1], // 90 061
    ['PT90M', 90 * 60],
    ['PT0S', 0],
    ['P0D', 0],
  ])('%s is %d seconds', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it.each(['', 'P', 'PT', 'P1DT', '30D', 'P30', 'P1.5D', 'P-1D', 'p30d', 'P30D ', 'PT1D', 'P1H', 'P1M2Y', 'P1D1D'])(
    '%j is malformed',
    (text) => {
      expect(durationSeconds(text)).toBeUndefined();
    },
  );
});

describe('referencesOf', () => {
  const rule: Rule = {
    and: [
      { inSegment: 'sg_1' },
      { or: [{ inList: 'ls_1' }, { not: { inSegment: 'sg_2' } }, { field: 'orders', op: 'gt', value: 0 }] },
      { not: { and: [{ inList: 'ls_2' }] } },
    ],
  };

  it('lists segment references with their paths', () => {
    expect(referencesOf(rule, 'inSegment')).toEqual([
      { id: 'sg_1', path: 'rule.and.0.inSegment' },
      { id: 'sg_2', path: 'rule.and.1.or.1.not.inSegment' },
    ]);
  });

  it('lists list references under a given base path', () => {
    expect(referencesOf(rule, 'inList', 'body.rule')).toEqual([
      { id: 'ls_1', path: 'body.rule.and.1.or.0.inList' },
      { id: 'ls_2', path: 'body.rule.and.2.not.and.0.inList' },
    ]);
  });

  it('finds nothing in a rule without references', () => {
    expect(referencesOf({ reachable: 'email' }, 'inSegment')).toEqual([]);
    expect(referencesOf({ inSegment: 'sg_1' }, 'inList')).toEqual([]);
  });
});

describe('SegmentRule (zod)', () => {
  it('passes a valid rule through unchanged', () => {
    const rule = { or: [{ inList: 'ls_1' }, { event: { type: 'visit', within: 'P7D' } }] };
    expect(SegmentRule.safeParse(rule)).toEqual({ success: true, data: rule });
  });

  it('reports each issue with the path of its node', () => {
    // Arrange
    const rule = { and: [leaf, { field: 'orders', op: 'bogus', value: 1 }, { purchased: { sku: 'S', within: 'soon' } }] };

    // Act
    const result = SegmentRule.safeParse(rule);

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([
      ['and', '1', 'op'],
      ['and', '2', 'purchased', 'within'],
    ]);
  });

  it('reports a bad root with an empty path, and nests paths under the body field', () => {
    expect(SegmentRule.safeParse('x').error?.issues[0]?.path).toEqual([]);
    const body = CreateSegment.safeParse({ name: 'Big spenders', rule: { or: [{ field: 'nope', op: 'eq', value: 1 }] } });
    expect(body.error?.issues.map((i) => i.path)).toEqual([['rule', 'or', '0', 'field']]);
  });
});

describe('windowed counts', () => {
  it.each([
    [{ purchased: { sku: 'S1', within: 'P1D', count: { gte: 5 } } }, 'rule.purchased.count.gte'],
    [{ purchased: { sku: 'S1', within: 'P1D', count: { eq: 4 } } }, 'rule.purchased.count.eq'],
    [{ purchased: { category: 'shoes', within: 'P30D', count: { gte: 9 } } }, 'rule.purchased.count.gte'],
    [{ event: { type: 'visit', within: 'P1D', count: { gte: 17 } } }, 'rule.event.count.gte'],
  ])('refuses %j: more than the recent times kept could tell', (rule, field) => {
    expect(fieldsOf(rule)).toEqual([field]);
  });

  it.each([
    { purchased: { sku: 'S1', within: 'P1D', count: { gte: 4 } } },
    { purchased: { sku: 'S1', count: { gte: 50 } } },
    { event: { type: 'visit', within: 'P1D', count: { gte: 16 } } },
  ])('accepts %j', (rule) => {
    expect(fieldsOf(rule)).toEqual([]);
  });
});
