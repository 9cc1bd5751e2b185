/** The pure trigger rules: what starts a trigger, what is refused as a trigger that could never fire, ids and shards. */
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../shared/domain/event.ts';
import { DUE_SHARDS, dueAfter, dueShardOf, firingIdOf, startsOn, TriggerSpec } from '../../../shared/domain/trigger.ts';

const purchase: StoredEvent = {
  eventId: 'o1',
  type: 'purchase',
  at: '2026-03-02T12:00:00.000Z',
  receivedAt: '2026-03-02T12:00:00.000Z',
  orderId: 'o1',
  total: 120,
  currency: 'EUR',
  items: [
    { sku: 'a', category: 'Shoes', price: 100, quantity: 1 },
    { sku: 'b', category: 'socks', price: 20, quantity: 1 },
  ],
};
const spec = (on: unknown, more: Record<string, unknown> = {}) => TriggerSpec.parse({ on, ...more });
const issues = (raw: unknown) => {
  const r = TriggerSpec.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('startsOn', () => {
  it('matches the event type and every filter; an item filter holds when any item matches, case and spaces aside', () => {
    expect(startsOn(spec({ event: 'purchase' }), purchase, false)).toBe(true);
    expect(startsOn(spec({ event: 'refund' }), purchase, false)).toBe(false);
    expect(startsOn(spec({ event: 'purchase', where: [{ field: 'items.category', op: 'eq', value: ' shoes' }] }), purchase, false)).toBe(
      true,
    );
    expect(startsOn(spec({ event: 'purchase', where: [{ field: 'total', op: 'gte', value: 120 }] }), purchase, false)).toBe(true);
    expect(startsOn(spec({ event: 'purchase', where: [{ field: 'total', op: 'gt', value: 120 }] }), purchase, false)).toBe(false);
    expect(startsOn(spec({ event: 'purchase', where: [{ field: 'currency', op: 'in', value: ['USD', 'EUR'] }] }), purchase, false)).toBe(
      true,
    );
    // neq on items: no item has the value.
    expect(startsOn(spec({ event: 'purchase', where: [{ field: 'items.category', op: 'neq', value: 'socks' }] }), purchase, false)).toBe(
      false,
    );
    expect(startsOn(spec({ event: 'purchase', first: true }), purchase, false)).toBe(false);
    expect(startsOn(spec({ event: 'purchase', first: true }), purchase, true)).toBe(true);
    expect(startsOn(spec({ stage: 'lapsed' }), purchase, true)).toBe(false);
    expect(startsOn(spec({ event: 'purchase' }, { activeUntil: '2026-03-01T00:00:00Z' }), purchase, false)).toBe(false);
  });

  it('is due after the delay', () => {
    expect(dueAfter(spec({ event: 'purchase' }, { delay: 'P3DT2H' }), new Date(purchase.at)).toISOString()).toBe(
      '2026-03-05T14:00:00.000Z',
    );
  });
});

describe('TriggerSpec refuses a trigger that could never fire, naming the field', () => {
  it.each([
    [
      { on: { event: 'purchase', where: [{ field: 'total', op: 'gt', value: 'abc' }] } },
      'on.where.0.value: op gt compares numbers: give a number',
    ],
    [
      { on: { event: 'purchase', where: [{ field: 'currency', op: 'in', value: 'EUR' }] } },
      'on.where.0.value: op in takes an array of values',
    ],
    [
      { on: { event: 'purchase', where: [{ field: 'currency', op: 'eq', value: ['EUR'] }] } },
      'on.where.0.value: op eq takes one value (use in for a list)',
    ],
    [{ on: { event: 'purchase', where: [{ field: 'total', op: 'like', value: 1 }] } }, 'on.where.0.op'],
    [{ on: { event: 'purchase', where: [{ field: 'color', op: 'eq', value: 1 }] } }, 'on.where.0.field'],
    [{ on: { event: 'purchase', where: [{ field: 'total', op: 'gt', value: 1e20 }] } }, 'on.where.0.value'],
    [{ on: { event: 'purchase', where: [{ field: 'total', op: 'in', value: [] }] } }, 'on.where.0.value'],
    [
      { on: { event: 'purchase', where: [{ field: 'items.quantity', op: 'eq', value: 'two' }] } },
      'on.where.0.value: items.quantity is a number',
    ],
    [{ on: { event: 'purchase', where: [{ field: 'orderId', op: 'eq', value: 1001 }] } }, 'on.where.0.value: orderId is a string'],
    [{ on: { stage: 'lapsed' }, recommendations: 3 }, 'recommendations: recommendations go with a purchase event'],
    [{ on: {} }, 'on.event: name one of event, stage or segment'],
    [{ on: { event: 'purchase', stage: 'lapsed' } }, 'on.event: name one of event, stage or segment'],
    [{ on: { segment: 'sg_a', stage: 'lapsed' } }, 'on.event: name one of event, stage or segment'],
    [{ on: { stage: 'lapsed', first: true } }, 'on.stage: where and first go with an event'],
    [{ on: { segment: 'sg_a', first: true } }, 'on.segment: where and first go with an event'],
    [{ on: { event: 'purchase' }, delay: '3 days' }, 'delay: delay must be an ISO-8601 duration'],
    [
      { on: { event: 'purchase' }, activeFrom: '2027-01-01T00:00:00Z', activeUntil: '2026-01-01T00:00:00Z' },
      'activeFrom: must not be after activeUntil',
    ],
  ])('%j', (raw, expected) => {
    expect(issues(raw).some((i) => i.startsWith(expected))).toBe(true);
  });
});

describe('ids', () => {
  it('a firing id is deterministic in trigger, contact and starting event, and differs when any differs', () => {
    const id = firingIdOf('cp_a', 'ct_b', 'o1');
    expect(id).toMatch(/^[0-9a-z]{12}$/);
    expect(firingIdOf('cp_a', 'ct_b', 'o1')).toBe(id);
    expect(new Set([id, firingIdOf('cp_x', 'ct_b', 'o1'), firingIdOf('cp_a', 'ct_x', 'o1'), firingIdOf('cp_a', 'ct_b', 'o2')]).size).toBe(
      4,
    );
  });

  it('due entries spread over every shard', () => {
    const shards = new Set(Array.from({ length: 200 }, (_, i) => dueShardOf(`firing/ct_${i}/cp_a/${i}`)));
    expect([...shards].sort()).toEqual(Array.from({ length: DUE_SHARDS }, (_, i) => i));
  });
});
