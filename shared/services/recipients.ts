/**
 * What a message's recipient does: follows a tracked link, opens the email (the pixel),
 * unsubscribes in one click (RFC 8058), changes preferences. Every request carries a signed
 * token (shared/domain/tracking.ts) that names the workspace, campaign and contact, and for a
 * click the link's index in that recipient's message: a token that does not verify touches
 * nothing and redirects nowhere (there is no open redirect: the target comes from the send
 * record, never from the request).
 */
import { type Channel, type ConsentChange, topicStatus } from '../domain/contact.ts';
import { addTo, contactOf, counter, type CounterDelta, type SendRecord } from '../domain/campaign.ts';
import {
  badRequestPage,
  confirmUnsubscribePage,
  formFields,
  notFoundPage,
  pageLanguage,
  preferencesPage,
  unsubscribedPage,
} from '../domain/pages.ts';
import { isMachineRequest, isOneClickBody, type TokenClaims, withUtm } from '../domain/tracking.ts';
import { messageEventData } from '../domain/webhook.ts';
import type { Deps } from '../runtime/ports.ts';
import { patchContact } from './contacts.ts';
import { publishWebhookEvent } from './webhooks.ts';

export type RecipientDeps = Pick<Deps, 'tokens' | 'sends' | 'campaigns' | 'contacts' | 'now'> & Pick<Deps, 'webhooks' | 'queue'>;

export interface Visit {
  method: string;
  userAgent?: string | undefined;
}

/** What to answer: a page (status and HTML), a redirect, or the pixel. */
export type Answer = { status: number; html: string } | { redirect: string } | { pixel: true };

const notFound = (): Answer => ({ status: 404, html: notFoundPage() });

/** Campaign names for utm_campaign, kept a few minutes (a launched campaign's name does not change). */
const names = new Map<string, { name: string; until: number }>();
async function campaignName(deps: Pick<Deps, 'campaigns'>, tenantId: string, campaignId: string): Promise<string> {
  const key = `${tenantId}/${campaignId}`;
  const hit = names.get(key);
  if (hit && hit.until > Date.now()) return hit.name;
  const name = (await deps.campaigns.get(tenantId, campaignId))?.name ?? campaignId;
  if (names.size > 1000) names.clear();
  names.set(key, { name, until: Date.now() + 5 * 60_000 });
  return name;
}

/**
 * An http(s) URL as a Location header may carry it (percent-encoded, IDN in punycode), or
 * undefined: a target that does not parse is not followed (nor counted).
 */
function httpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

async function verified(deps: RecipientDeps, token: string, kind: TokenClaims['kind']): Promise<TokenClaims | undefined> {
  const claims = await deps.tokens.verify(token);
  return claims?.kind === kind ? claims : undefined;
}

async function sentRecord(deps: RecipientDeps, claims: TokenClaims) {
  const record = (await deps.sends.getMany(claims.tenantId, claims.campaignId, [claims.contactId])).get(claims.contactId);
  return record && (record.status === 'sent' || record.status === 'unknown') ? record : undefined;
}

/** A tracked link: 302 to its target (with UTM parameters), counted once per person and in total. */
export async function followLink(deps: RecipientDeps, token: string, visit: Visit): Promise<Answer> {
  const claims = await verified(deps, token, 'click');
  if (!claims || claims.link === undefined) return notFound();
  return follow(deps, { ...claims, link: claims.link }, visit);
}

/**
 * An SMS short link, `/s/<message code><link index in base 36>`: the code (random, 11 characters)
 * names whose message it is; the target comes from that send record, as for email.
 */
export async function followShortLink(deps: RecipientDeps, code: string, visit: Visit): Promise<Answer> {
  if (!/^[A-Za-z0-9_-]{11}[0-9a-z]$/.test(code)) return notFound();
  const owner = await deps.sends.shortLink(code.slice(0, 11));
  if (!owner) return notFound();
  return follow(deps, { ...owner, kind: 'click', link: Number.parseInt(code.slice(11), 36) }, visit);
}

async function follow(deps: RecipientDeps, claims: TokenClaims & { link: number }, visit: Visit): Promise<Answer> {
  const record = await sentRecord(deps, claims);
  const target = httpUrl(record?.links?.[claims.link]);
  if (!record || !target) return notFound();
  await countEngagement(deps, claims, record, 'click', visit);
  const utm = {
    source: 'herald',
    medium: record.channel ?? 'email',
    campaign: await campaignName(deps, claims.tenantId, claims.campaignId),
    ...(record.variant ? { content: record.variant } : {}),
  };
  return { redirect: httpUrl(withUtm(target, utm)) ?? target };
}

/**
 * Counts an open or a click: a machine's apart, a person's once on the record (unique) and in the
 * totals (and, for a click, per link), then one ADD on the campaign's counters.
 */
async function countEngagement(
  deps: RecipientDeps,
  claims: TokenClaims,
  record: SendRecord,
  kind: 'open' | 'click',
  visit: Visit,
): Promise<void> {
  const now = deps.now();
  const v = record.variant ?? '';
  const delta: CounterDelta = {};
  const machine = isMachineRequest({
    method: visit.method,
    ...(visit.userAgent ? { userAgent: visit.userAgent } : {}),
    at: now,
    ...(record.sentAt ? { sentAt: new Date(record.sentAt) } : {}),
  });
  if (machine.machine) addTo(delta, counter.engagement(kind === 'click' ? 'machineClicks' : 'machineOpens', v));
  else {
    const counted = await deps.sends.recordEngagement(claims.tenantId, claims.campaignId, claims.contactId, kind, now.toISOString());
    if (counted) {
      addTo(delta, counter.engagement(kind === 'click' ? 'clicks' : 'opens', v));
      if (kind === 'click' && claims.link !== undefined) addTo(delta, counter.link(v, claims.link));
      if (counted.first) addTo(delta, counter.engagement(kind === 'click' ? 'clicked' : 'opened', v));
      await publishEngagement(deps, claims, counted, kind, now);
    }
  }
  await deps.campaigns.addCounts(claims.tenantId, claims.campaignId, delta);
}

/**
 * message.opened once per message (the first open: opens are noisy, mail clients fetch images
 * again), message.clicked for every click by a person, `unique` on the first; the n-th click of a
 * message has its own event id.
 */
async function publishEngagement(
  deps: RecipientDeps,
  claims: TokenClaims,
  counted: { before: SendRecord; first: boolean },
  kind: 'open' | 'click',
  at: Date,
) {
  const { before, first } = counted;
  if (kind === 'open' && first)
    await publishWebhookEvent(
      deps,
      claims.tenantId,
      'message.opened',
      messageEventData(before),
      `${before.sendId}:opened`,
      at.toISOString(),
    );
  if (kind === 'click' && claims.link !== undefined) {
    const link = { index: claims.link, url: before.links?.[claims.link] ?? '' };
    const data = messageEventData(before, { link, unique: first });
    await publishWebhookEvent(
      deps,
      claims.tenantId,
      'message.clicked',
      data,
      `${before.sendId}:click:${(before.clicks ?? 0) + 1}`,
      at.toISOString(),
    );
  }
}

/** The open pixel: counted once per person and in total; prefetchers apart. Always the pixel, unless the token is not genuine. */
export async function recordOpen(deps: RecipientDeps, token: string, visit: Visit): Promise<Answer> {
  const claims = await verified(deps, token, 'open');
  if (!claims) return notFound();
  const record = await sentRecord(deps, claims);
  if (!record) return { pixel: true };
  await countEngagement(deps, claims, record, 'open', visit);
  return { pixel: true };
}

/** The channel a token's message went out on (email when the record does not say). */
async function channelOf(deps: RecipientDeps, claims: TokenClaims): Promise<Channel> {
  const record = (await deps.sends.getMany(claims.tenantId, claims.campaignId, [claims.contactId])).get(claims.contactId);
  return record?.channel ?? 'email';
}

/** GET of an unsubscribe link: a page that asks (scanners fetch links; a GET never unsubscribes). */
export async function unsubscribeForm(deps: RecipientDeps, token: string, action: string): Promise<Answer> {
  const claims = await verified(deps, token, 'unsubscribe');
  if (!claims) return notFound();
  const [contact, channel] = await Promise.all([deps.contacts.get(claims.tenantId, contactOf(claims.contactId)), channelOf(deps, claims)]);
  return { status: 200, html: confirmUnsubscribePage({ language: pageLanguage(contact?.locale), channel, action }) };
}

/**
 * POST of an unsubscribe link, from a mail client's one-click (`List-Unsubscribe=One-Click`) or
 * the confirmation page's button: that contact is unsubscribed from that channel, with the source
 * `one-click:<campaign>`. Repeating it changes nothing and answers the same.
 */
export async function unsubscribe(
  deps: RecipientDeps,
  token: string,
  request: { contentType: string | undefined; body: string; preferences: (claims: TokenClaims) => Promise<string> },
): Promise<Answer> {
  const claims = await verified(deps, token, 'unsubscribe');
  if (!claims) return notFound();
  if (!isOneClickBody(request.contentType, request.body)) return { status: 400, html: badRequestPage() };
  const { language, channel } = await unsubscribeContact(deps, claims, 'one-click');
  const preferences = await request.preferences(claims);
  return { status: 200, html: unsubscribedPage({ language, channel, preferences }) };
}

/**
 * Unsubscribes a token's contact from the channel its message went out on (source
 * `<how>:<campaign>`) and counts it once for the campaign. Repeating it changes nothing.
 */
async function unsubscribeContact(deps: RecipientDeps, claims: TokenClaims, how: 'one-click' | 'mailto') {
  const [contact, channel] = await Promise.all([deps.contacts.get(claims.tenantId, contactOf(claims.contactId)), channelOf(deps, claims)]);
  // An erased contact has nothing left to unsubscribe: the answer is the same.
  if (contact && contact.consent[channel].status !== 'unsubscribed') {
    await patchContact(deps, { tenantId: claims.tenantId }, contactOf(claims.contactId), {
      consent: { [channel]: { status: 'unsubscribed', source: `${how}:${claims.campaignId}` } },
    });
  }
  const first = await deps.sends.markFeedback(
    claims.tenantId,
    claims.campaignId,
    claims.contactId,
    'unsubscribedAt',
    deps.now().toISOString(),
  );
  if (first) {
    await deps.campaigns.addCounts(claims.tenantId, claims.campaignId, { [counter.engagement('unsubscribed', first.variant ?? '')]: 1 });
    await publishWebhookEvent(
      deps,
      claims.tenantId,
      'message.unsubscribed',
      messageEventData(first),
      `${first.sendId}:unsubscribed`,
      first.unsubscribedAt,
    );
  }
  return { language: pageLanguage(contact?.locale), channel };
}

/**
 * An unsubscribe mail (the List-Unsubscribe mailto: form, received by SES and handed over through
 * SNS): the token is in its subject. Anything else sent to the mailbox is ignored.
 */
export async function unsubscribeByMail(deps: RecipientDeps, subject: string): Promise<'unsubscribed' | 'ignored'> {
  const token = /(?:^|\s)unsubscribe\s+([A-Za-z0-9_-]{20,4096})\s*$/i.exec(subject.trim())?.[1];
  const claims = token ? await verified(deps, token, 'unsubscribe') : undefined;
  if (!claims) return 'ignored';
  await unsubscribeContact(deps, claims, 'mailto');
  return 'unsubscribed';
}

/**
 * The preference page: consent per channel the contact has an address for, the preferred
 * channel, and consent per workspace topic.
 */
export async function preferences(
  deps: RecipientDeps & Pick<Deps, 'settings'>,
  token: string,
  request: { method: string; contentType: string | undefined; body: string; action: string },
): Promise<Answer> {
  const claims = await verified(deps, token, 'preferences');
  if (!claims) return notFound();
  const [found, sending] = await Promise.all([
    deps.contacts.get(claims.tenantId, contactOf(claims.contactId)),
    deps.settings.sending(claims.tenantId),
  ]);
  let contact = found;
  if (!contact) return notFound();
  const topics = sending.topics ?? [];
  const language = pageLanguage(contact.locale);
  let saved = false;
  if (request.method === 'POST') {
    const fields = formFields(request.body);
    if (fields.form !== 'preferences' || !/^application\/x-www-form-urlencoded\b/i.test(request.contentType ?? '')) {
      return { status: 400, html: badRequestPage(language) };
    }
    const source = `preferences:${claims.campaignId}`;
    const consent: Partial<Record<Channel, { status: 'subscribed' | 'unsubscribed'; source: string }>> = {};
    for (const channel of ['email', 'sms'] as const) {
      if ((channel === 'email' ? contact.email : contact.phone) === undefined) continue;
      const current = contact.consent[channel].status;
      const wanted = fields[channel] === 'subscribed' ? 'subscribed' : 'unsubscribed';
      // An unticked box for a channel never consented to (unknown) changes nothing: no consent is written that nobody gave.
      if (current !== wanted && !(current === 'unknown' && wanted === 'unsubscribed')) consent[channel] = { status: wanted, source };
    }
    const preferred: Channel | undefined =
      (fields.preferredChannel === 'email' && contact.email !== undefined) ||
      (fields.preferredChannel === 'sms' && contact.phone !== undefined)
        ? fields.preferredChannel
        : undefined;
    // A topic changes when the box says other than its effective status: an unticked opt-in
    // topic never chosen is already `unsubscribed` by default, and stays `unknown`.
    // Only the topics the page showed (its hidden `topics` field): a topic added since was never seen.
    const shown = fields.topics === undefined ? undefined : new Set(fields.topics.split(','));
    const topicChanges: Record<string, ConsentChange> = {};
    for (const topic of topics) {
      if (shown && !shown.has(topic.name)) continue;
      const wanted = fields[`topic.${topic.name}`] === 'subscribed' ? 'subscribed' : 'unsubscribed';
      if (topicStatus(contact.topics, topic) !== wanted) topicChanges[topic.name] = { status: wanted, source };
    }
    const change = {
      ...(Object.keys(consent).length > 0 ? { consent } : {}),
      ...(Object.keys(topicChanges).length > 0 ? { topics: topicChanges } : {}),
      ...(preferred && preferred !== contact.preferredChannel ? { preferredChannel: preferred } : {}),
    };
    if (Object.keys(change).length > 0)
      contact = await patchContact(deps, { tenantId: claims.tenantId }, contactOf(claims.contactId), change);
    saved = true;
  }
  const channels = (['email', 'sms'] as const)
    .filter((channel) => (channel === 'email' ? contact?.email : contact?.phone) !== undefined)
    .map((channel) => ({ channel, subscribed: contact?.consent[channel].status === 'subscribed' }));
  return {
    status: 200,
    html: preferencesPage({
      language,
      action: request.action,
      channels,
      preferred: contact.preferredChannel,
      topics: topics.map((topic) => {
        const description = topic.labels?.[language]?.description ?? topic.description;
        return {
          name: topic.name,
          label: topic.labels?.[language]?.displayName ?? topic.displayName,
          ...(description ? { description } : {}),
          subscribed: topicStatus(contact?.topics, topic) === 'subscribed',
        };
      }),
      saved,
    }),
  };
}
