/**
 * The recipient side over in-memory ports: tracked links (redirect with UTM, unique and total
 * clicks, scanners apart, no open redirect), the open pixel, one-click unsubscribe (RFC 8058,
 * idempotent, a GET never unsubscribes) and the preference page.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutgoingEmail } from '../../../shared/domain/message.ts';
import { signToken } from '../../../shared/domain/tracking.ts';
import { createCampaign, getCampaign, launchCampaign } from '../../../shared/services/campaigns.ts';
import {
  followLink,
  preferences,
  recordOpen,
  followShortLink,
  unsubscribe,
  unsubscribeByMail,
  unsubscribeForm,
} from '../../../shared/services/recipients.ts';
import { eraseContact, exportContact, upsertContact } from '../../../shared/services/contacts.ts';
import { updateSendingSettings } from '../../../shared/services/value-model.ts';
import { caller, play, world } from '../../helpers/campaign-world.ts';
import { TEST_SECRET } from '../../helpers/fakes.ts';

const human = {
  method: 'GET',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
};
const form = 'application/x-www-form-urlencoded';

/** A sent campaign and the first recipient's email. */
async function sent() {
  const w = await world(2);
  const { campaign } = await createCampaign(w.deps, caller, w.campaign());
  await launchCampaign(w.deps, caller, campaign.campaignId);
  await play(w.deps, w.clock);
  const email = w.deps.delivered.emails.find((e) => e.to === 'p0@example.com') as OutgoingEmail;
  const token = (prefix: string) => {
    const m = new RegExp(`https://herald\\.example/${prefix}/([A-Za-z0-9_-]+)`).exec(email.html);
    return m?.[1] as string;
  };
  w.clock.advance(60_000); // people click a minute later, not within a second
  return { ...w, campaign, email, token };
}

describe('tracked links', () => {
  it('redirect to the original URL with UTM parameters, counting unique and total clicks per variant and link', async () => {
    const { deps, campaign, token } = await sent();
    const first = await followLink(deps, token('r'), human);
    expect(first).toEqual({
      redirect: 'https://shop.example/sale?size=42&utm_source=herald&utm_medium=email&utm_campaign=Spring&utm_content=A',
    });
    await followLink(deps, token('r'), human);
    const counts = (await getCampaign(deps, caller, campaign.campaignId)).counts.variants.A;
    expect(counts).toMatchObject({ clicked: 1, clicks: 2, links: { '0': 2 }, machineClicks: 0 });
  });

  it('keeps scanners apart: a HEAD, a known scanner and a click within a second are not counted as people', async () => {
    const { deps, clock, campaign, token } = await sent();
    await followLink(deps, token('r'), { method: 'HEAD', userAgent: human.userAgent });
    await followLink(deps, token('r'), { method: 'GET', userAgent: 'Mozilla/5.0 (compatible; BarracudaCentral)' });
    clock.advance(-59_500); // half a second after it was sent
    await followLink(deps, token('r'), human);
    const counts = (await getCampaign(deps, caller, campaign.campaignId)).counts.variants.A;
    expect(counts).toMatchObject({ clicked: 0, clicks: 0, machineClicks: 3 });
  });

  it('answers 404 and redirects nowhere for a tampered, foreign or mismatched token', async () => {
    const { deps, campaign, ids, token } = await sent();
    const good = token('r');
    const tampered = `${good.slice(0, -2)}${good.endsWith('AA') ? 'AB' : 'AA'}`;
    const foreign = signToken(new Uint8Array(32).fill(9), {
      kind: 'click',
      tenantId: caller.tenantId,
      campaignId: campaign.campaignId,
      contactId: ids[0] as string,
      link: 0,
    });
    const noSuchLink = signToken(TEST_SECRET, {
      kind: 'click',
      tenantId: caller.tenantId,
      campaignId: campaign.campaignId,
      contactId: ids[0] as string,
      link: 9,
    });
    const otherTenant = signToken(TEST_SECRET, {
      kind: 'click',
      tenantId: 'someone-else',
      campaignId: campaign.campaignId,
      contactId: ids[0] as string,
      link: 0,
    });
    const openAsClick = token('o');
    for (const t of [tampered, foreign, noSuchLink, otherTenant, openAsClick, '', 'x'.repeat(900)]) {
      const a = await followLink(deps, t, human);
      expect(a).toMatchObject({ status: 404 });
    }
    expect((await getCampaign(deps, caller, campaign.campaignId)).counts.variants.A?.clicks).toBe(0);
  });

  it('never throws and never redirects on arbitrary tokens (property)', async () => {
    const { deps } = await sent();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (t) => {
        const a = await followLink(deps, t, human);
        expect('redirect' in a).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the open pixel', () => {
  it('counts unique and total opens, and prefetchers apart', async () => {
    const { deps, campaign, token } = await sent();
    expect(await recordOpen(deps, token('o'), human)).toEqual({ pixel: true });
    await recordOpen(deps, token('o'), human);
    await recordOpen(deps, token('o'), { method: 'HEAD', userAgent: human.userAgent });
    const counts = (await getCampaign(deps, caller, campaign.campaignId)).counts.variants.A;
    expect(counts).toMatchObject({ opened: 1, opens: 2, machineOpens: 1 });
  });
});

describe('one-click unsubscribe', () => {
  const preferencesOf = async () => '/p/x';

  it('a GET only asks; a one-click POST unsubscribes that contact from that channel, once', async () => {
    const { deps, campaign, ids, token } = await sent();
    const page = await unsubscribeForm(deps, token('u'), '/u/t');
    expect(page).toMatchObject({ status: 200 });
    expect((page as { html: string }).html).toContain('<form method="post"');
    expect((await deps.contacts.get(caller.tenantId, ids[0] as string))?.consent.email.status).toBe('subscribed');

    const done = await unsubscribe(deps, token('u'), { contentType: form, body: 'List-Unsubscribe=One-Click', preferences: preferencesOf });
    expect(done).toMatchObject({ status: 200 });
    const contact = await deps.contacts.get(caller.tenantId, ids[0] as string);
    expect(contact?.consent.email).toMatchObject({ status: 'unsubscribed', source: `one-click:${campaign.campaignId}` });
    // Again: the same answer, nothing more changes or counts.
    expect(
      await unsubscribe(deps, token('u'), { contentType: form, body: 'List-Unsubscribe=One-Click', preferences: preferencesOf }),
    ).toMatchObject({
      status: 200,
    });
    expect((await getCampaign(deps, caller, campaign.campaignId)).counts.variants.A?.unsubscribed).toBe(1);
    const history = (await deps.contacts.contents(caller.tenantId, ids[0] as string)).consentHistory.filter((e) => e.to === 'unsubscribed');
    expect(history).toHaveLength(1);
  });

  it('refuses a POST without the one-click field (400 page) and a token of another kind (404)', async () => {
    const { deps, ids, token } = await sent();
    expect(await unsubscribe(deps, token('u'), { contentType: form, body: 'hello=world', preferences: preferencesOf })).toMatchObject({
      status: 400,
    });
    expect(
      await unsubscribe(deps, token('r'), { contentType: form, body: 'List-Unsubscribe=One-Click', preferences: preferencesOf }),
    ).toMatchObject({
      status: 404,
    });
    expect((await deps.contacts.get(caller.tenantId, ids[0] as string))?.consent.email.status).toBe('subscribed');
  });
});

describe('the preference page', () => {
  it('shows consent per channel and saves changes with their source', async () => {
    const { deps, campaign, ids } = await sent();
    const t = signToken(TEST_SECRET, {
      kind: 'preferences',
      tenantId: caller.tenantId,
      campaignId: campaign.campaignId,
      contactId: ids[0] as string,
    });
    const page = await preferences(deps, t, { method: 'GET', contentType: undefined, body: '', action: '/p/t' });
    expect((page as { html: string }).html).toContain('name="email" value="subscribed" checked');
    const saved = await preferences(deps, t, { method: 'POST', contentType: form, body: 'form=preferences', action: '/p/t' });
    expect((saved as { html: string }).html).toContain('saved');
    const contact = await deps.contacts.get(caller.tenantId, ids[0] as string);
    expect(contact?.consent.email).toMatchObject({ status: 'unsubscribed', source: `preferences:${campaign.campaignId}` });
    expect(await preferences(deps, t, { method: 'POST', contentType: 'application/json', body: '{}', action: '/p/t' })).toMatchObject({
      status: 400,
    });
  });
});

describe('the contact export', () => {
  it("includes the recipient's own timeline: sent, opened, clicked, unsubscribed", async () => {
    const { deps, campaign, ids, token } = await sent();
    await recordOpen(deps, token('o'), human);
    await followLink(deps, token('r'), human);
    await unsubscribe(deps, token('u'), { contentType: form, body: 'List-Unsubscribe=One-Click', preferences: async () => '/p/x' });
    const exported = await exportContact(deps, caller, ids[0] as string);
    expect(exported.messages).toEqual([
      expect.objectContaining({
        campaignId: campaign.campaignId,
        status: 'sent',
        channel: 'email',
        variant: 'A',
        sentAt: expect.any(String),
        openedAt: expect.any(String),
        clickedAt: expect.any(String),
        unsubscribedAt: expect.any(String),
      }),
    ]);
  });
});

describe('found in review', () => {
  it('a link in a message whose send is unknown (the answer was lost) still redirects', async () => {
    const w = await world(2);
    const { campaign } = await createCampaign(w.deps, caller, w.campaign());
    const send = w.deps.email.send;
    let dropped = false;
    w.deps.email.send = async (email) => {
      const out = await send(email);
      if (!dropped) {
        dropped = true;
        throw new Error('connection reset after SES accepted');
      }
      return out;
    };
    await launchCampaign(w.deps, caller, campaign.campaignId);
    await play(w.deps, w.clock);
    const view = await getCampaign(w.deps, caller, campaign.campaignId);
    expect(view.counts.variants.A).toMatchObject({ sent: 1, unknown: 1 });
    const lost = w.deps.delivered.emails[0] as OutgoingEmail;
    const click = /https:\/\/herald\.example\/r\/([A-Za-z0-9_-]+)/.exec(lost.html)?.[1] as string;
    w.clock.advance(60_000);
    expect(await followLink(w.deps, click, human)).toMatchObject({ redirect: expect.stringContaining('https://shop.example/sale') });
  });

  it('a target with characters a Location header cannot carry is encoded; one that is not http(s) is not followed', async () => {
    const { deps, campaign, ids } = await sent();
    const record = deps.world.sends.get(caller.tenantId, `${campaign.campaignId}.${ids[0]}`);
    if (record) record.links = ['https://shop.example/€uro größe', 'javascript:alert(1)'];
    const t = (link: number) =>
      signToken(TEST_SECRET, {
        kind: 'click',
        tenantId: caller.tenantId,
        campaignId: campaign.campaignId,
        contactId: ids[0] as string,
        link,
      });
    expect(await followLink(deps, t(0), human)).toMatchObject({
      redirect: expect.stringMatching(/^https:\/\/shop\.example\/%E2%82%ACuro%20gr%C3%B6%C3%9Fe\?utm_source=herald/),
    });
    expect(await followLink(deps, t(1), human)).toMatchObject({ status: 404 });
  });

  it('the preference page writes no consent for a channel never consented to', async () => {
    const { deps, campaign } = await sent();
    const { contact } = await (await import('../../../shared/services/contacts.ts')).upsertContact(deps, caller, {
      email: 'both@example.com',
      phone: '+447700900555',
      consent: { email: { status: 'subscribed' } },
    });
    const t = signToken(TEST_SECRET, {
      kind: 'preferences',
      tenantId: caller.tenantId,
      campaignId: campaign.campaignId,
      contactId: contact.contactId,
    });
    await preferences(deps, t, { method: 'POST', contentType: form, body: 'form=preferences&email=subscribed', action: '/p/t' });
    expect((await deps.contacts.get(caller.tenantId, contact.contactId))?.consent.sms.status).toBe('unknown');
  });
});

describe('unsubscribe by mail (the List-Unsubscribe mailto:)', () => {
  it('offers the mailto only with a mailbox Herald receives, and a mail with the token in its subject unsubscribes', async () => {
    const w = await world(1);
    const { campaign } = await createCampaign(w.deps, caller, w.campaign());
    await w.deps.settings.saveSending(caller.tenantId, {
      email: { from: 'news@shop.example', unsubscribeMailbox: 'unsubscribe@mail.shop.example' },
    });
    await launchCampaign(w.deps, caller, campaign.campaignId);
    await play(w.deps, w.clock);
    const header = (w.deps.delivered.emails[0] as OutgoingEmail).headers?.['List-Unsubscribe'] ?? '';
    const subject = decodeURIComponent(/<mailto:unsubscribe@mail\.shop\.example\?subject=([^>]+)>/.exec(header)?.[1] ?? '');
    expect(subject).toMatch(/^unsubscribe [A-Za-z0-9_-]{60,}$/);
    expect(await unsubscribeByMail(w.deps, 'Re: hello')).toBe('ignored');
    expect(await unsubscribeByMail(w.deps, `unsubscribe ${'A'.repeat(80)}`)).toBe('ignored');
    expect(await unsubscribeByMail(w.deps, subject)).toBe('unsubscribed');
    expect((await w.deps.contacts.get(caller.tenantId, w.ids[0] as string))?.consent.email).toMatchObject({
      status: 'unsubscribed',
      source: `mailto:${campaign.campaignId}`,
    });
  });
});

describe('erasure', () => {
  it("erasing a contact removes its messages' link targets, and its links then go nowhere", async () => {
    const { deps, campaign, ids, token } = await sent();
    await eraseContact(deps, caller, ids[0] as string);
    expect(deps.world.sends.get(caller.tenantId, `${campaign.campaignId}.${ids[0]}`)?.links).toBeUndefined();
    expect(await followLink(deps, token('r'), human)).toMatchObject({ status: 404 });
  });
});

describe('SMS short links', () => {
  it('an SMS carries short links that redirect and count like email clicks; unknown codes are 404', async () => {
    const w = await world(0, {
      contacts: [{ phone: '+447700900321', firstName: 'Sam', consent: { sms: { status: 'subscribed' } } }],
    });
    const { template } = await (await import('../../../shared/services/template-authoring.ts')).createTemplate(w.deps, caller, {
      name: 'Text with a link',
      channel: 'sms',
      sms: { body: 'Hi {{ contact.firstName }}, 20% off: https://shop.example/sale?x=1 today.' },
    });
    const { campaign } = await createCampaign(
      w.deps,
      caller,
      w.campaign({ channel: 'sms', variants: [{ name: 'A', sms: template.templateId }] }),
    );
    await launchCampaign(w.deps, caller, campaign.campaignId);
    await play(w.deps, w.clock);
    const text = w.deps.delivered.texts[0]?.body ?? '';
    const code = /https:\/\/herald\.example\/s\/([A-Za-z0-9_-]{12}) today\./.exec(text)?.[1] as string;
    expect(code).toBeDefined();
    w.clock.advance(60_000);
    expect(await followShortLink(w.deps, code, human)).toEqual({
      redirect: 'https://shop.example/sale?x=1&utm_source=herald&utm_medium=sms&utm_campaign=Spring&utm_content=A',
    });
    expect((await getCampaign(w.deps, caller, campaign.campaignId)).counts.variants.A).toMatchObject({ clicked: 1, clicks: 1 });
    for (const bad of ['', 'x', `${code.slice(0, 11)}z`, `AAAAAAAAAAA0`, `${code}0`])
      expect(await followShortLink(w.deps, bad, human)).toMatchObject({ status: 404 });
  });
});

describe('topics on the preference page', () => {
  const topics = [
    {
      name: 'newsletter',
      displayName: 'Monthly newsletter',
      description: 'News, once a month',
      defaultStatus: 'subscribed',
      labels: { de: { displayName: 'Monatlicher Newsletter', description: 'Neues, einmal im Monat' } },
    },
    { name: 'offers', displayName: 'Offers', defaultStatus: 'unsubscribed' },
  ] as const;

  /** A workspace with an opt-out and an opt-in topic, a contact, and its preference page token. */
  async function page(
    contact: Parameters<typeof upsertContact>[2] = { email: 'p@example.com', consent: { email: { status: 'subscribed' } } },
  ) {
    const w = await world(0);
    await updateSendingSettings(w.deps, caller, { email: { from: 'news@shop.example' }, topics: [...topics] });
    const { campaign } = await createCampaign(w.deps, caller, w.campaign());
    const { contact: created } = await upsertContact(w.deps, caller, contact);
    const token = signToken(TEST_SECRET, {
      kind: 'preferences',
      tenantId: caller.tenantId,
      campaignId: campaign.campaignId,
      contactId: created.contactId,
    });
    const open = async (method = 'GET', body = '') =>
      (await preferences(w.deps, token, { method, contentType: form, body, action: '/p/t' })) as { status: number; html: string };
    return { ...w, campaign, contactId: created.contactId, open };
  }
  const box = (html: string, name: string) =>
    new RegExp(`<input type="checkbox" name="topic\\.${name}" value="subscribed"( checked)?>`).exec(html);

  it('shows a box per workspace topic below the channels, ticked by the effective status, with its description', async () => {
    const { open } = await page();
    const { status, html } = await open();
    expect(status).toBe(200);
    expect(html).toContain('<legend><strong>Topics</strong></legend>');
    expect(html.indexOf('name="email"')).toBeLessThan(html.indexOf('name="topic.newsletter"'));
    expect(box(html, 'newsletter')?.[1]).toBe(' checked'); // opt-out: subscribed until the contact says otherwise
    expect(box(html, 'offers')?.[1]).toBeUndefined(); // opt-in
    expect(html).toContain('Monthly newsletter</label><br><small>News, once a month</small>');
  });

  it('saves topic choices with the source preferences:<campaign>, in the contact and its consent history', async () => {
    // Arrange
    const { deps, open, contactId, campaign } = await page();
    // Act: newsletter unticked, offers ticked.
    const { html } = await open('POST', 'form=preferences&email=subscribed&topic.offers=subscribed');
    // Assert
    expect(html).toContain('Your preferences are saved.');
    expect(box(html, 'newsletter')?.[1]).toBeUndefined();
    expect(box(html, 'offers')?.[1]).toBe(' checked');
    const source = `preferences:${campaign.campaignId}`;
    const contact = await deps.contacts.get(caller.tenantId, contactId);
    expect(contact?.topics).toEqual({
      newsletter: { status: 'unsubscribed', source, at: expect.any(String) },
      offers: { status: 'subscribed', source, at: expect.any(String) },
    });
    expect(contact?.consent.email.status).toBe('subscribed');
    const history = (await deps.contacts.contents(caller.tenantId, contactId)).consentHistory.filter((e) => e.topic !== undefined);
    expect(history.map((e) => [e.topic, e.from, e.to, e.source]).sort()).toEqual([
      ['newsletter', 'unknown', 'unsubscribed', source],
      ['offers', 'unknown', 'subscribed', source],
    ]);
    // Saving the same again changes nothing more.
    await open('POST', 'form=preferences&email=subscribed&topic.offers=subscribed');
    expect((await deps.contacts.contents(caller.tenantId, contactId)).consentHistory.filter((e) => e.topic)).toHaveLength(2);
  });

  it('an unticked opt-in topic never chosen stays unknown; a ticked opt-out one never chosen writes nothing either', async () => {
    const { deps, open, contactId } = await page();
    await open('POST', 'form=preferences&email=subscribed&topic.newsletter=subscribed');
    expect((await deps.contacts.get(caller.tenantId, contactId))?.topics).toBeUndefined();
    expect((await deps.contacts.contents(caller.tenantId, contactId)).consentHistory.filter((e) => e.topic)).toEqual([]);
  });

  it('a page saved after a topic was added changes only the topics it showed', async () => {
    const { deps, open, contactId } = await page();
    const { html } = await open();
    expect(html).toContain('<input type="hidden" name="topics" value="newsletter,offers">');
    // A new opt-out topic appears after the page was rendered; the old page is then saved unchanged.
    await updateSendingSettings(deps, caller, {
      email: { from: 'news@shop.example' },
      topics: [...topics, { name: 'events', displayName: 'Events', defaultStatus: 'subscribed' }],
    });
    await open('POST', 'form=preferences&topics=newsletter,offers&email=subscribed&topic.newsletter=subscribed');
    expect((await deps.contacts.get(caller.tenantId, contactId))?.topics?.events).toBeUndefined(); // still subscribed by default
  });

  it("is in German for a German contact, with the topic's German label (and the English name where there is none)", async () => {
    const { open } = await page({ email: 'd@example.com', locale: 'de-AT', consent: { email: { status: 'subscribed' } } });
    const { html } = await open();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<legend><strong>Themen</strong></legend>');
    expect(html).toContain('Monatlicher Newsletter</label><br><small>Neues, einmal im Monat</small>');
    expect(html).toMatch(/name="topic\.offers" value="subscribed"> Offers<\/label>/);
  });

  it('a workspace without topics shows no topics, and a topic campaign still unsubscribes the channel in one click', async () => {
    const w = await world(1);
    const { html } = (await preferences(
      w.deps,
      signToken(TEST_SECRET, { kind: 'preferences', tenantId: caller.tenantId, campaignId: 'cp_x', contactId: w.ids[0] as string }),
      { method: 'GET', contentType: undefined, body: '', action: '/p/t' },
    )) as { html: string };
    expect(html).not.toContain('Topics');
    // One-click unsubscribe from a topic campaign: the channel, as RFC 8058 expects.
    await updateSendingSettings(w.deps, caller, { email: { from: 'news@shop.example' }, topics: [...topics] });
    const { campaign } = await createCampaign(w.deps, caller, w.campaign({ topic: 'newsletter' }));
    await launchCampaign(w.deps, caller, campaign.campaignId);
    await play(w.deps, w.clock);
    const email = w.deps.delivered.emails[0] as OutgoingEmail;
    const token = /\/u\/([A-Za-z0-9_-]+)/.exec(email.headers?.['List-Unsubscribe'] ?? '')?.[1] as string;
    const done = await unsubscribe(w.deps, token, {
      contentType: form,
      body: 'List-Unsubscribe=One-Click',
      preferences: async () => '/p/x',
    });
    expect(done).toMatchObject({ status: 200, html: expect.stringContaining('href="/p/x"') });
    const contact = await w.deps.contacts.get(caller.tenantId, w.ids[0] as string);
    expect(contact?.consent.email.status).toBe('unsubscribed');
    expect(contact?.topics).toBeUndefined();
  });
});
