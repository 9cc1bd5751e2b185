/**
 * The in-memory ports keep the conditions of the DynamoDB repositories (shared/db/*-repo.ts),
 * which the use-case tests in this folder rely on. Each case names the condition it mirrors.
 */
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/domain/contact.ts';
import { ConcurrentChange, Conflict, ValidationFailed } from '../../../shared/domain/errors.ts';
import type { SegmentCountPart } from '../../../shared/domain/segment.ts';
import { foldEvents } from '../../../shared/domain/value.ts';
import { fakeDeps } from '../../helpers/fakes.ts';

const T = 't-fakes';
const AT = '2025-01-01T00:00:00.000Z';
const contact = (contactId: string, extra: Partial<Contact> = {}): Contact => ({
  contactId,
  attributes: {},
  consent: { email: { status: 'unknown' }, sms: { status: 'unknown' } },
  createdAt: AT,
  updatedAt: AT,
  version: 1,
  ...extra,
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('fake ports', () => {
  it('claims an identifier for one contact only (attribute_not_exists OR same contactId), releases it only for its holder', async () => {
    const deps = fakeDeps();
    const email = { kind: 'email' as const, value: 'x@example.com' };
    await deps.contacts.claimIdentity(T, email, 'ct_a');
    await deps.contacts.claimIdentity(T, email, 'ct_a');
    expect(await failure(deps.contacts.claimIdentity(T, email, 'ct_b'))).toBeInstanceOf(Conflict);
    await deps.contacts.releaseIdentity(T, email, 'ct_b');
    expect(await deps.contacts.findManyByIdentity(T, [email])).toEqual(new Map([['email:x@example.com', 'ct_a']]));
    await deps.contacts.releaseIdentity(T, email, 'ct_a');
    expect((await deps.contacts.findManyByIdentity(T, [email])).size).toBe(0);
  });

  it('saves a contact on a version check, keeping value and lists and removing dropped profile fields', async () => {
    const deps = fakeDeps();
    await deps.contacts.save(T, contact('ct_a', { firstName: 'Ann' }), 0);
    expect(await failure(deps.contacts.save(T, contact('ct_a'), 0))).toBeInstanceOf(ConcurrentChange);
    expect(await failure(deps.contacts.save(T, contact('ct_missing', { version: 2 }), 1))).toBeInstanceOf(ConcurrentChange);
    await deps.contacts.saveAggregates(T, 'ct_a', foldEvents([]));
    await deps.lists.addMembers(T, 'ls_1', ['ct_a'], AT);
    await deps.contacts.save(T, contact('ct_a', { lastName: 'B', version: 2 }), 1);
    expect(await failure(deps.contacts.save(T, contact('ct_a', { version: 2 }), 1))).toBeInstanceOf(ConcurrentChange);
    const [item] = (await deps.contacts.scanRange(T, 0, 1, 10)).items;
    expect(item).toMatchObject({ contactId: 'ct_a', lastName: 'B', version: 2, value: { eventCount: 0 }, lists: new Set(['ls_1']) });
    expect(item).not.toHaveProperty('firstName');
  });

  it('writes aggregates only onto an existing contact and only from more events than stored', async () => {
    const deps = fakeDeps();
    const two = { ...foldEvents([]), eventCount: 2 };
    expect(await deps.contacts.saveAggregates(T, 'ct_a', two)).toBe(false);
    await deps.contacts.save(T, contact('ct_a'), 0);
    expect(await deps.contacts.saveAggregates(T, 'ct_a', two)).toBe(true);
    expect(await deps.contacts.saveAggregates(T, 'ct_a', { ...two, revenue: 5 })).toBe(false);
    expect(await deps.contacts.saveAggregates(T, 'ct_a', { ...two, eventCount: 1 })).toBe(false);
    expect(await deps.contacts.saveAggregates(T, 'ct_a', { ...two, eventCount: 3 })).toBe(true);
  });

  it('scans key ranges that cover every contact once, a full page carrying a cursor even when nothing follows', async () => {
    const deps = fakeDeps();
    const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
    const ids = [...alphabet].flatMap((c) => [`ct_${c}0`, `ct_${c}z`]);
    for (const id of ids) await deps.contacts.save(T, contact(id), 0);
    const seen: string[] = [];
    for (let part = 0; part < 5; part++) {
      let cursor: string | undefined;
      do {
        const page = await deps.contacts.scanRange(T, part, 5, 3, cursor);
        seen.push(...page.items.map((i) => i.contactId as string));
        cursor = page.cursor;
      } while (cursor);
    }
    expect(seen.sort()).toEqual(ids.sort());
    const whole = await deps.contacts.scanRange(T, 0, 1, ids.length);
    expect(whole.cursor).toBeDefined();
    expect(await deps.contacts.scanRange(T, 0, 1, 10, whole.cursor)).toEqual({ items: [], cursor: undefined });
    await deps.contacts.claimIdentity(T, { kind: 'email', value: 'a@example.com' }, 'ct_00');
    const foreign = (await deps.contacts.searchIdentities(T, 'email', 'a', 1)).cursor;
    expect(await failure(deps.contacts.scanRange(T, 0, 1, 10, foreign))).toBeInstanceOf(ValidationFailed);
  });

  it('stores an event once per contact and eventId, and returns copies', async () => {
    const deps = fakeDeps();
    const event = { eventId: 'e1', type: 'visit', at: AT, receivedAt: AT };
    expect(await deps.events.put(T, 'ct_a', event)).toBe('accepted');
    expect(await deps.events.put(T, 'ct_a', { ...event, type: 'other' })).toBe('duplicate');
    expect(await deps.events.put(T, 'ct_b', event)).toBe('accepted');
    const [read] = await deps.events.forContact(T, 'ct_a');
    (read as { type: string }).type = 'changed';
    expect(await deps.events.forContact(T, 'ct_a')).toEqual([event]);
  });

  it('advances a count part only from the step before (absent for step 1)', async () => {
    const deps = fakeDeps();
    const part = (step: number): SegmentCountPart => ({
      part: 3,
      step,
      done: false,
      scanned: step,
      count: 0,
      reachableEmail: 0,
      reachableSms: 0,
      updatedAt: AT,
    });
    expect(await deps.segments.advancePart(T, 'cn_1', part(2))).toBe(false);
    expect(await deps.segments.advancePart(T, 'cn_1', part(1))).toBe(true);
    expect(await deps.segments.advancePart(T, 'cn_1', part(1))).toBe(false);
    expect(await deps.segments.advancePart(T, 'cn_1', part(3))).toBe(false);
    expect(await deps.segments.advancePart(T, 'cn_1', part(2))).toBe(true);
  });

  it('fails a chosen call once, after the given number of calls succeed', async () => {
    const deps = fakeDeps();
    deps.failOnce('settings.registerTenant', 1);
    await deps.settings.registerTenant('a');
    await expect(deps.settings.registerTenant('b')).rejects.toThrow(/injected failure in settings.registerTenant/);
    await deps.settings.registerTenant('c');
    expect(await deps.settings.tenants()).toEqual(['a', 'c']);
  });
});
