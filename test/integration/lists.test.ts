import { describe, expect, it } from 'vitest';
import { aContact } from '../helpers/builders.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();

const fetchWithKey = (path: string, body: unknown, key: string) => t.api('POST', path, body, { headers: { 'Idempotency-Key': key } });

async function contacts(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await t.api('POST', '/contacts', aContact())).body.contactId);
  return ids;
}

describe('target lists API', () => {
  it('creates, renames, gets and lists lists', async () => {
    const created = await t.api('POST', '/lists', { name: '  Spring sale  ', description: 'April buyers' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Spring sale', memberCount: 0 });
    const renamed = await t.api('PATCH', `/lists/${created.body.listId}`, { name: 'Spring sale 2027' });
    expect(renamed.body).toMatchObject({ name: 'Spring sale 2027', description: 'April buyers' });
    expect((await t.api('GET', `/lists/${created.body.listId}`)).body.name).toBe('Spring sale 2027');
    const all = await t.api('GET', '/lists');
    expect(all.body.items.map((l: { listId: string }) => l.listId)).toContain(created.body.listId);
  });

  it('creates a list once per Idempotency-Key, returning the first on a repeat', async () => {
    const key = `key-${Date.now()}`;
    const first = await fetchWithKey('/lists', { name: 'Retried' }, key);
    const again = await fetchWithKey('/lists', { name: 'Retried' }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.listId).toBe(first.body.listId);
    const other = await fetchWithKey('/lists', { name: 'Retried' }, `${key}-2`);
    expect(other.body.listId).not.toBe(first.body.listId);
    expect((await fetchWithKey('/lists', { name: 'x' }, 'has space')).body.error.details.issues[0].field).toBe('header.idempotency-key');
  });

  it.each([
    ['POST', '/lists', { name: '' }, 'body.name'],
    ['POST', '/lists', { description: 'no name' }, 'body.name'],
    ['PATCH', '/lists/ls_x', {}, 'body.name'],
    ['POST', '/lists/ls_x/members', { contactIds: [] }, 'body.contactIds'],
    ['POST', '/lists/ls_x/members', { contactIds: Array.from({ length: 1001 }, (_, i) => `c${i}`) }, 'body.contactIds'],
  ])('%s %s with %j is a 400 naming %s', async (method, path, body, field) => {
    const res = await t.api(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].field).toBe(field);
  });

  it('adds members in bulk, reports unknown ids, and a repeated call changes nothing', async () => {
    // Arrange
    const list = (await t.api('POST', '/lists', { name: 'Bulk' })).body;
    const ids = await contacts(5);
    // Act
    const added = await t.api('POST', `/lists/${list.listId}/members`, { contactIds: [...ids, 'ct_unknown', ids[0]] });
    const repeated = await t.api('POST', `/lists/${list.listId}/members`, { contactIds: ids });
    // Assert
    expect(added.body).toEqual({ changed: 5, unchanged: 0, notFound: ['ct_unknown'] });
    expect(repeated.body).toEqual({ changed: 0, unchanged: 5, notFound: [] });
    expect((await t.api('GET', `/lists/${list.listId}`)).body.memberCount).toBe(5);
  });

  it('pages members and removes them', async () => {
    const list = (await t.api('POST', '/lists', { name: 'Paged' })).body;
    const ids = await contacts(5);
    await t.api('POST', `/lists/${list.listId}/members`, { contactIds: ids });
    const first = await t.api('GET', `/lists/${list.listId}/members?limit=2`);
    const second = await t.api('GET', `/lists/${list.listId}/members?limit=10&cursor=${first.body.cursor}`);
    expect(first.body.items).toHaveLength(2);
    expect([...first.body.items, ...second.body.items].map((c: { contactId: string }) => c.contactId).sort()).toEqual([...ids].sort());

    const removed = await t.api('POST', `/lists/${list.listId}/members/remove`, { contactIds: [ids[0], ids[1], 'ct_never'] });
    expect(removed.body).toEqual({ changed: 2, unchanged: 1, notFound: [] });
    expect((await t.api('GET', `/lists/${list.listId}`)).body.memberCount).toBe(3);
  });

  it('deletes a list at once and purges its memberships through the list-cleanup queue', async () => {
    const list = (await t.api('POST', '/lists', { name: 'Doomed' })).body;
    const ids = await contacts(3);
    await t.api('POST', `/lists/${list.listId}/members`, { contactIds: ids });

    expect((await t.api('DELETE', `/lists/${list.listId}`)).status).toBe(204);
    expect((await t.api('GET', `/lists/${list.listId}`)).status).toBe(404);
    expect((await t.api('DELETE', `/lists/${list.listId}`)).status).toBe(404);
    await t.platform.drainQueues();

    const exported = await t.api('GET', `/contacts/${ids[0]}/export`);
    expect(exported.body.lists).toEqual([]);
    expect(t.platform.deadLetters('list-cleanup')).toEqual([]);
  });

  it('dead-letters a malformed cleanup message after its retries, leaving the others unharmed', async () => {
    const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const sqs = new SQSClient({});
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.LIST_CLEANUP_QUEUE_URL, MessageBody: '{"listId":42}' }));
    await t.platform.drainQueues();
    expect(t.platform.deadLetters('list-cleanup')).toMatchObject([{ body: '{"listId":42}' }]);
  });

  it('404s member changes on a list that does not exist', async () => {
    const [id] = await contacts(1);
    expect((await t.api('POST', '/lists/ls_missing/members', { contactIds: [id] })).status).toBe(404);
    expect((await t.api('GET', '/lists/ls_missing/members')).status).toBe(404);
  });
});
