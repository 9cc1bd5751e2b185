/**
 * The rule builder's model against the API's own validator: the operators and closed values it
 * offers are the ones the API accepts, a node shows visually only where its editor fits it
 * exactly, and the defaults it writes are valid.
 */
import { OPS, SEGMENT_FIELDS, validateRule } from '@shared/domain/segment.ts';
import { describe, expect, it } from 'vitest';
import {
  defaultValue,
  describeRule,
  durationOf,
  enumFor,
  kindOf,
  NEW_NODES,
  opsFor,
  parseDuration,
  withField,
  withOp,
} from '../src/pages/segments/rule-model.ts';

const FIELDS = SEGMENT_FIELDS.map((f) => f.replace('<name>', 'plan'));
const ok = (rule: unknown) => validateRule(rule, 'rule').issues;

describe('rule model', () => {
  it.each(FIELDS)('offers for %s exactly the operators the API accepts', (field) => {
    // Arrange: what the validator says of each operator with a value it types itself
    const accepted = OPS.filter((op) => !ok({ field, op }).some((i) => i.field.endsWith('.op')));
    // Act / Assert
    expect(opsFor(field)).toEqual(accepted);
    expect(accepted.length).toBeGreaterThan(0);
  });

  it.each(FIELDS)('knows whether %s takes closed values, as the API does', (field) => {
    const options = enumFor(field);
    const junk = ok({ field, op: 'eq', value: 'zz-not-an-option' }).some((i) => i.message.startsWith('must be one of'));
    expect(options !== undefined).toBe(junk);
    for (const o of options ?? []) expect(ok({ field, op: 'eq', value: o })).toEqual([]);
  });

  it.each(FIELDS.flatMap((field) => opsFor(field).map((op) => [field, op] as const)))(
    'writes a valid, visual default for %s %s',
    (field, op) => {
      const node = withOp({ field, op: 'exists' }, op);
      if (!['in', 'nin', 'startsWith', 'contains'].includes(op)) expect(ok(node)).toEqual([]);
      expect(kindOf(node)).toBe('field');
    },
  );

  it('keeps a value when the field changes to one of the same kind, and resets it otherwise', () => {
    expect(withField({ field: 'orders', op: 'gte', value: 3 }, 'revenue')).toEqual({ field: 'revenue', op: 'gte', value: 3 });
    expect(withField({ field: 'orders', op: 'gte', value: 3 }, 'tier')).toEqual({ field: 'tier', op: 'in', value: [] });
    expect(withField({ field: 'email', op: 'contains', value: 'x' }, 'lastPurchaseAt')).toEqual({
      field: 'lastPurchaseAt',
      op: 'withinLast',
      value: 'P30D',
    });
    expect(defaultValue('tier', 'in', 'B')).toEqual(['B']);
    expect(defaultValue('revenue', 'between', 10)).toEqual([10, 10]);
  });

  it.each([
    [{ and: [{ reachable: 'email' }] }, 'and'],
    [{ or: [] }, 'or'],
    [{ not: { reachable: 'sms' } }, 'not'],
    [{ field: 'tier', op: 'in', value: ['A', 'B'] }, 'field'],
    [{ field: 'orders', op: 'exists' }, 'field'],
    [{ field: 'attributes.vip', op: 'eq', value: true }, 'field'],
    [{ field: 'attributes.score', op: 'in', value: [1, 2] }, 'field'],
    [{ field: 'createdAt', op: 'between', value: ['2026-01-01', '2026-02-01T00:00:00Z'] }, 'field'],
    [{ field: 'lastPurchaseAt', op: 'withinLast', value: 'P1Y2M' }, 'field'],
    [{ purchased: { sku: 'RUN-42', count: { gte: 2, lt: 5 } } }, 'purchased'],
    [{ neverPurchased: { category: 'shoes' } }, 'neverPurchased'],
    [{ event: { type: 'visit', within: 'P14D', count: { gte: 3 } } }, 'event'],
    [{ inList: 'ls_1' }, 'inList'],
    [{ inSegment: 'sg_1' }, 'inSegment'],
    // Valid for the API, but no single editor shows them exactly: JSON, never dropped.
    [{ field: 'attributes.tag', op: 'in', value: ['a', 1] }, 'json'],
    [{ field: 'attributes.x', op: 'between', value: [1, 'b'] }, 'json'],
    [{ field: 'email', op: 'in', value: ['a\nb'] }, 'json'],
    [{ field: 'email', op: 'nin', value: [''] }, 'json'],
    // Not rules at all.
    [{ field: 'orders', op: 'eq', value: '3' }, 'json'],
    [{ reachable: 'fax' }, 'json'],
    [{ purchased: { category: 'a', sku: 'b' } }, 'json'],
    [{ and: [], or: [] }, 'json'],
    [{ weird: 1 }, 'json'],
    [42, 'json'],
  ])('classifies %j as %s', (node, kind) => {
    expect(kindOf(node)).toBe(kind);
  });

  it('every node the Add menu creates is visual', () => {
    for (const make of Object.values(NEW_NODES)) expect(kindOf(make())).not.toBe('json');
  });

  it('reads simple durations as an amount and a unit, and leaves the rest as text', () => {
    expect(parseDuration('P30D')).toEqual({ amount: 30, unit: 'days' });
    expect(parseDuration('PT12H')).toEqual({ amount: 12, unit: 'hours' });
    expect(parseDuration('P1Y2M')).toBeUndefined();
    expect(durationOf(3, 'months')).toBe('P3M');
    expect(durationOf(15, 'minutes')).toBe('PT15M');
  });

  it('says a rule in words', () => {
    expect(
      describeRule({
        and: [
          { purchased: { category: 'shoes', within: 'P90D' } },
          { field: 'lifecycle', op: 'in', value: ['active', 'loyal'] },
          { not: { reachable: 'sms' } },
        ],
      }),
    ).toBe('bought shoes within P90D and Lifecycle stage is one of active, loyal and not reachable by SMS');
  });
});
