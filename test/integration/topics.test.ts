/**
 * Workspace topics on the local stack, through the public API and the real repositories: the
 * topics in the sending settings, contact topic consent and its history, a topic campaign that
 * skips who left the topic, and the preference page's topic boxes posted as a browser does.
 */
import { describe, expect, it } from 'vitest';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform({ ses: { maxSendRate: 500 } });

const topics = [
  {
    name: 'newsletter',
    displayName: 'Monthly newsletter',
    description: 'News from the shop',
    defaultStatus: 'subscribed',
    labels: { de: { displayName: 'Monatlicher Newsletter' } },
  },
  { name: 'offers', displayName: 'Offers', defaultStatus: 'unsubscribed' },
];
const sending = { email: { from: 'news@shop.example' }, topics };

describe('topics on the local stack', () => {
  it('keeps topics in the sending settings, refusing duplicate names (400 naming the field)', async () => {
    const put = await t.api('PUT', '/settings/sending', sending);
    expect(put.status).toBe(200);
    expect((await t.api('GET', '/settings/sending')).body.topics).toEqual(topics);
    const twice = await t.api('PUT', '/settings/sending', { ...sending, topics: [...topics, topics[1]] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details.issues.map((i: { field: string }) => i.field)).toEqual(['body.topics.2.name']);
    expect((await t.api('GET', '/settings/sending')).body.topics).toHaveLength(2);
  });

  it('keeps contact topic consent, its history in the export, and refuses topics the workspace has not', async () => {
    await t.api('PUT', '/settings/sending', sending);
    const created = await t.api('POST', '/contacts', {
      email: 'topics.reader@example.com',
      topics: { offers: { status: 'subscribed', source: 'checkout' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.topics.offers).toMatchObject({ status: 'subscribed', source: 'checkout' });
    const id = created.body.contactId;
    const patched = await t.api('PATCH', `/contacts/${id}`, { topics: { newsletter: { status: 'unsubscribed' } } });
    expect(patched.status).toBe(200);
    expect(Object.keys(patched.body.topics).sort()).toEqual(['newsletter', 'offers']);
    const unknown = await t.api('PATCH', `/contacts/${id}`, { topics: { promos: { status: 'subscribed' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues[0].field).toBe('body.topics.promos');
    const history = (await t.api('GET', `/contacts/${id}/export`)).body.consentHistory;
    expect(history.map((e: { topic?: string; to: string; source: string }) => `${e.topic}:${e.to}:${e.source}`).sort()).toEqual([
      'newsletter:unsubscribed:api',
      'offers:subscribed:checkout',
    ]);
  });

  it('a topic campaign skips who left the topic; its preference page changes topics with the campaign as source', async () => {
    // Arrange: two email subscribers, one of whom left the newsletter.
    await t.api('PUT', '/settings/sending', sending);
    const sub = { status: 'subscribed' };
    const stays = (await t.api('POST', '/contacts', { email: 'stays@example.com', consent: { email: sub } })).body;
    const left = (
      await t.api('POST', '/contacts', {
        email: 'left@example.com',
        consent: { email: sub },
        topics: { newsletter: { status: 'unsubscribed' } },
      })
    ).body;
    const list = (await t.api('POST', '/lists', { name: 'Readers' })).body;
    await t.api('POST', `/lists/${list.listId}/members`, { contactIds: [stays.contactId, left.contactId] });
    const template = (
      await t.api('POST', '/templates', {
        name: 'Letter',
        channel: 'email',
        email: { subject: 'News', html: '<p>News</p><a href="{% preferences_url %}">Preferences</a>' },
      })
    ).body;
    const campaign = {
      name: 'Letter',
      channel: 'email',
      variants: [{ name: 'A', email: template.templateId }],
      audience: { lists: [list.listId] },
    };
    expect((await t.api('POST', '/campaigns', { ...campaign, topic: 'promos' })).body.error.details.issues[0].field).toBe('body.topic');
    const created = (await t.api('POST', '/campaigns', { ...campaign, topic: 'newsletter' })).body;
    expect(created.topic).toBe('newsletter');
    // Act
    expect((await t.api('POST', `/campaigns/${created.campaignId}/launch`)).status).toBe(202);
    await t.platform.drainQueues(30_000);
    // Assert: one sent, one skipped for the topic.
    const view = (await t.api('GET', `/campaigns/${created.campaignId}`)).body;
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ audience: 2, skipped: { topic_unsubscribed: 1 }, variants: { A: { sent: 1 } } });
    const store = (await (await fetch(`${t.platform.mailboxUrl}/store`)).json()) as {
      emails: { destination: { to: string[] }; body: { html?: string } }[];
    };
    const mail = store.emails.filter((e) => e.destination.to.includes('stays@example.com'));
    expect(mail).toHaveLength(1);
    expect(store.emails.some((e) => e.destination.to.includes('left@example.com'))).toBe(false);

    // The preference page: the newsletter is ticked (opt-out), offers not (opt-in); untick one, tick the other.
    const url = /href="(http:\/\/127\.0\.0\.1:\d+\/p\/[^"]+)"/.exec(mail[0]?.body.html ?? '')?.[1] as string;
    const shown = await (await fetch(url)).text();
    expect(shown).toContain('name="topic.newsletter" value="subscribed" checked');
    expect(shown).toMatch(/name="topic\.offers" value="subscribed">/);
    const saved = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'form=preferences&email=subscribed&topic.offers=subscribed',
    });
    expect(saved.status).toBe(200);
    const after = (await t.api('GET', `/contacts/${stays.contactId}`)).body;
    const source = `preferences:${created.campaignId}`;
    expect(after.topics).toMatchObject({ newsletter: { status: 'unsubscribed', source }, offers: { status: 'subscribed', source } });
    expect(after.consent.email.status).toBe('subscribed');
    // Two changes at the same instant are two history items (the topic is part of the key).
    const history = (await t.api('GET', `/contacts/${stays.contactId}/export`)).body.consentHistory;
    expect(
      history
        .filter((e: { source: string }) => e.source === source)
        .map((e: { topic: string }) => e.topic)
        .sort(),
    ).toEqual(['newsletter', 'offers']);
  });
});
