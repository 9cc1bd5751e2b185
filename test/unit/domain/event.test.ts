import { describe, expect, it } from 'vitest';
import { StoredEvent, parseEvent, toStoredEvent, type IncomingEvent } from '../../../shared/domain/event.ts';

/** The fixed clock every test reads: no test depends on the real time. */
const NOW = new Date('2026-11-24T10:00:00.000Z');
const RECEIVED = '2026-11-24T10:00:05.000Z';
const PATH = 'body.events.3';

const purchase = (over: Record<string, unknown> = {}) => ({
  eventId: 'evt-1',
  type: 'purchase',
  email: 'ada@example.com',
  at: '2026-11-20T09:30:00.000Z',
  orderId: 'order-1',
  total: 59.9,
  currency: 'EUR',
  items: [{ sku: 'SKU-1', name: 'Runner', category: 'shoes', price: 59.9, quantity: 1 }],
  ...over,
});
const refund = (over: Record<string, unknown> = {}) => ({
  eventId: 'evt-2',
  type: 'refund',
  contactId: 'ct_1',
  orderId: 'order-1',
  ...over,
});
const custom = (over: Record<string, unknown> = {}) => ({
  eventId: 'evt-3',
  type: 'visit',
  phone: '+447700900123',
  properties: { page: '/shoes', seconds: 12, returning: true },
  ...over,
});

function fieldsOf(raw: unknown, now = NOW): string[] {
  const result = parseEvent(raw, PATH, now);
  return result.ok ? [] : result.issues.map((i) => i.field);
}

describe('parseEvent', () => {
  it('accepts a purchase, normalising the email and keeping the order fields', () => {
    // Arrange
    const raw = purchase({ email: '  Ada@Example.COM ' });

    // Act
    const result = parseEvent(raw, PATH, NOW);

    // Assert
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({ type: 'purchase', email: 'ada@example.com', orderId: 'order-1', total: 59.9, currency: 'EUR' });
    expect((result.event as { items: unknown[] }).items).toHaveLength(1);
  });

  it('defaults the items of a purchase to an empty list', () => {
    const { items: _i, ...raw } = purchase();
    const result = parseEvent(raw, PATH, NOW);
    expect(result.ok && (result.event as { items: unknown[] }).items).toEqual([]);
  });

  it('accepts a refund named by contact id', () => {
    const result = parseEvent(refund(), PATH, NOW);
    expect(result).toEqual({ ok: true, event: { eventId: 'evt-2', type: 'refund', contactId: 'ct_1', orderId: 'order-1' } });
  });

  it('accepts a custom event with properties, named by phone (normalised to E.164)', () => {
    const result = parseEvent(custom({ phone: '+44 7700 900123' }), PATH, NOW);
    expect(result).toEqual({
      ok: true,
      event: { eventId: 'evt-3', type: 'visit', phone: '+447700900123', properties: { page: '/shoes', seconds: 12, returning: true } },
    });
  });

  it('accepts an event time exactly one day ahead of the clock (allowed skew), with an offset', () => {
    // 2026-11-25T12:00:00+02:00 is 2026-11-25T10:00:00Z: NOW + 24 h exactly.
    expect(fieldsOf(custom({ at: '2026-11-25T12:00:00+02:00' }))).toEqual([]);
  });

  it.each([
    ['a negative total', purchase({ total: -1 }), 'body.events.3.total'],
    ['a lower-case currency', purchase({ currency: 'eur' }), 'body.events.3.currency'],
    ['a four-letter currency', purchase({ currency: 'EURO' }), 'body.events.3.currency'],
    ['a purchase without orderId', purchase({ orderId: undefined }), 'body.events.3.orderId'],
    ['a refund without orderId', refund({ orderId: undefined }), 'body.events.3.orderId'],
    ['an item with a zero quantity', purchase({ items: [{ sku: 'S', price: 1, quantity: 0 }] }), 'body.events.3.items.0.quantity'],
    [
      'an item with a negative price',
      purchase({
        items: [
          { sku: 'S', price: 1, quantity: 1 },
          { sku: 'T', price: -2, quantity: 1 },
        ],
      }),
      'body.events.3.items.1.price',
    ],
    ['an upper-case type', custom({ type: 'Visit' }), 'body.events.3.type'],
    ['a type starting with a digit', custom({ type: '1visit' }), 'body.events.3.type'],
    ['a numeric type', custom({ type: 7 }), 'body.events.3.type'],
    ['a type over 64 characters', custom({ type: `a${'b'.repeat(64)}` }), 'body.events.3.type'],
    ['a missing eventId', custom({ eventId: undefined }), 'body.events.3.eventId'],
    ['a time without a zone', custom({ at: '2026-11-20T09:30:00' }), 'body.events.3.at'],
    ['a bad property name', custom({ properties: { 'bad-name': 1 } }), 'body.events.3.properties.bad-name'],
    ['a bad email', custom({ phone: undefined, email: 'not-an-email' }), 'body.events.3.email'],
  ])('rejects %s, naming %s', (_why, raw, field) => {
    // Act
    const fields = fieldsOf(raw);

    // Assert
    expect(fields).toContain(field);
  });

  it('rejects an event that names no contact, reporting it on .email', () => {
    // Arrange
    const raw = custom({ phone: undefined });

    // Act
    const result = parseEvent(raw, PATH, NOW);

    // Assert
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      { field: 'body.events.3.email', message: expect.stringContaining('contactId, email, phone or externalId') },
    ]);
  });

  it.each([
    ['contactId', 'ct_9'],
    ['email', 'b@example.com'],
    ['phone', '+15550109999'],
    ['externalId', 'shop-42'],
  ])('accepts %s alone as the contact identifier', (key, value) => {
    expect(fieldsOf({ eventId: 'e', type: 'signup', [key]: value })).toEqual([]);
  });

  it('rejects an event time more than a day in the future, and only that', () => {
    // Arrange: NOW + 24 h + 1 s.
    const raw = purchase({ at: '2026-11-25T10:00:01.000Z' });

    // Act
    const fields = fieldsOf(raw);

    // Assert
    expect(fields).toEqual(['body.events.3.at']);
    // The same event is fine once the clock has moved on by a second.
    expect(fieldsOf(raw, new Date(NOW.getTime() + 1000))).toEqual([]);
  });

  it('reports both a missing identifier and a future time together', () => {
    expect(fieldsOf(custom({ phone: undefined, at: '2026-12-01T00:00:00Z' }))).toEqual(['body.events.3.email', 'body.events.3.at']);
  });

  it.each([null, 'purchase', 42, []])('rejects a non-object event %j', (raw) => {
    expect(parseEvent(raw, PATH, NOW).ok).toBe(false);
  });
});

describe('toStoredEvent', () => {
  const parsed = (raw: unknown): IncomingEvent => {
    const result = parseEvent(raw, PATH, NOW);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.event;
  };

  it('defaults the event time to the time of receipt', () => {
    // Arrange
    const event = parsed(custom({ at: undefined }));

    // Act
    const stored = toStoredEvent(event, RECEIVED);

    // Assert
    expect(stored.at).toBe(RECEIVED);
    expect(stored.receivedAt).toBe(RECEIVED);
  });

  it('keeps a given time, normalised to UTC', () => {
    const stored = toStoredEvent(parsed(purchase({ at: '2026-11-20T11:30:00+02:00' })), RECEIVED);
    expect(stored.at).toBe('2026-11-20T09:30:00.000Z');
  });

  it.each([
    ['purchase', purchase({ contactId: 'ct_1', externalId: 'x-1', phone: '+447700900123' })],
    ['refund', refund({ email: 'a@example.com' })],
    ['custom', custom({ externalId: 'x-2' })],
  ])('drops every identifier from a %s and keeps the rest', (_type, raw) => {
    // Act
    const stored = toStoredEvent(parsed(raw), RECEIVED);

    // Assert
    for (const key of ['contactId', 'email', 'phone', 'externalId']) expect(stored).not.toHaveProperty(key);
    expect(StoredEvent.safeParse(stored).success).toBe(true);
    expect(stored.eventId).toBe((raw as { eventId: string }).eventId);
  });

  it('stores a purchase with exactly its order fields', () => {
    const stored = toStoredEvent(parsed(purchase()), RECEIVED);
    expect(stored).toEqual({
      eventId: 'evt-1',
      type: 'purchase',
      at: '2026-11-20T09:30:00.000Z',
      receivedAt: RECEIVED,
      orderId: 'order-1',
      total: 59.9,
      currency: 'EUR',
      items: [{ sku: 'SKU-1', name: 'Runner', category: 'shoes', price: 59.9, quantity: 1 }],
    });
  });
});

describe('numbers DynamoDB can store', () => {
  it.each([
    ['a total above the maximum', purchase({ total: 1e16 }), `${PATH}.total`],
    ['a property beyond ±2^53', custom({ properties: { big: 1e300 } }), `${PATH}.properties.big`],
    ['a vanishingly small property', custom({ properties: { tiny: 1e-300 } }), `${PATH}.properties.tiny`],
  ])('rejects %s (the document client would refuse it: a 500 before)', (_label, raw, field) => {
    const result = parseEvent(raw, PATH, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.field)).toContain(field);
  });
});

describe('reserved names', () => {
  it.each([
    ['an event type', custom({ type: 'constructor' }), `${PATH}.type`],
    ['a property name', custom({ properties: { constructor: 2 } }), `${PATH}.properties.constructor`],
    ['a sku', purchase({ items: [{ sku: 'constructor', price: 1, quantity: 1 }] }), `${PATH}.items.0.sku`],
    ['a category', purchase({ items: [{ sku: 'S1', category: 'prototype', price: 1, quantity: 1 }] }), `${PATH}.items.0.category`],
  ])('refuses %s that JavaScript objects reserve (the document client cannot store it: a 500 before)', (_label, raw, field) => {
    const result = parseEvent(raw, PATH, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.field)).toContain(field);
  });
});
