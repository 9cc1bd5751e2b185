/**
 * NPS surveys over in-memory ports and a simulated clock: a triggered survey N days after a
 * purchase with 11 signed score links; one click records the answer on the contact (segmentable
 * attributes, an event), a detractor joins the follow-up list, every answer is a webhook; a
 * scanner's fetch records nothing; a comment; an SMS digit reply; a promoter's referral code
 * credited once per purchase.
 */
import { describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../../shared/domain/webhook.ts';
import { signToken } from '../../../shared/domain/tracking.ts';
import { createCampaign, launchCampaign } from '../../../shared/services/campaigns.ts';
import { upsertContact } from '../../../shared/services/contacts.ts';
import { ingestEvents } from '../../../shared/services/events.ts';
import { handleInboundSms } from '../../../shared/services/sms-inbound.ts';
import { createTemplate } from '../../../shared/services/template-authoring.ts';
import { sweepDue } from '../../../shared/services/triggers.ts';
import { createWebhook } from '../../../shared/services/webhooks.ts';
import { npsLink } from '../../../shared/services/nps.ts';
import { caller, play, world } from '../../helpers/campaign-world.ts';
import { TEST_SECRET } from '../../helpers/fakes.ts';

const DAY = 86_400_000;
const human = {
  method: 'GET',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
};
const form = 'application/x-www-form-urlencoded';

async function survey(channel: 'email' | 'sms' = 'email') {
  const w = await world(0);
  const { contact } = await upsertContact(w.deps, caller, {
    email: 'ann@example.com',
    phone: '+447700900123',
    consent: { email: { status: 'subscribed' }, sms: { status: 'subscribed' } },
  });
  w.clock.advance(1000); // parsed templates are cached by id and time: fake ids repeat across tests
  const { template } = await createTemplate(w.deps, caller, {
    name: 'How did we do?',
    channel: 'email',
    email: {
      subject: 'How likely are you to recommend us?',
      html: '<p>{% for i in (0..10) %}<a href="{{ links.nps[i] }}">{{ i }}</a> {% endfor %}</p><a href="https://shop.example">Shop</a>',
    },
  });
  const { campaign } = await createCampaign(w.deps, caller, {
    name: 'NPS after a purchase',
    channel,
    survey: 'nps',
    variants: [channel === 'email' ? { name: 'A', email: template.templateId } : { name: 'A', sms: w.sms.templateId }],
    trigger: { on: { event: 'purchase', where: [] }, delay: 'P7D' },
  });
  await launchCampaign(w.deps, caller, campaign.campaignId);
  await createWebhook(w.deps, caller, { url: 'https://hooks.example/herald', events: ['nps.answered'] });
  await ingestEvents(w.deps, caller, [
    { eventId: 'o1', type: 'purchase', contactId: contact.contactId, orderId: 'o1', total: 30, currency: 'EUR', items: [] },
  ]);
  w.clock.advance(7 * DAY + 60_000);
  await sweepDue(w.deps);
  await play(w.deps, w.clock);
  w.clock.advance(60_000);
  const html = w.deps.delivered.emails[0]?.html ?? '';
  const scoreLinks = [...html.matchAll(/https:\/\/herald\.example\/n\/([A-Za-z0-9_-]+)/g)].map((m) => m[1] as string);
  const webhooks = () => w.deps.sent.filter((s) => s.queue === 'webhook-deliveries').map((s) => (s.message as WebhookDelivery).event);
  const contactNow = async () => (await w.deps.contacts.get(caller.tenantId, contact.contactId))!;
  const answer = (score: number, request: Partial<Parameters<typeof npsLink>[2]> = {}) =>
    npsLink(w.deps, scoreLinks[score] as string, { ...human, action: '/n/x', ...request });
  return { ...w, contact, campaign, html, scoreLinks, webhooks, contactNow, answer };
}

describe('NPS surveys', () => {
  it('sends 11 signed score links that are not rewritten as tracked links', async () => {
    const s = await survey();
    expect(s.scoreLinks).toHaveLength(11);
    expect(new Set(s.scoreLinks).size).toBe(11);
    expect(s.html).toContain('https://herald.example/r/'); // the shop link is tracked
  });

  it('one click records a detractor: attributes, an event, the follow-up list and a webhook; a repeat adds nothing', async () => {
    const s = await survey();
    const page = await s.answer(3);
    expect(page).toMatchObject({ status: 200, html: expect.stringContaining('<textarea') });
    await s.answer(3);
    const contact = await s.contactNow();
    expect(contact.attributes).toMatchObject({ npsScore: 3, npsCategory: 'detractor', npsCampaign: s.campaign.campaignId });
    const events = await s.deps.events.forContact(caller.tenantId, s.contact.contactId);
    expect(events.filter((e) => e.type === 'nps_answered')).toMatchObject([{ properties: { score: 3, category: 'detractor' } }]);
    const lists = await s.deps.lists.list(caller.tenantId, 10);
    const followUp = lists.items.find((l) => l.name === 'NPS follow-up');
    expect(followUp?.memberCount).toBe(1);
    const hooks = s.webhooks().filter((e) => e.type === 'nps.answered');
    expect(new Set(hooks.map((e) => e.id)).size).toBe(1);
    expect(hooks[0]?.data).toMatchObject({ score: 3, category: 'detractor', contactId: s.contact.contactId });
  });

  it('a scanner fetching a score link records nothing and gets a button; the button records it', async () => {
    const s = await survey();
    const page = await s.answer(8, { method: 'GET', userAgent: 'Mozilla/5.0 (compatible; BarracudaCentral)' });
    expect(page).toMatchObject({ status: 200, html: expect.stringContaining('name="score" value="8"') });
    expect((await s.contactNow()).attributes.npsScore).toBeUndefined();
    await s.answer(8, { method: 'POST', contentType: form, body: 'score=8' });
    expect((await s.contactNow()).attributes).toMatchObject({ npsScore: 8, npsCategory: 'passive' });
    expect(await s.answer(8, { method: 'POST', contentType: form, body: 'score=9' })).toMatchObject({ status: 400 });
  });

  it('keeps a comment on the contact and answers 404 for a forged or foreign token', async () => {
    const s = await survey();
    await s.answer(6);
    const saved = await s.answer(6, { method: 'POST', contentType: form, body: 'comment=Delivery+was+late' });
    expect(saved).toMatchObject({ status: 200, html: expect.stringContaining('role="status"') });
    expect((await s.contactNow()).attributes.npsComment).toBe('Delivery was late');
    // A comment on a score link that was not the answer is refused; a new answer drops the old comment.
    expect(await s.answer(0, { method: 'POST', contentType: form, body: 'comment=hello' })).toMatchObject({ status: 400 });
    await s.answer(9);
    expect((await s.contactNow()).attributes).toMatchObject({ npsScore: 9 });
    expect((await s.contactNow()).attributes.npsComment).toBeUndefined();
    const forged = signToken(new Uint8Array(32).fill(9), {
      kind: 'nps',
      tenantId: caller.tenantId,
      campaignId: s.campaign.campaignId,
      contactId: s.contact.contactId,
      link: 10,
    });
    expect(await npsLink(s.deps, forged, { ...human, action: '/n/x' })).toMatchObject({ status: 404 });
    const notSent = signToken(TEST_SECRET, {
      kind: 'nps',
      tenantId: caller.tenantId,
      campaignId: s.campaign.campaignId,
      contactId: s.contact.contactId,
      link: 10,
    });
    expect(await npsLink(s.deps, notSent, { ...human, action: '/n/x' })).toMatchObject({ status: 404 }); // the record key has a firing
  });

  it('a promoter gets a referral code; a purchase made with it is credited to them once, never to the buyer themselves', async () => {
    const s = await survey();
    await s.answer(10);
    const code = (await s.contactNow()).attributes.referralCode as string;
    expect(code).toMatch(/^[0-9A-Z]{26}$/);
    const friend = {
      eventId: 'f1',
      type: 'purchase',
      email: 'friend@example.com',
      orderId: 'f1',
      total: 50,
      currency: 'EUR',
      referralCode: code,
    };
    await ingestEvents(s.deps, caller, [friend]);
    await ingestEvents(s.deps, caller, [friend]); // the shop retries
    await ingestEvents(s.deps, caller, [{ ...friend, eventId: 'own', orderId: 'own', email: 'ann@example.com' }]); // her own code
    await ingestEvents(s.deps, caller, [{ ...friend, eventId: 'f2', orderId: 'f2', referralCode: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }]); // a code never given
    const credits = (await s.deps.events.forContact(caller.tenantId, s.contact.contactId)).filter((e) => e.type === 'referral_credited');
    expect(credits).toMatchObject([{ properties: { orderId: 'f1', total: 50 } }]);
  });

  it('an SMS survey takes a digit reply as the answer', async () => {
    const s = await survey('sms');
    expect(s.deps.delivered.texts).toHaveLength(1);
    await s.deps.settings.claimSmsOrigin(caller.tenantId, '+15550100');
    const reply = (body: string, id: string) =>
      handleInboundSms(s.deps, {
        originationNumber: '+447700900123',
        destinationNumber: '+15550100',
        messageBody: body,
        inboundMessageId: id,
      } as never);
    expect(await reply('Thanks!', 'm1')).toBe('stored');
    expect(await reply(' 9 ', 'm2')).toBe('answered');
    expect((await s.contactNow()).attributes).toMatchObject({ npsScore: 9, npsCategory: 'promoter' });
  });
});
