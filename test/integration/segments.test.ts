/** Segments over the local platform: saved rules, preview, members, counts over queue workers. */
import { describe, expect, it } from 'vitest';
import { aContact, randomTenant } from '../helpers/builders.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform({ tenantId: randomTenant() });
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** Twelve contacts: the even ones bought shoes recently, every third is subscribed to email, the first four are in a list. */
async function seed() {
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await t.api(
      'POST',
      '/contacts',
      aContact({
        attributes: { plan: i % 2 ? 'free' : 'pro' },
        consent: { email: { status: i % 3 === 0 ? 'subscribed' : 'unsubscribed' } },
      }),
    );
    ids.push(res.body.contactId);
  }
  const events = ids.flatMap((contactId, i) =>
    i % 2 === 0
      ? [
          {
            eventId: `shoe-${contactId}`,
            type: 'purchase',
            contactId,
            at: ago(10),
            orderId: `o-${contactId}`,
            total: 50,
            currency: 'EUR',
            items: [{ sku: 's1', category: 'shoes', price: 50, quantity: 1 }],
          },
        ]
      : [],
  );
  expect((await t.api('POST', '/events', { events })).body.accepted).toBe(6);
  const list = (await t.api('POST', '/lists', { name: 'First four' })).body;
  await t.api('POST', `/lists/${list.listId}/members`, { contactIds: ids.slice(0, 4) });
  return { ids, listId: list.listId as string };
}

describe('segments', () => {
  it('previews, saves, pages members and counts a rule over queue workers, all agreeing', async () => {
    const { ids, listId } = await seed();
    // shoes within 90 days (0,2,4,6,8,10), not in the list (drops 0,2) → 4,6,8,10
    const rule = {
      and: [
        { purchased: { category: 'shoes', within: 'P90D' } },
        { not: { inList: listId } },
        { field: 'attributes.plan', op: 'eq', value: 'pro' },
      ],
    };
    const preview = await t.api('POST', '/segments/preview', { rule });
    expect(preview.status).toBe(200);
    // of those, only 6 has email consent (0, 3, 6, 9 do)
    expect(preview.body).toMatchObject({ count: 4, complete: true, reachable: { email: 1, sms: 0 } });
    const created = await t.api('POST', '/segments', { name: 'Recent shoe buyers', rule });
    expect(created.status).toBe(201);
    const members = await t.api('GET', `/segments/${created.body.segmentId}/members?limit=2`);
    expect(members.body.items.length).toBeLessThanOrEqual(2);
    const all = [...members.body.items];
    let cursor = members.body.cursor;
    while (cursor) {
      const next = await t.api('GET', `/segments/${created.body.segmentId}/members?limit=2&cursor=${encodeURIComponent(cursor)}`);
      expect(next.body.items.length).toBeLessThanOrEqual(2);
      all.push(...next.body.items);
      cursor = next.body.cursor;
    }
    expect(all.map((c: { contactId: string }) => c.contactId).sort()).toEqual([ids[4], ids[6], ids[8], ids[10]].sort());
    const started = await t.api('POST', `/segments/${created.body.segmentId}/counts`);
    expect(started.status).toBe(202);
    await t.platform.drainQueues(30_000);
    const counted = await t.api('GET', `/segments/${created.body.segmentId}/counts/${started.body.countId}`);
    expect(counted.body).toMatchObject({ status: 'done', count: 4, partsDone: 16, reachable: preview.body.reachable });
  });

  it('refers to other segments without cycles, and refuses to delete a segment in use', async () => {
    const base = (await t.api('POST', '/segments', { name: 'Pro', rule: { field: 'attributes.plan', op: 'eq', value: 'pro' } })).body;
    const derived = (
      await t.api('POST', '/segments', {
        name: 'Pro and subscribed',
        rule: { and: [{ inSegment: base.segmentId }, { reachable: 'email' }] },
      })
    ).body;
    const cycle = await t.api('PATCH', `/segments/${base.segmentId}`, { rule: { inSegment: derived.segmentId } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details.issues[0].field).toBe('body.rule.inSegment');
    expect((await t.api('DELETE', `/segments/${base.segmentId}`)).status).toBe(409);
    expect((await t.api('DELETE', `/segments/${derived.segmentId}`)).status).toBe(204);
    expect((await t.api('DELETE', `/segments/${base.segmentId}`)).status).toBe(204);
  });

  it('keeps evaluating a saved segment whose list was deleted: the list has no members', async () => {
    const { ids, listId } = await seed();
    const segment = (
      await t.api('POST', '/segments', {
        name: 'Outside the list',
        rule: { and: [{ not: { inList: listId } }, { field: 'contactId', op: 'in', value: ids }] },
      })
    ).body;
    expect((await t.api('DELETE', `/lists/${listId}`)).status).toBe(204);
    await t.platform.drainQueues(20_000);
    const members = await t.api('GET', `/segments/${segment.segmentId}/members?limit=50`);
    expect(members.status).toBe(200);
    expect(members.body.items).toHaveLength(12);
  });

  it('answers a bad rule with a 400 naming the JSON path of the bad node', async () => {
    const res = await t.api('POST', '/segments/preview', {
      rule: { and: [{ reachable: 'email' }, { field: 'orders', op: 'startsWith', value: 'x' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].field).toBe('body.rule.and.1.op');
    const unknownList = await t.api('POST', '/segments', { name: 'x', rule: { or: [{ inList: 'ls_nope' }] } });
    expect(unknownList.status).toBe(400);
    expect(unknownList.body.error.details.issues[0].field).toBe('body.rule.or.0.inList');
  });
});
