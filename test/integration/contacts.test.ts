import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { aContact, aPhone } from '../helpers/builders.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();

describe('contacts API (local gateway → handlers → dynalite)', () => {
  it('refuses every management route without the bearer token, and a wrong token', async () => {
    expect((await t.api('GET', '/contacts', undefined, { token: null })).status).toBe(401);
    expect((await t.api('POST', '/contacts', aContact(), { token: 'wrong' })).status).toBe(401);
    expect((await t.api('GET', '/openapi.json', undefined, { token: null })).status).toBe(200);
  });

  it('creates a contact once and updates it on a second upsert by the same identifier', async () => {
    // Arrange
    const input = aContact({ phone: aPhone(), attributes: { plan: 'free' } });
    // Act
    const created = await t.api('POST', '/contacts', input);
    const again = await t.api('POST', '/contacts', { email: input.email!.toUpperCase(), attributes: { plan: 'pro' } });
    const byPhone = await t.api('POST', '/contacts', { phone: input.phone, firstName: 'Renamed' });
    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: input.email,
      version: 1,
      consent: { email: { status: 'unknown' }, sms: { status: 'unknown' } },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ contactId: created.body.contactId, attributes: { plan: 'pro' }, version: 2 });
    expect(byPhone.body).toMatchObject({ contactId: created.body.contactId, firstName: 'Renamed', version: 3 });
  });

  it('a repeated identical upsert changes nothing', async () => {
    const input = aContact({ attributes: { a: 1 } });
    const first = await t.api('POST', '/contacts', input);
    const second = await t.api('POST', '/contacts', input);
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(first.body.version);
    expect(second.body.updatedAt).toBe(first.body.updatedAt);
  });

  it('rejects identifiers that belong to two different contacts with 409', async () => {
    const a = await t.api('POST', '/contacts', aContact());
    const b = await t.api('POST', '/contacts', aContact({ phone: aPhone() }));
    const clash = await t.api('POST', '/contacts', { email: a.body.email, phone: b.body.phone });
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toContain('different contacts');
  });

  it.each([
    [{ email: 'nope' }, 'body.email'],
    [{ email: 'a@example.com', phone: '0770' }, 'body.phone'],
    [{ email: 'a@example.com', timezone: 'Mars/Base' }, 'body.timezone'],
    [{ email: 'a@example.com', attributes: { nested: { x: 1 } } }, 'body.attributes.nested'],
    [{ email: 'a@example.com', consent: { sms: { status: 'maybe' } } }, 'body.consent.sms.status'],
    [{ firstName: 'no identifier' }, 'body.email'],
  ])('answers %j with 400 naming %s, and writes nothing', async (body, field) => {
    const before = await t.api('GET', '/contacts?limit=500');
    const res = await t.api('POST', '/contacts', body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect((await t.api('GET', '/contacts?limit=500')).body.items.length).toBe(before.body.items.length);
  });

  it('answers malformed JSON and bad query parameters with 400, unknown ids with 404', async () => {
    expect((await t.api('POST', '/contacts', undefined, { raw: '{"email":' })).body.error.message).toBe('body: is not valid JSON');
    expect((await t.api('GET', '/contacts?limit=0')).body.error.details.issues[0].field).toBe('query.limit');
    expect((await t.api('GET', '/contacts/ct_doesnotexist')).status).toBe(404);
    expect((await t.api('GET', '/contacts/bad%20id!')).status).toBe(400);
    expect((await t.api('PUT', '/contacts')).status).toBe(405);
  });

  it('pages through all contacts with a cursor, without repeats', async () => {
    for (let i = 0; i < 7; i++) await t.api('POST', '/contacts', aContact());
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.api('GET', `/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((c: { contactId: string }) => c.contactId));
      cursor = page.body.cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(7);
  });

  it('rejects a cursor that does not parse or belongs to another listing with 400', async () => {
    await t.api('POST', '/lists', { name: 'One' });
    await t.api('POST', '/lists', { name: 'Two' });
    const listsCursor = (await t.api('GET', '/lists?limit=1')).body.cursor;
    expect(listsCursor).toBeTruthy();
    for (const cursor of ['garbage', listsCursor, Buffer.from('{"gsi1pk":{"S":"x"}}').toString('base64url')]) {
      const res = await t.api('GET', `/contacts?cursor=${cursor}`);
      expect(res.status, cursor).toBe(400);
      expect(res.body.error.details.issues[0].field).toBe('query.cursor');
    }
  });

  it('searches by email prefix (case-insensitive) and by phone prefix', async () => {
    const marker = `zz${Date.now()}`;
    await t.api('POST', '/contacts', { email: `${marker}.one@example.com`, phone: '+33612345601' });
    await t.api('POST', '/contacts', { email: `${marker}.two@example.com` });
    const byEmail = await t.api('GET', `/contacts?email=${marker.toUpperCase()}`);
    expect(byEmail.body.items.map((c: { email: string }) => c.email).sort()).toEqual([
      `${marker}.one@example.com`,
      `${marker}.two@example.com`,
    ]);
    const byPhone = await t.api('GET', `/contacts?phone=${encodeURIComponent('+336123456')}`);
    expect(byPhone.body.items.map((c: { email: string }) => c.email)).toContain(`${marker}.one@example.com`);
    // a bare + in a URL decodes to a space; a prefix without + works too
    for (const query of ['+336123456', '336123456']) {
      const res = await t.api('GET', `/contacts?phone=${query}`);
      expect(
        res.body.items.map((c: { email: string }) => c.email),
        query,
      ).toContain(`${marker}.one@example.com`);
    }
    expect((await t.api('GET', '/contacts?phone=abc')).body.error.details.issues[0].field).toBe('query.phone');
  });

  it('patches fields, attributes and consent, and moves an email to its new address', async () => {
    const created = await t.api('POST', '/contacts', aContact({ attributes: { plan: 'free', score: 2 } }));
    const id = created.body.contactId;
    const newEmail = `moved.${Date.now()}@example.com`;
    const patched = await t.api('PATCH', `/contacts/${id}`, {
      email: newEmail,
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      preferredChannel: 'email',
      attributes: { score: null, plan: 'pro' },
      consent: { email: { status: 'subscribed', source: 'preference-page' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      email: newEmail,
      timezone: 'Europe/Paris',
      attributes: { plan: 'pro' },
      consent: { email: { status: 'subscribed', source: 'preference-page' } },
    });
    expect(patched.body.attributes).not.toHaveProperty('score');
    // the old address is free again and makes a new contact; the new one finds this contact
    const old = await t.api('POST', '/contacts', { email: created.body.email });
    expect(old.status).toBe(201);
    expect(old.body.contactId).not.toBe(id);
    expect((await t.api('POST', '/contacts', { email: newEmail })).body.contactId).toBe(id);
  });

  it('refuses a patch to an email another contact holds', async () => {
    const a = await t.api('POST', '/contacts', aContact());
    const b = await t.api('POST', '/contacts', aContact());
    const res = await t.api('PATCH', `/contacts/${b.body.contactId}`, { email: a.body.email });
    expect(res.status).toBe(409);
    expect((await t.api('GET', `/contacts/${b.body.contactId}`)).body.email).toBe(b.body.email);
  });

  it('exports a contact with its consent history and lists, then erases all of it', async () => {
    // Arrange
    const created = await t.api(
      'POST',
      '/contacts',
      aContact({ phone: aPhone(), consent: { email: { status: 'subscribed', source: 'form' } } }),
    );
    const id = created.body.contactId;
    await t.api('PATCH', `/contacts/${id}`, { consent: { email: { status: 'unsubscribed', source: 'one-click' } } });
    const list = await t.api('POST', '/lists', { name: 'Erasure test' });
    await t.api('POST', `/lists/${list.body.listId}/members`, { contactIds: [id] });
    // Act
    const exported = await t.api('GET', `/contacts/${id}/export`);
    const erased = await t.api('DELETE', `/contacts/${id}`);
    // Assert
    expect(exported.body.consentHistory.map((e: { to: string; source: string }) => `${e.to}:${e.source}`)).toEqual([
      'subscribed:form',
      'unsubscribed:one-click',
    ]);
    expect(exported.body.lists).toEqual([list.body.listId]);
    expect(erased.status).toBe(204);
    expect((await t.api('GET', `/contacts/${id}`)).status).toBe(404);
    expect((await t.api('GET', `/contacts/${id}/export`)).status).toBe(404);
    expect((await t.api('DELETE', `/contacts/${id}`)).status).toBe(404);
    expect((await t.api('GET', `/lists/${list.body.listId}/members`)).body.items).toEqual([]);
    expect((await t.api('GET', `/lists/${list.body.listId}`)).body.memberCount).toBe(0);
    // nothing in the table still holds the contact's email or phone, identity claims included
    const dynamo = new DynamoDBClient({ endpoint: t.platform.dynamoEndpoint });
    const scan = await dynamo.send(new ScanCommand({ TableName: t.platform.tableName }));
    const leftovers = (scan.Items ?? []).filter(
      (item) => JSON.stringify(item).includes(created.body.email) || JSON.stringify(item).includes(created.body.phone),
    );
    expect(leftovers).toEqual([]);
    const search = await t.api('GET', `/contacts?phone=${encodeURIComponent(created.body.phone)}`);
    expect(search.body.items).toEqual([]);
    // the identifiers are free again: the same email is a brand-new contact
    const reborn = await t.api('POST', '/contacts', { email: created.body.email });
    expect(reborn.status).toBe(201);
    expect(reborn.body.consent.email.status).toBe('unknown');
  });
});
