/**
 * Campaigns end to end on the local stack, through the public API and the real SDK clients:
 * launch, audience resolution on the queue workers, paced senders into the SES emulator's
 * mailbox with RFC 8058 headers and tags, SES simulator events back into the counters, and a
 * fault-injection run (throttling, random SES failures, a sender crash) with 0 duplicates and
 * 0 lost recipients.
 */
import { describe, expect, it } from 'vitest';
import { usePlatform } from '../helpers/platform.ts';

// A dropped answer is taken as a dead sender after 2 s here (120 s by default).
const t = usePlatform({ ses: { maxSendRate: 500 }, claimInFlightMs: 2000 });

interface MailboxEmail {
  messageId: string;
  to: string;
  subject: string;
  headers?: { name: string; value: string }[];
  tags?: Record<string, string>;
  configurationSet?: string;
}

/** Every email in the mailbox of one campaign (by its tag). */
async function mailOf(campaignId: string): Promise<MailboxEmail[]> {
  const res = await fetch(`${t.platform.mailboxUrl}/messages`);
  const body = (await res.json()) as { emails: (Omit<MailboxEmail, 'to'> & { destination: { to: string[] } })[] };
  return body.emails.filter((e) => e.tags?.campaign === campaignId).map((e) => ({ ...e, to: e.destination.to.join(',') }));
}

const sub = { status: 'subscribed' };

async function setUp(addresses: string[]) {
  await t.api('PUT', '/settings/sending', {
    email: { from: 'news@shop.example', fromName: 'Shop' },
    sms: { originationIdentity: '+15550100' },
  });
  const template = (
    await t.api('POST', '/templates', {
      name: 'Offer',
      channel: 'email',
      email: {
        subject: 'Offer for {{ contact.firstName | default: "you" }}',
        html: '<p>Hi</p><a href="https://shop.example/spring">Shop the spring range</a> <a href="{% unsubscribe_url %}">Unsubscribe</a>',
      },
    })
  ).body;
  const list = (await t.api('POST', '/lists', { name: `Audience ${addresses.length}` })).body;
  const ids: string[] = [];
  for (const email of addresses) ids.push((await t.api('POST', '/contacts', { email, consent: { email: sub } })).body.contactId);
  await t.api('POST', `/lists/${list.listId}/members`, { contactIds: ids });
  return { template, list, ids };
}

describe('campaigns on the local stack', () => {
  it('launches, sends each recipient once with List-Unsubscribe and tags, completes, and lists recipients', async () => {
    const addresses = Array.from({ length: 12 }, (_, i) => `reader${i}@example.com`);
    const { template, list } = await setUp(addresses);
    const created = await t.api('POST', '/campaigns', {
      name: 'Spring',
      channel: 'email',
      variants: [{ name: 'A', email: template.templateId }],
      audience: { lists: [list.listId] },
    });
    expect(created.status).toBe(201);
    const launched = await t.api('POST', `/campaigns/${created.body.campaignId}/launch`);
    expect(launched.status).toBe(202);
    expect(launched.body.status).toBe('sending');
    expect((await t.api('POST', `/campaigns/${created.body.campaignId}/launch`)).status).toBe(409);
    expect((await t.api('PATCH', `/campaigns/${created.body.campaignId}`, { name: 'x' })).status).toBe(409);
    await t.platform.drainQueues(30_000);

    const view = (await t.api('GET', `/campaigns/${created.body.campaignId}`)).body;
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ audience: 12, variants: { A: { queued: 12, sent: 12, failed: 0, unknown: 0 } } });
    const mail = await mailOf(created.body.campaignId);
    expect(mail.map((m) => m.to).sort()).toEqual([...addresses].sort());
    const headers = Object.fromEntries((mail[0]?.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers['List-Unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/u\/[A-Za-z0-9_-]{60,}>$/);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail[0]?.tags).toMatchObject({ campaign: created.body.campaignId, variant: 'A' });
    expect(mail[0]?.configurationSet).toBe('herald-local');

    // The recipient side through the gateway: a tracked link, the pixel, one-click unsubscribe as a mail client sends it.
    const store = (await (await fetch(`${t.platform.mailboxUrl}/store`)).json()) as {
      emails: { messageId: string; body: { html?: string } }[];
    };
    const body = store.emails.find((e) => e.messageId === mail[0]?.messageId)?.body.html ?? '';
    const click = /href="(http:\/\/127\.0\.0\.1:\d+\/r\/[^"]+)"/.exec(body)?.[1] as string;
    const redirect = await fetch(click, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Firefox/130.0' } });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(
      'https://shop.example/spring?utm_source=herald&utm_medium=email&utm_campaign=Spring&utm_content=A',
    );
    const pixel = /src="(http:\/\/127\.0\.0\.1:\d+\/o\/[^"]+)"/.exec(body)?.[1] as string;
    const gif = await fetch(pixel);
    expect([gif.status, gif.headers.get('content-type')]).toEqual([200, 'image/gif']);
    const unsubscribeUrl = /^<([^>]+)>/.exec(headers['List-Unsubscribe'] ?? '')?.[1] as string;
    const oneClick = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const unsubscribed = (await t.api('GET', `/contacts?email=${encodeURIComponent(mail[0]?.to ?? '')}`)).body.items[0];
    expect(unsubscribed.consent.email).toMatchObject({ status: 'unsubscribed', source: `one-click:${created.body.campaignId}` });
    const engaged = (await t.api('GET', `/campaigns/${created.body.campaignId}`)).body.counts.variants.A;
    expect(engaged.clicks + engaged.machineClicks).toBe(1); // a click within a second of sending counts as a scanner's
    expect(engaged.opens + engaged.machineOpens).toBe(1);
    expect(engaged.unsubscribed).toBe(1);
    expect((await fetch(click.replace(/\/r\/.{4}/, '/r/AAAA'), { redirect: 'manual' })).status).toBe(404);

    const page1 = await t.api('GET', `/campaigns/${created.body.campaignId}/recipients?status=sent&limit=5`);
    expect(page1.body.items).toHaveLength(5);
    const rest = await t.api('GET', `/campaigns/${created.body.campaignId}/recipients?status=sent&limit=50&cursor=${page1.body.cursor}`);
    expect(new Set([...page1.body.items, ...rest.body.items].map((r: { contactId: string }) => r.contactId)).size).toBe(12);
    expect((await t.api('GET', `/campaigns/${created.body.campaignId}/recipients?cursor=nope`)).status).toBe(400);
  });

  it('turns SES simulator bounces and complaints into counters on the campaign', async () => {
    const { template, list } = await setUp([
      'success@simulator.amazonses.com',
      'bounce@simulator.amazonses.com',
      'complaint@simulator.amazonses.com',
    ]);
    const campaign = (
      await t.api('POST', '/campaigns', {
        name: 'Feedback',
        channel: 'email',
        variants: [{ name: 'A', email: template.templateId }],
        audience: { lists: [list.listId] },
      })
    ).body;
    await t.api('POST', `/campaigns/${campaign.campaignId}/launch`);
    await t.platform.drainQueues(30_000);
    const view = (await t.api('GET', `/campaigns/${campaign.campaignId}`)).body;
    expect(view.counts.variants.A).toMatchObject({ sent: 3, delivered: 2, bounced: 1, complained: 1 });
    const sent = (await t.api('GET', `/campaigns/${campaign.campaignId}/recipients?status=sent`)).body.items;
    expect(sent.filter((r: { bounceType?: string }) => r.bounceType === 'Permanent')).toHaveLength(1);
    // The bounce and the complaint put their addresses on the workspace suppression list.
    const suppressed = (await t.api('GET', '/suppressions?channel=email')).body.items.map((s: { address: string; reason: string }) => [
      s.address,
      s.reason,
    ]);
    expect(suppressed).toEqual(
      expect.arrayContaining([
        ['bounce@simulator.amazonses.com', 'hard_bounce'],
        ['complaint@simulator.amazonses.com', 'complaint'],
      ]),
    );
    expect((await t.api('POST', '/suppressions', { channel: 'sms', address: 'nope' })).status).toBe(400);
    expect((await t.api('DELETE', '/suppressions/email/nobody%40example.com')).status).toBe(404);
  });

  it('sends an SMS campaign with its origination identity and a short link, and counts the delivery receipts', async () => {
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' }, sms: { originationIdentity: '+15550100' } });
    const contact = (await t.api('POST', '/contacts', { phone: '+447700900888', firstName: 'Sam', consent: { sms: sub } })).body;
    const list = (await t.api('POST', '/lists', { name: 'SMS audience' })).body;
    await t.api('POST', `/lists/${list.listId}/members`, { contactIds: [contact.contactId] });
    const template = (
      await t.api('POST', '/templates', {
        name: 'Text',
        channel: 'sms',
        sms: { body: 'Hi {{ contact.firstName }}: https://shop.example/sms' },
      })
    ).body;
    const campaign = (
      await t.api('POST', '/campaigns', {
        name: 'SMS',
        channel: 'sms',
        variants: [{ name: 'A', sms: template.templateId }],
        audience: { lists: [list.listId] },
      })
    ).body;
    await t.api('POST', `/campaigns/${campaign.campaignId}/launch`);
    await t.platform.drainQueues(30_000);
    const text = t.platform.texts.find((x) => x.to === '+447700900888');
    expect(text?.from).toBe('+15550100');
    expect(text?.body).toMatch(/^Hi Sam: http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{12}$/);
    const view = (await t.api('GET', `/campaigns/${campaign.campaignId}`)).body;
    expect(view.counts.variants.A).toMatchObject({ sent: 1, delivered: 1 });
    const redirect = await fetch(text?.body.split(': ')[1] as string, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toMatch(/^https:\/\/shop\.example\/sms\?utm_source=herald&utm_medium=sms/);
  });

  it('a STOP reply to the SMS number (the local outbox plays the phone) unsubscribes that contact from SMS', async () => {
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example' }, sms: { originationIdentity: '+15550100' } });
    const contact = (await t.api('POST', '/contacts', { phone: '+447700900777', consent: { sms: sub } })).body;
    const reply = await fetch(`${t.platform.smsOutboxUrl}/reply`, {
      method: 'POST',
      body: JSON.stringify({ from: '+447700900777', to: '+15550100', body: 'STOP' }),
    });
    expect(reply.status).toBe(202);
    await t.platform.drainQueues(10_000);
    const after = (await t.api('GET', `/contacts/${contact.contactId}`)).body;
    expect(after.consent.sms).toMatchObject({ status: 'unsubscribed', source: 'sms-keyword:STOP' });
  });

  it('with an unsubscribe mailbox, List-Unsubscribe offers the mailto too, and a mail to it unsubscribes', async () => {
    const { template, list } = await setUp(['mailto.reader@example.com']);
    await t.api('PUT', '/settings/sending', { email: { from: 'news@shop.example', unsubscribeMailbox: 'unsubscribe@mail.shop.example' } });
    const campaign = (
      await t.api('POST', '/campaigns', {
        name: 'Mailto',
        channel: 'email',
        variants: [{ name: 'A', email: template.templateId }],
        audience: { lists: [list.listId] },
      })
    ).body;
    await t.api('POST', `/campaigns/${campaign.campaignId}/launch`);
    await t.platform.drainQueues(30_000);
    const header = (await mailOf(campaign.campaignId))[0]?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    const subject = decodeURIComponent(/<mailto:unsubscribe@mail\.shop\.example\?subject=([^>]+)>/.exec(header)?.[1] ?? '');
    const mail = await fetch(`${t.platform.mailboxUrl}/inbound`, {
      method: 'POST',
      body: JSON.stringify({ to: 'unsubscribe@mail.shop.example', subject }),
    });
    expect(mail.status).toBe(202);
    await t.platform.drainQueues(10_000);
    const contact = (await t.api('GET', '/contacts?email=mailto.reader%40example.com')).body.items[0];
    expect(contact.consent.email).toMatchObject({ status: 'unsubscribed', source: `mailto:${campaign.campaignId}` });
  });

  it('answers bad campaign input with 400s naming the field, never a 500', async () => {
    const bad = await t.api('POST', '/campaigns', { name: '', channel: 'fax', variants: [], audience: {} });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.channel', 'body.variants']));
    expect((await t.api('POST', '/campaigns/cp_missing/launch')).status).toBe(404);
    expect((await t.api('GET', '/campaigns/cp_missing/recipients?status=nope')).status).toBe(400);
  });

  it('with SES throttling, random SES failures and a dead sender, sends 0 duplicates and loses 0 recipients', async () => {
    const addresses = Array.from({ length: 60 }, (_, i) => `fault${i}@example.com`);
    const { template, list } = await setUp(addresses);
    const campaign = (
      await t.api('POST', '/campaigns', {
        name: 'Faults',
        channel: 'email',
        variants: [{ name: 'A', email: template.templateId }],
        audience: { lists: [list.listId] },
      })
    ).body;
    t.platform.ses.resetStats();
    // A throttle below the account rate the senders pace to, and one call in five failing on SES's side.
    t.platform.ses.configure({ throttlePerSecond: 40, failureRate: 0.2 });
    // A sender that dies after SES accepted one message (the window no email API closes).
    let killed = false;
    t.platform.ses.configure({
      fault: ({ to }) => {
        if (!killed && to[0] === 'fault7@example.com') {
          killed = true;
          return 'drop';
        }
        return undefined;
      },
    });
    await t.api('POST', `/campaigns/${campaign.campaignId}/launch`);
    await t.platform.drainQueues(100_000);
    t.platform.ses.configure({ throttlePerSecond: undefined, failureRate: 0, fault: undefined });

    const stats = t.platform.ses.stats();
    const mail = await mailOf(campaign.campaignId);
    const recipients = (await t.api('GET', `/campaigns/${campaign.campaignId}/recipients?limit=500`)).body.items as { status: string }[];
    const view = (await t.api('GET', `/campaigns/${campaign.campaignId}`)).body;
    // 0 duplicates: no address got two emails. 0 lost: every recipient has a final status.
    expect(new Set(mail.map((m) => m.to)).size).toBe(mail.length);
    expect(recipients).toHaveLength(60);
    expect(recipients.filter((r) => r.status === 'queued' || r.status === 'deferred')).toEqual([]);
    expect(stats.failed + stats.throttled).toBeGreaterThan(0);
    expect(view.counts.variants.A.sent + view.counts.variants.A.unknown).toBe(60);
    expect(view.counts.variants.A.unknown).toBe(1);
    expect(mail).toHaveLength(60); // the unknown one was delivered by SES, and not again
    expect(view.status).toBe('completed');
  }, 120_000); // retries back off (2, 4, 8 … s): a recipient unlucky several times in a row waits a while
});
