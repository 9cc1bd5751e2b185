/**
 * NPS surveys: a campaign (usually triggered, N days after a purchase) with `survey: 'nps'` gets
 * 11 signed score links in its template, or asks by SMS for a digit reply. An answer is kept on
 * the contact (attributes `npsScore`, `npsCategory`, `npsAt`: segmentable) and as an
 * `nps_answered` event (triggers start on it: a promoter's referral request); a detractor joins the
 * "NPS follow-up" list; every answer publishes `nps.answered`. A promoter is given a referral code,
 * and a purchase made with it is credited to them (a `referral_credited` event).
 *
 * Repeats change nothing twice: the event's id is (send, score), the list is a set, the webhook's
 * key is (send, score), the attributes are the same values again.
 */
import { createHash } from 'node:crypto';
import { contactOf, recipientOfClaim, sendIdOf } from '../domain/campaign.ts';
import { type NpsCategory, npsCategory, npsReply, referralCodeOf } from '../domain/nps.ts';
import { badRequestPage, formFields, notFoundPage, npsConfirmPage, npsThanksPage, pageLanguage } from '../domain/pages.ts';
import { isMachineRequest } from '../domain/tracking.ts';
import type { Deps } from '../runtime/ports.ts';
import { patchContact } from './contacts.ts';
import { ingestEvents } from './events.ts';
import { addMembers, createList } from './lists.ts';
import type { Answer, RecipientDeps } from './recipients.ts';
import { publishWebhookEvent } from './webhooks.ts';

/** What recording an answer needs (the SMS reply handler has these too). */
export type NpsDeps = Pick<
  Deps,
  | 'contacts'
  | 'events'
  | 'settings'
  | 'segments'
  | 'triggers'
  | 'lists'
  | 'sends'
  | 'campaigns'
  | 'queue'
  | 'webhooks'
  | 'evaluation'
  | 'now'
  | 'newId'
>;

/** How long after an NPS text a digit reply still answers it. */
const REPLY_WINDOW_MS = 14 * 86_400_000;
/** The follow-up list every detractor joins (one per workspace, made on the first detractor). */
export const FOLLOW_UP_LIST = { name: 'NPS follow-up', key: 'nps-follow-up' };

/**
 * A score link. A person's GET records the answer and shows a thank-you page with a comment
 * form; a scanner's or prefetcher's fetch gets a page with a button (its POST records it). A POST
 * with `comment` keeps the comment.
 */
export async function npsLink(
  deps: NpsDeps & Pick<RecipientDeps, 'tokens'>,
  token: string,
  request: { method: string; userAgent?: string | undefined; contentType?: string | undefined; body?: string; action: string },
): Promise<Answer> {
  const claims = await deps.tokens.verify(token);
  if (claims?.kind !== 'nps' || claims.link === undefined) return { status: 404, html: notFoundPage() };
  const score = claims.link;
  const record = (await deps.sends.getMany(claims.tenantId, claims.campaignId, [claims.contactId])).get(claims.contactId);
  const contact = await deps.contacts.get(claims.tenantId, contactOf(claims.contactId));
  if (!record || (record.status !== 'sent' && record.status !== 'unknown') || !contact) return { status: 404, html: notFoundPage() };
  const language = pageLanguage(contact.locale);
  const answer = { tenantId: claims.tenantId, campaignId: claims.campaignId, key: claims.contactId, score, channel: 'email' as const };
  if (request.method !== 'POST') {
    const machine = isMachineRequest({
      method: request.method,
      ...(request.userAgent ? { userAgent: request.userAgent } : {}),
      at: deps.now(),
      ...(record.sentAt ? { sentAt: new Date(record.sentAt) } : {}),
    });
    if (machine.machine) return { status: 200, html: npsConfirmPage({ language, score, action: request.action }) };
    await recordNpsAnswer(deps, answer);
    return { status: 200, html: npsThanksPage({ language, score, action: request.action }) };
  }
  const fields = formFields(request.body ?? '');
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.contentType ?? '')) return { status: 400, html: badRequestPage(language) };
  if (fields.score !== undefined) {
    if (fields.score !== String(score)) return { status: 400, html: badRequestPage(language) };
    await recordNpsAnswer(deps, answer);
    return { status: 200, html: npsThanksPage({ language, score, action: request.action }) };
  }
  const comment = fields.comment?.trim().slice(0, 1000);
  // A comment goes with the answer this link recorded: the contact's answer now is this message's, this score.
  const answered = contact.attributes.npsScore === score && contact.attributes.npsSend === sendIdOf(claims.campaignId, claims.contactId);
  if (comment === undefined || !answered) return { status: 400, html: badRequestPage(language) };
  if (comment !== '') {
    await patchContact(deps, { tenantId: claims.tenantId }, contact.contactId, {
      attributes: { npsComment: comment, npsCommentAt: deps.now().toISOString() },
    });
    const sendId = sendIdOf(claims.campaignId, claims.contactId);
    await publishWebhookEvent(
      deps,
      claims.tenantId,
      'nps.answered',
      { contactId: contact.contactId, campaignId: claims.campaignId, sendId, score, category: npsCategory(score), comment },
      `${sendId}:nps:${score}:comment:${createHash('sha256').update(comment).digest('hex').slice(0, 16)}`,
    );
  }
  return { status: 200, html: npsThanksPage({ language, score, action: request.action, commentSaved: true }) };
}

/** Records one answer to one survey message (`key`: the send record's key). */
export async function recordNpsAnswer(
  deps: NpsDeps,
  a: { tenantId: string; campaignId: string; key: string; score: number; channel: 'email' | 'sms' },
): Promise<NpsCategory> {
  const { tenantId, campaignId, key, score } = a;
  const contactId = contactOf(key);
  const sendId = sendIdOf(campaignId, key);
  const category = npsCategory(score);
  const referralCode = category === 'promoter' ? referralCodeOf(contactId) : undefined;
  await patchContact(deps, { tenantId }, contactId, {
    attributes: {
      npsScore: score,
      npsCategory: category,
      npsAt: deps.now().toISOString(),
      npsCampaign: campaignId,
      npsSend: sendId,
      // A new answer: the comment, if any, was about the one before.
      npsComment: null,
      npsCommentAt: null,
      ...(referralCode ? { referralCode } : {}),
    },
  });
  // An event too: segments count answers, and triggers start on it (a promoter's referral request).
  await ingestEvents(deps, { tenantId }, [
    { eventId: `nps:${sendId}:${score}`, type: 'nps_answered', contactId, properties: { score, category, campaignId, channel: a.channel } },
  ]);
  if (category === 'detractor') {
    const { list } = await createList(
      deps,
      { tenantId },
      { name: FOLLOW_UP_LIST.name, description: 'Detractors to contact, added by NPS answers' },
      FOLLOW_UP_LIST.key,
    );
    await addMembers(deps, { tenantId }, list.listId, [contactId]);
  }
  await publishWebhookEvent(
    deps,
    tenantId,
    'nps.answered',
    { contactId, campaignId, sendId, score, category, channel: a.channel },
    `${sendId}:nps:${score}`,
  );
  return category;
}

/**
 * A text reply that is a score (0-10) answers the contact's latest NPS text of the last 14 days,
 * found through its send log; undefined when there is none to answer.
 */
export async function answerByText(deps: NpsDeps, tenantId: string, contactId: string, body: string): Promise<NpsCategory | undefined> {
  const score = npsReply(body);
  if (score === undefined) return undefined;
  const log = (await deps.sends.sendLogs(tenantId, [contactId])).get(contactId);
  const since = deps.now().getTime() - REPLY_WINDOW_MS;
  const recent = Object.entries(log?.claims ?? {})
    .filter(([, at]) => at >= since)
    .sort(([, a], [, b]) => b - a);
  for (const [claim] of recent) {
    const { campaignId, key } = recipientOfClaim(claim, contactId);
    const campaign = await deps.campaigns.get(tenantId, campaignId);
    if (campaign?.survey !== 'nps') continue;
    const record = (await deps.sends.getMany(tenantId, campaignId, [key])).get(key);
    if (record?.channel !== 'sms' || (record.status !== 'sent' && record.status !== 'unknown')) continue;
    return recordNpsAnswer(deps, { tenantId, campaignId, key, score, channel: 'sms' });
  }
  return undefined;
}
