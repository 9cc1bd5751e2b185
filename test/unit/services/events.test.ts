/** Event ingestion use cases over in-memory ports: resolution, prospects, idempotent replay, refunds, the bus. */
import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/domain/errors.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';
import { ingestBusEvent, ingestEvents } from '../../../shared/services/events.ts';
import { fakeClock, fakeDeps, type FakeDeps } from '../../helpers/fakes.ts';

const caller = { tenantId: 't-events' };
const clock = () => fakeClock('2025-06-01T12:00:00.000Z');
const purchase = (eventId: string, who: object, orderId: string, total: number, at = '2025-05-20T10:00:00.000Z') => ({
  eventId,
  type: 'purchase',
  ...who,
  orderId,
  total,
  currency: 'EUR',
  at,
  items: [{ sku: `sku-${orderId}`, category: 'shoes', price: total, quantity: 1 }],
});
const aggregatesOf = async (deps: FakeDeps, contactId: string) =>
  (await deps.contacts.getWithAggregates(caller.tenantId, contactId))?.aggregates;
/** Lets work that a failed Promise.all left running finish, as a crashed Lambda's would not, but a fake's does. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ingestEvents', () => {
  it('rejects an event whose contactId names no contact, at body.events.N.contactId, and keeps the good ones', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    const { contact } = await upsertContact(deps, caller, { email: 'known@example.com' });
    // Act
    const result = await ingestEvents(deps, caller, [
      { eventId: 'e-ok', type: 'visit', contactId: contact.contactId },
      { eventId: 'e-bad', type: 'visit', contactId: 'ct_nobody' },
    ]);
    // Assert
    expect(result).toMatchObject({ accepted: 1, duplicates: 0, rejected: 1 });
    expect(result.results[1]).toMatchObject({
      index: 1,
      eventId: 'e-bad',
      status: 'rejected',
      errors: [{ field: 'body.events.1.contactId' }],
    });
    expect(await deps.events.forContact(caller.tenantId, 'ct_nobody')).toEqual([]);
    expect(await deps.contacts.get(caller.tenantId, 'ct_nobody')).toBeUndefined();
    expect((await deps.events.forContact(caller.tenantId, contact.contactId)).map((e) => e.eventId)).toEqual(['e-ok']);
  });

  it('rejects an event whose identifiers belong to two different contacts, and stores nothing for either', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    const a = (await upsertContact(deps, caller, { email: 'a@example.com' })).contact;
    const b = (await upsertContact(deps, caller, { phone: '+447700900123' })).contact;
    // Act
    const result = await ingestEvents(deps, caller, [{ eventId: 'e1', type: 'visit', email: 'a@example.com', phone: '+447700900123' }]);
    // Assert
    expect(result).toMatchObject({ accepted: 0, rejected: 1 });
    expect(result.results[0]?.errors?.[0]?.field).toBe('body.events.0.email');
    expect(await deps.events.forContact(caller.tenantId, a.contactId)).toEqual([]);
    expect(await deps.events.forContact(caller.tenantId, b.contactId)).toEqual([]);
  });

  it('creates exactly one prospect for an unknown email named by several events of a batch', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    const events = [
      { eventId: 'v1', type: 'visit', email: 'new@example.com' },
      purchase('p1', { email: 'NEW@example.com ' }, 'o1', 30),
      { eventId: 'v2', type: 'visit', email: 'new@example.com' },
    ];
    // Act
    const result = await ingestEvents(deps, caller, events);
    // Assert
    expect(result).toMatchObject({ accepted: 3, rejected: 0 });
    const ids = new Set(result.results.map((r) => r.contactId));
    expect(ids.size).toBe(1);
    expect(result.results.map((r) => r.createdContact ?? false)).toEqual([true, false, false]);
    expect(deps.world.contacts.of(caller.tenantId).size).toBe(1);
    const contactId = [...ids][0] as string;
    const contact = await deps.contacts.get(caller.tenantId, contactId);
    expect(contact).toMatchObject({ email: 'new@example.com', consent: { email: { status: 'unknown' }, sms: { status: 'unknown' } } });
    expect(await aggregatesOf(deps, contactId)).toMatchObject({ eventCount: 3, orders: 1, revenue: 30 });
    expect(await deps.settings.tenants()).toEqual([caller.tenantId]);
  });

  it('lands a second batch about the same unknown email on the prospect the first created', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    const first = await ingestEvents(deps, caller, [{ eventId: 'v1', type: 'visit', email: 'p@example.com' }]);
    // Act
    const second = await ingestEvents(deps, caller, [{ eventId: 'v2', type: 'visit', email: 'p@example.com' }]);
    // Assert
    expect(second.results[0]).toMatchObject({ status: 'accepted', contactId: first.results[0]?.contactId });
    expect(second.results[0]?.createdContact).toBeUndefined();
    expect(deps.world.contacts.of(caller.tenantId).size).toBe(1);
  });

  // Two events about one new person, {email} and {externalId, email}, once were upserted apart and
  // concurrently: the second could leave an externalId claim pointing at a contact never saved.
  it('does not file later events under a contact that was never saved (orphan identity claim)', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    await ingestEvents(deps, caller, [
      { eventId: 'a', type: 'visit', email: 'n@example.com' },
      { eventId: 'b', type: 'visit', email: 'n@example.com', externalId: 'X1' },
    ]);
    // Act
    const later = await ingestEvents(deps, caller, [{ eventId: 'c', type: 'visit', externalId: 'X1' }]);
    // Assert
    const outcome = later.results[0];
    expect(outcome?.status).toBe('accepted');
    expect(await deps.contacts.get(caller.tenantId, outcome?.contactId as string)).toBeDefined();
  });

  describe('replayed after a failure part-way', () => {
    const batch = [
      purchase('a1', { email: 'ann@example.com' }, 'oa1', 100, '2025-05-01T10:00:00.000Z'),
      purchase('b1', { email: 'bob@example.com' }, 'ob1', 30, '2025-05-02T10:00:00.000Z'),
      purchase('a2', { email: 'ann@example.com' }, 'oa2', 50.5, '2025-05-03T10:00:00.000Z'),
      { eventId: 'b2', type: 'visit', email: 'bob@example.com', at: '2025-05-04T10:00:00.000Z' },
      { eventId: 'a3', type: 'refund', email: 'ann@example.com', orderId: 'oa1', at: '2025-05-05T10:00:00.000Z' },
      purchase('b3', { email: 'bob@example.com' }, 'ob2', 12.25, '2025-05-06T10:00:00.000Z'),
    ];

    async function cleanRun() {
      const deps = fakeDeps(clock().now);
      const result = await ingestEvents(deps, caller, batch);
      return { deps, result };
    }

    it('ends with the aggregates of a clean run when an event write fails, and reports the stored events as duplicates', async () => {
      // Arrange
      const clean = await cleanRun();
      const deps = fakeDeps(clock().now);
      deps.failOnce('events.put', 2);
      await expect(ingestEvents(deps, caller, batch)).rejects.toThrow(/injected failure in events.put/);
      await settle();
      const stored = new Set([...deps.world.events.of(caller.tenantId).values()].flatMap((events) => [...events.keys()]));
      expect(stored.size).toBeGreaterThanOrEqual(2);
      expect(stored.size).toBeLessThan(batch.length);
      // Act
      const replay = await ingestEvents(deps, caller, batch);
      // Assert
      expect(replay.rejected).toBe(0);
      for (const outcome of replay.results)
        expect(outcome.status, outcome.eventId).toBe(stored.has(outcome.eventId as string) ? 'duplicate' : 'accepted');
      expect(replay.duplicates).toBe(stored.size);
      for (const outcome of clean.result.results) {
        const contactId = outcome.contactId as string;
        expect(await aggregatesOf(deps, contactId)).toEqual(await aggregatesOf(clean.deps, contactId));
      }
      const annId = clean.result.results[0]?.contactId as string;
      const bobId = clean.result.results[1]?.contactId as string;
      expect(await aggregatesOf(deps, annId)).toMatchObject({ orders: 1, revenue: 50.5, refunds: 1, eventCount: 3 });
      expect(await aggregatesOf(deps, bobId)).toMatchObject({ orders: 2, revenue: 42.25, refunds: 0, eventCount: 3 });
    });

    it('applies the missing effect when the aggregates write fails after the events were stored', async () => {
      // Arrange
      const clean = await cleanRun();
      const deps = fakeDeps(clock().now);
      deps.failOnce('contacts.saveAggregates');
      await expect(ingestEvents(deps, caller, batch)).rejects.toThrow(/injected/);
      await settle();
      // Act
      const replay = await ingestEvents(deps, caller, batch);
      // Assert
      expect(replay).toMatchObject({ accepted: 0, duplicates: batch.length, rejected: 0 });
      for (const outcome of clean.result.results) {
        expect(await aggregatesOf(deps, outcome.contactId as string)).toEqual(await aggregatesOf(clean.deps, outcome.contactId as string));
      }
    });

    it('counts nothing twice when the whole batch is sent again', async () => {
      // Arrange
      const { deps, result } = await cleanRun();
      const before = await aggregatesOf(deps, result.results[0]?.contactId as string);
      // Act
      const again = await ingestEvents(deps, caller, batch);
      // Assert
      expect(again).toMatchObject({ accepted: 0, duplicates: batch.length, rejected: 0 });
      expect(await aggregatesOf(deps, result.results[0]?.contactId as string)).toEqual(before);
    });
  });

  it('reverses a purchase when a later batch refunds its order', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    const { contact } = await upsertContact(deps, caller, { email: 'r@example.com' });
    const who = { contactId: contact.contactId };
    await ingestEvents(deps, caller, [
      purchase('p1', who, 'o1', 100, '2025-05-01T10:00:00.000Z'),
      purchase('p2', who, 'o2', 40, '2025-05-10T10:00:00.000Z'),
    ]);
    expect(await aggregatesOf(deps, contact.contactId)).toMatchObject({ orders: 2, revenue: 140, refunds: 0 });
    // Act
    const result = await ingestEvents(deps, caller, [
      { eventId: 'r1', type: 'refund', ...who, orderId: 'o1', at: '2025-05-11T10:00:00.000Z' },
    ]);
    // Assert
    expect(result.accepted).toBe(1);
    const after = await aggregatesOf(deps, contact.contactId);
    expect(after).toMatchObject({
      orders: 1,
      revenue: 40,
      averageOrderValue: 40,
      refunds: 1,
      eventCount: 3,
      firstPurchaseAt: Date.parse('2025-05-10T10:00:00Z') / 1000,
    });
  });
});

describe('ingestBusEvent', () => {
  it('throws ValidationFailed for a rejected event, naming fields under detail.', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    // Act
    const bad = ingestBusEvent(
      deps,
      { tenantId: 'shop', eventId: 'x1', email: 'c@example.com', orderId: 'o1', total: -5, currency: 'EUR' },
      'purchase',
      'default',
    );
    // Assert
    const error = await bad.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.field)).toEqual(['detail.total']);
    expect(deps.world.contacts.of('shop').size).toBe(0);
  });

  it('names an unknown contactId at detail.contactId', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    // Act
    const error = await ingestBusEvent(deps, { eventId: 'x1', type: 'visit', contactId: 'ct_none' }, undefined, 'default').catch(
      (e: unknown) => e,
    );
    // Assert
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([{ field: 'detail.contactId', message: 'names no contact' }]);
  });

  it('refuses an invalid tenantId at detail.tenantId and stores nothing', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    // Act
    const error = await ingestBusEvent(
      deps,
      { tenantId: 'Not A Tenant!', eventId: 'x1', type: 'visit', email: 'c@example.com' },
      undefined,
      'default',
    ).catch((e: unknown) => e);
    // Assert
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.field)).toEqual(['detail.tenantId']);
    expect(await deps.settings.tenants()).toEqual([]);
  });

  it('files an event without tenantId under the default workspace, and treats a repeat as a success', async () => {
    // Arrange
    const deps = fakeDeps(clock().now);
    const detail = { eventId: 'x1', email: 'c@example.com', orderId: 'o1', total: 20, currency: 'EUR' };
    // Act
    const first = await ingestBusEvent(deps, detail, 'purchase', 'fallback');
    const again = await ingestBusEvent(deps, detail, 'purchase', 'fallback');
    // Assert
    expect(first).toMatchObject({ status: 'accepted', createdContact: true });
    expect(again).toMatchObject({ status: 'duplicate', contactId: first.contactId });
    expect((await deps.contacts.getWithAggregates('fallback', first.contactId as string))?.aggregates).toMatchObject({
      orders: 1,
      revenue: 20,
    });
  });
});

describe('ingestBusEvent: detail-types', () => {
  it.each(['purchase', 'refund'])('refuses a Custom Event whose type is %s (it has a detail-type of its own)', async (type) => {
    // Arrange
    const deps = fakeDeps(clock().now);
    // Act
    const error = await ingestBusEvent(
      deps,
      { eventId: 'x9', type, email: 'c@example.com', orderId: 'o1', total: 5, currency: 'EUR' },
      undefined,
      'default',
    ).catch((e: unknown) => e);
    // Assert
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.field)).toEqual(['detail.type']);
    expect(deps.world.contacts.of('default').size).toBe(0);
  });
});
