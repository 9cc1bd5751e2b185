/** Segment use cases over in-memory ports: references, cycles, deletion, preview, and counts played through the queue by hand. */
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/domain/contact.ts';
import { Conflict, NotFound, ValidationFailed } from '../../../shared/domain/errors.ts';
import type { Rule } from '../../../shared/domain/segment.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';
import { ingestEvents } from '../../../shared/services/events.ts';
import { addMembers, createList } from '../../../shared/services/lists.ts';
import {
  countSegmentStep,
  createSegment,
  deleteSegment,
  getSegment,
  getSegmentCount,
  previewSegment,
  STALL_MS,
  startSegmentCount,
  updateSegment,
} from '../../../shared/services/segments.ts';
import { fakeClock, fakeDeps, type FakeDeps } from '../../helpers/fakes.ts';

const caller = { tenantId: 't-segments' };
const everyone: Rule = { field: 'contactId', op: 'exists' };
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

/**
 * Six contacts made through the use cases: consent, purchases (shoes or hats) and one list.
 *   c0 email subscribed, shoes 100, in the list   c3 email subscribed, no purchase
 *   c1 email unsubscribed, shoes 20               c4 email subscribed, hats 10
 *   c2 phone, sms subscribed, shoes 50            c5 email + phone, both subscribed, shoes 200
 */
async function seedSmallBase(deps: FakeDeps) {
  const sub = { status: 'subscribed' as const };
  const people = [
    { email: 'c0@example.com', consent: { email: sub } },
    { email: 'c1@example.com', consent: { email: { status: 'unsubscribed' as const } } },
    { phone: '+447700900002', consent: { sms: sub } },
    { email: 'c3@example.com', consent: { email: sub } },
    { email: 'c4@example.com', consent: { email: sub } },
    { email: 'c5@example.com', phone: '+447700900005', consent: { email: sub, sms: sub } },
  ];
  const ids: string[] = [];
  for (const p of people) ids.push((await upsertContact(deps, caller, p)).contact.contactId);
  const buy = (i: number, category: string, total: number) => ({
    eventId: `p${i}`,
    type: 'purchase',
    contactId: ids[i],
    orderId: `o${i}`,
    total,
    currency: 'EUR',
    at: '2025-05-20T10:00:00.000Z',
    items: [{ sku: `${category}-1`, category, price: total, quantity: 1 }],
  });
  const ingested = await ingestEvents(deps, caller, [
    buy(0, 'shoes', 100),
    buy(1, 'shoes', 20),
    buy(2, 'shoes', 50),
    buy(4, 'hats', 10),
    buy(5, 'shoes', 200),
  ]);
  expect(ingested.accepted).toBe(5);
  const { list } = await createList(deps, caller, { name: 'VIP' });
  await addMembers(deps, caller, list.listId, [ids[0] as string]);
  return { ids, listId: list.listId };
}

/**
 * Many contacts written straight through the port, with ids chosen to crowd the first key
 * range (so its part needs more than one step), the rest spread over the others (never the first range).
 * Contact i: attribute plan = pro when i % 3 == 0; email subscribed when i is odd.
 */
async function seedBigBase(deps: FakeDeps, crowded: number, spread: number) {
  const at = '2025-01-01T00:00:00.000Z';
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  const idOf = (i: number) =>
    i < crowded ? `ct_0${String(i).padStart(25, '0')}` : `ct_${alphabet[2 + (i % 30)]}${String(i).padStart(25, '0')}`;
  for (let i = 0; i < crowded + spread; i++) {
    const contact: Contact = {
      contactId: idOf(i),
      email: `big${i}@example.com`,
      attributes: { plan: i % 3 === 0 ? 'pro' : 'free' },
      consent: { email: { status: i % 2 === 1 ? 'subscribed' : 'unknown' }, sms: { status: 'unknown' } },
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await deps.contacts.save(caller.tenantId, contact, 0);
  }
  const n = crowded + spread;
  const pro = Math.floor((n - 1) / 3) + 1;
  const proAndSubscribed = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === 0 && i % 2 === 1).length;
  return { total: n, pro, proAndSubscribed };
}

/** Plays the segment-count queue: delivers every sent message (optionally dropping or doubling some) until none is left. */
async function drainCounts(
  deps: FakeDeps,
  options: { drop?: (m: { part: number; step: number }) => boolean; deliver?: 'once' | 'twice' | 'concurrently-twice' } = {},
) {
  const dropped: { tenantId: string; countId: string; part: number; step: number }[] = [];
  for (let batch = deps.take('segment-count'); batch.length > 0; batch = deps.take('segment-count')) {
    for (const message of batch) {
      if (options.drop?.(message)) {
        dropped.push(message);
        continue;
      }
      if (options.deliver === 'concurrently-twice') await Promise.all([countSegmentStep(deps, message), countSegmentStep(deps, message)]);
      else {
        await countSegmentStep(deps, message);
        if (options.deliver === 'twice') await countSegmentStep(deps, message);
      }
    }
  }
  return dropped;
}

describe('createSegment', () => {
  it('refuses a rule naming an unknown list or segment, with paths under body.rule, and saves nothing', async () => {
    // Arrange
    const deps = fakeDeps();
    const rule: Rule = { and: [{ inList: 'ls_missing' }, { not: { inSegment: 'sg_missing' } }] };
    // Act
    const error = await failure(createSegment(deps, caller, { name: 'Broken', rule }));
    // Assert
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.field).sort()).toEqual([
      'body.rule.and.0.inList',
      'body.rule.and.1.not.inSegment',
    ]);
    expect((await deps.segments.list(caller.tenantId, 10)).items).toEqual([]);
  });

  it('accepts references to a list and a segment that exist', async () => {
    // Arrange
    const deps = fakeDeps();
    const { list } = await createList(deps, caller, { name: 'L' });
    const { segment: base } = await createSegment(deps, caller, { name: 'Base', rule: everyone });
    // Act
    const { segment, created } = await createSegment(deps, caller, {
      name: 'Both',
      rule: { and: [{ inList: list.listId }, { inSegment: base.segmentId }] },
    });
    // Assert
    expect(created).toBe(true);
    expect(await getSegment(deps, caller, segment.segmentId)).toEqual(segment);
  });
});

describe('updateSegment', () => {
  it('refuses a change that would make a cycle (A refers to B, then B to A) and leaves B as it was', async () => {
    // Arrange
    const deps = fakeDeps();
    const b = (await createSegment(deps, caller, { name: 'B', rule: everyone })).segment;
    const a = (await createSegment(deps, caller, { name: 'A', rule: { inSegment: b.segmentId } })).segment;
    // Act
    const error = await failure(updateSegment(deps, caller, b.segmentId, { rule: { or: [everyone, { inSegment: a.segmentId }] } }));
    // Assert
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([{ field: 'body.rule.or.1.inSegment', message: expect.stringMatching(/cycle/) }]);
    expect(await getSegment(deps, caller, b.segmentId)).toEqual(b);
  });

  it('refuses a longer cycle too (C → B → A, then A → C)', async () => {
    // Arrange
    const deps = fakeDeps();
    const a = (await createSegment(deps, caller, { name: 'A', rule: everyone })).segment;
    const b = (await createSegment(deps, caller, { name: 'B', rule: { inSegment: a.segmentId } })).segment;
    const c = (await createSegment(deps, caller, { name: 'C', rule: { inSegment: b.segmentId } })).segment;
    // Act
    const error = await failure(updateSegment(deps, caller, a.segmentId, { rule: { inSegment: c.segmentId } }));
    // Assert
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.field)).toEqual(['body.rule.inSegment']);
  });

  it('refuses to overwrite a segment changed since it was read (Conflict from the conditional replace)', async () => {
    // Arrange
    const clock = fakeClock();
    const deps = fakeDeps(clock.now);
    const { segment } = await createSegment(deps, caller, { name: 'S', rule: everyone });
    const stale = { ...segment };
    clock.advance(1000);
    await updateSegment(deps, caller, segment.segmentId, { name: 'S2' });
    // Act
    const error = await failure(deps.segments.replace(caller.tenantId, { ...stale, name: 'S3' }, stale.updatedAt));
    // Assert
    expect(error).toBeInstanceOf(Conflict);
    expect((await getSegment(deps, caller, segment.segmentId)).name).toBe('S2');
  });
});

describe('deleteSegment', () => {
  it('refuses while another segment refers to it, and deletes once that reference is gone', async () => {
    // Arrange
    const deps = fakeDeps();
    const used = (await createSegment(deps, caller, { name: 'Used', rule: everyone })).segment;
    const user = (await createSegment(deps, caller, { name: 'User', rule: { not: { inSegment: used.segmentId } } })).segment;
    // Act
    const refused = await failure(deleteSegment(deps, caller, used.segmentId));
    await updateSegment(deps, caller, user.segmentId, { rule: everyone });
    await deleteSegment(deps, caller, used.segmentId);
    // Assert
    expect(refused).toBeInstanceOf(Conflict);
    expect((refused as Conflict).details).toEqual({ segmentId: user.segmentId });
    expect(await failure(getSegment(deps, caller, used.segmentId))).toBeInstanceOf(NotFound);
  });
});

describe('previewSegment', () => {
  it('counts matches, reachable contacts per channel, and samples them', async () => {
    // Arrange
    const deps = fakeDeps();
    const { ids, listId } = await seedSmallBase(deps);
    const rule: Rule = { and: [{ purchased: { category: 'shoes' } }, { not: { inList: listId } }] };
    // Act
    const preview = await previewSegment(deps, caller, rule);
    // Assert: shoes buyers c0, c1, c2, c5, less c0 (in the list); email reachable c5; sms reachable c2, c5
    expect(preview).toMatchObject({ count: 3, reachable: { email: 1, sms: 2 }, scanned: 6, complete: true });
    expect(preview.sample.map((c) => c.contactId).sort()).toEqual([ids[1], ids[2], ids[5]].sort());
  });

  it('matches on aggregates folded from events (revenue) and respects the sample size', async () => {
    // Arrange
    const deps = fakeDeps();
    const { ids } = await seedSmallBase(deps);
    // Act
    const preview = await previewSegment(deps, caller, { field: 'revenue', op: 'gte', value: 50 }, { sampleSize: 2 });
    // Assert: c0 100, c2 50, c5 200
    expect(preview).toMatchObject({ count: 3, reachable: { email: 2, sms: 2 }, scanned: 6 });
    expect(preview.sample).toHaveLength(2);
    for (const c of preview.sample) expect([ids[0], ids[2], ids[5]]).toContain(c.contactId);
  });

  it('refuses an unknown list reference like a save does', async () => {
    const deps = fakeDeps();
    const error = await failure(previewSegment(deps, caller, { inList: 'ls_nope' }));
    expect((error as ValidationFailed).issues.map((i) => i.field)).toEqual(['body.rule.inList']);
  });
});

describe('segment counts over the queue', () => {
  const rule: Rule = { field: 'attributes.plan', op: 'eq', value: 'pro' };

  async function setUp(crowded = 6_200, spread = 300) {
    const clock = fakeClock();
    const deps = fakeDeps(clock.now);
    const base = await seedBigBase(deps, crowded, spread);
    const { segment } = await createSegment(deps, caller, { name: 'Pro', rule });
    const preview = await previewSegment(deps, caller, rule);
    return { clock, deps, base, segment, preview };
  }
  const figures = (s: { count: number; reachable: { email: number; sms: number }; scanned: number }) => ({
    count: s.count,
    reachable: s.reachable,
    scanned: s.scanned,
  });

  it('adds up, over every part and step, to what a preview counts', async () => {
    // Arrange
    const { deps, base, segment, preview } = await setUp();
    expect(preview).toMatchObject({
      count: base.pro,
      reachable: { email: base.proAndSubscribed, sms: 0 },
      scanned: base.total,
      complete: true,
    });
    const started = await startSegmentCount(deps, caller, segment.segmentId);
    expect(started).toMatchObject({ status: 'running', partsDone: 0, parts: 16 });
    // Act
    await drainCounts(deps);
    // Assert
    const status = await getSegmentCount(deps, caller, segment.segmentId, started.countId);
    expect(status).toMatchObject({ status: 'done', complete: true, partsDone: 16 });
    expect(figures(status)).toEqual(figures(preview));
    const crowdedPart = (await deps.segments.getCount(caller.tenantId, started.countId))?.parts.find((p) => p.part === 0);
    expect(crowdedPart).toMatchObject({ step: 2, done: true, scanned: 6_200 });
  }, 10_000);

  it('counts nothing twice when every message is delivered twice, one after the other or at once', async () => {
    for (const deliver of ['twice', 'concurrently-twice'] as const) {
      // Arrange
      const { deps, segment, preview } = await setUp(5_500, 100);
      const { countId } = await startSegmentCount(deps, caller, segment.segmentId);
      // Act
      await drainCounts(deps, { deliver });
      // Assert
      const status = await getSegmentCount(deps, caller, segment.segmentId, countId);
      expect(status.status, deliver).toBe('done');
      expect(figures(status), deliver).toEqual(figures(preview));
    }
  }, 10_000);

  it('resumes a part whose next message was lost when a redelivery comes after the stall time, and not before', async () => {
    // Arrange: the message for part 0's second step is lost
    const { clock, deps, segment, preview } = await setUp();
    const { countId } = await startSegmentCount(deps, caller, segment.segmentId);
    const lost = await drainCounts(deps, { drop: (m) => m.part === 0 && m.step === 1 });
    expect(lost).toHaveLength(1);
    const stuck = await getSegmentCount(deps, caller, segment.segmentId, countId);
    expect(stuck).toMatchObject({ status: 'running', partsDone: 15 });
    const redelivery = { ...(lost[0] as { tenantId: string; countId: string; part: number; step: number }), step: 0 };
    // Act 1: the step-0 message comes back before the part has stalled
    clock.advance(STALL_MS / 2);
    await countSegmentStep(deps, redelivery);
    // Assert 1: ignored, as a plain duplicate
    expect(deps.sent).toEqual([]);
    expect((await getSegmentCount(deps, caller, segment.segmentId, countId)).count).toBe(stuck.count);
    // Act 2: it comes back again once the part has stalled
    clock.advance(STALL_MS / 2 + 1);
    await countSegmentStep(deps, redelivery);
    // Assert 2: the lost step is sent again, and the count completes with the preview's figures
    expect(deps.sent).toEqual([{ queue: 'segment-count', message: { ...redelivery, step: 1 } }]);
    await drainCounts(deps);
    const done = await getSegmentCount(deps, caller, segment.segmentId, countId);
    expect(done.status).toBe('done');
    expect(figures(done)).toEqual(figures(preview));
  }, 10_000);

  it('restarts a part whose first message was lost when the count is read after the stall time, and not before', async () => {
    // Arrange
    const { clock, deps, segment, preview } = await setUp(10, 200);
    const { countId } = await startSegmentCount(deps, caller, segment.segmentId);
    const lost = await drainCounts(deps, { drop: (m) => m.part === 5 && m.step === 0 });
    expect(lost).toHaveLength(1);
    // Act 1
    const early = await getSegmentCount(deps, caller, segment.segmentId, countId);
    // Assert 1
    expect(early).toMatchObject({ status: 'running', partsDone: 15 });
    expect(deps.sent).toEqual([]);
    // Act 2
    clock.advance(STALL_MS + 1);
    await getSegmentCount(deps, caller, segment.segmentId, countId);
    await drainCounts(deps);
    // Assert 2
    const done = await getSegmentCount(deps, caller, segment.segmentId, countId);
    expect(done.status).toBe('done');
    expect(figures(done)).toEqual(figures(preview));
  });

  it('keeps counting with the rules fixed at start when a referenced segment changes mid-count', async () => {
    // Arrange
    const clock = fakeClock();
    const deps = fakeDeps(clock.now);
    const base = await seedBigBase(deps, 0, 300);
    const inner = (await createSegment(deps, caller, { name: 'Inner', rule })).segment;
    const outer = (await createSegment(deps, caller, { name: 'Outer', rule: { inSegment: inner.segmentId } })).segment;
    const { countId } = await startSegmentCount(deps, caller, outer.segmentId);
    const first = deps.take('segment-count');
    for (const m of first.slice(0, 8)) await countSegmentStep(deps, m);
    // Act
    await updateSegment(deps, caller, inner.segmentId, { rule: { field: 'attributes.plan', op: 'eq', value: 'free' } });
    for (const m of first.slice(8)) await countSegmentStep(deps, m);
    await drainCounts(deps);
    // Assert
    const done = await getSegmentCount(deps, caller, outer.segmentId, countId);
    expect(done).toMatchObject({ status: 'done', count: base.pro, scanned: base.total });
  });

  it('refuses a count of an unknown segment, and answers NotFound for a count of another segment', async () => {
    const { deps, segment } = await setUp(0, 20);
    expect(await failure(startSegmentCount(deps, caller, 'sg_nope'))).toBeInstanceOf(NotFound);
    const { countId } = await startSegmentCount(deps, caller, segment.segmentId);
    expect(await failure(getSegmentCount(deps, caller, 'sg_other', countId))).toBeInstanceOf(NotFound);
  });
});

describe('reference depth', () => {
  it('refuses a change at the bottom of a chain that would make the chain above it too deep', async () => {
    // Arrange: chain[8] → chain[7] → … → chain[1] → base (8 levels of references above base)
    const deps = fakeDeps(fakeClock().now);
    const base = (await createSegment(deps, caller, { name: 'base', rule: everyone })).segment;
    let below = base.segmentId;
    for (let i = 1; i <= 8; i++)
      below = (await createSegment(deps, caller, { name: `chain-${i}`, rule: { inSegment: below } })).segment.segmentId;
    const other = (await createSegment(deps, caller, { name: 'other', rule: everyone })).segment;
    // Act
    const error = await failure(updateSegment(deps, caller, base.segmentId, { rule: { inSegment: other.segmentId } }));
    // Assert
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues[0]?.field).toBe('body.rule');
    // A change that adds no reference is fine, and the top of the chain still evaluates.
    await updateSegment(deps, caller, base.segmentId, { rule: { field: 'email', op: 'exists' } });
    await expect(previewSegment(deps, caller, { inSegment: below })).resolves.toMatchObject({ complete: true });
  });
});
