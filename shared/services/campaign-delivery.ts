/**
 * The campaign senders: a batch of recipients of one channel, each named by (campaign, contact).
 *
 * Exactly once. A message only acts on a record that is still pending, and every status change is
 * conditional on the status read. Before the email or SMS service is called, the send is claimed
 * in the contact's send log (a conditional write: one claim per campaign and contact). So a
 * redelivered message, a retried batch or a second sender finds the record final, or the claim
 * taken, and sends nothing. The one window no email API closes, a process that dies after the
 * service accepted the message and before the status was written, leaves a claim on a pending
 * record: the next delivery of that message finds it, records `unknown`, and does not resend.
 * A throttled or failed call (the service answered, so nothing went) gives the claim back and
 * the recipient is tried again later; it is never counted as sent.
 *
 * Pacing: every sender takes tokens from one shared bucket per channel (the SES account's send
 * rate from GetAccount; the SMS identity's rate) and, when the campaign has one, from the
 * campaign's own bucket, before it calls the service.
 */
import {
  addTo,
  type Campaign,
  claimKeyOf,
  contactOf,
  counter,
  type CounterDelta,
  keyOf,
  PENDING_STATUSES,
  quietHoursEnd,
  type SendRecord,
  type SendStatus,
  sendIdOf,
  underFrequencyCap,
} from '../domain/campaign.ts';
import { Contact, type Channel, topicStatus } from '../domain/contact.ts';
import { ConcurrentChange, DeliveryBlocked, DeliveryDeferred, DeliveryRefused, InvalidTransition } from '../domain/errors.ts';
import { campaignTopic, type SendingSettings } from '../domain/sending.ts';
import type { Template } from '../domain/template.ts';
import { htmlToText, type Rendered, renderData, renderTemplate, smsEncoding } from '../domain/template-render.ts';
import { type TokenClaims, trackHtml, trackText } from '../domain/tracking.ts';
import { Aggregates, describeValue } from '../domain/value.ts';
import { messageEventData, type WebhookFact } from '../domain/webhook.ts';
import type { Deps } from '../runtime/ports.ts';
import { queueRecipients } from './campaign-audience.ts';
import { settleIfDone } from './campaign-progress.ts';
import { changeStatus } from './campaigns.ts';
import { publishWebhookEvents } from './webhooks.ts';

/** Each sender has the port of its own channel only. */
export type DeliveryDeps = Pick<
  Deps,
  'campaigns' | 'sends' | 'contacts' | 'templates' | 'settings' | 'pacer' | 'tokens' | 'suppressions' | 'queue' | 'now' | 'newId' | 'sleep'
> &
  Pick<Deps, 'webhooks'> &
  Partial<Pick<Deps, 'email' | 'sms'>>;

function portOf<K extends 'email' | 'sms'>(deps: DeliveryDeps, channel: K): Deps[K] {
  const port = deps[channel];
  if (!port) throw new Error(`this sender has no ${channel} port`);
  return port as Deps[K];
}

export interface SendRequest {
  tenantId: string;
  campaignId: string;
  /** The record's key: the contact id, or contact-firing for a triggered message. */
  contactId: string;
  /** Tries so far after throttling or faults. */
  attempt?: number | undefined;
  /** How often SQS has delivered this message (1 the first time). */
  receiveCount: number;
}

/** Claims older than this leave the send log when a new one is written (the frequency cap looks back at most 90 days). */
export const CLAIM_RETENTION_MS = 90 * 86_400_000;
/** SMS messages per second when the identity's rate is not set. */
export const DEFAULT_SMS_RATE = 10;

export interface DeliveryOptions {
  /** Receives before SQS dead-letters a message: the last one records `failed: dead_letter`. */
  maxReceives: number;
  /** Base of the links in List-Unsubscribe and the unsubscribe and preference tags. */
  publicUrl: string;
  /** A claim younger than this may belong to a sender still at work (default CLAIM_IN_FLIGHT_MS). */
  claimInFlightMs?: number;
}

export interface BatchOutcome {
  /** Indexes of the messages to be retried by the queue (an unexpected error). */
  failed: number[];
  sent: number;
  /** Service calls that were throttled or failed on the service's side and will be retried. */
  deferred: number;
}

/**
 * RFC 8058 one-click unsubscribe headers: RFC 2369 List-Unsubscribe with the signed https link
 * and, when the workspace has a mailbox Herald receives (SES inbound), a mailto: with the token in
 * the subject; and List-Unsubscribe-Post. Without such a mailbox there is no mailto form: a
 * request sent to an address nobody reads would be lost.
 */
export function unsubscribeHeaders(unsubscribeUrl: string, mailbox?: string): Record<string, string> {
  const token = unsubscribeUrl.slice(unsubscribeUrl.lastIndexOf('/') + 1);
  const mailto = mailbox ? `, <mailto:${mailbox}?subject=unsubscribe%20${token}>` : '';
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>${mailto}`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * A recipient's message with its tracking: signed unsubscribe and preference links for the
 * template's tags, every other link of the HTML and text parts through a signed click token (in
 * order: HTML first), and the open pixel. SMS text is left as written (short links are not built yet).
 */
export async function personalise(
  sign: (claims: TokenClaims) => string,
  publicUrl: string,
  who: { tenantId: string; campaignId: string; contactId: string },
  render: (links: { unsubscribe: string; preferences: string; nps?: string[] }) => Promise<Rendered>,
  textFromHtml = false,
  shortCode?: string,
  survey?: 'nps',
): Promise<{ rendered: Rendered; links: string[]; unsubscribe: string }> {
  const base = publicUrl.replace(/\/+$/, '');
  const own = {
    unsubscribe: `${base}/u/${sign({ ...who, kind: 'unsubscribe' })}`,
    preferences: `${base}/p/${sign({ ...who, kind: 'preferences' })}`,
    ...(survey === 'nps'
      ? { nps: Array.from({ length: 11 }, (_, score) => `${base}/n/${sign({ ...who, kind: 'nps', link: score })}`) }
      : {}),
  };
  // The recipient's own links are signed already: never rewritten as tracked links.
  const keep = [own.unsubscribe, own.preferences, ...(own.nps ?? [])];
  const rendered = await render(own);
  if (rendered.channel !== 'email') {
    // SMS: short links (`/s/<message code><link index>`, the code stored with its owner when sent).
    if (!shortCode) return { rendered, links: [], unsubscribe: own.unsubscribe };
    const text = trackText(rendered.body, (i) => `${base}/s/${shortCode}${i.toString(36)}`, keep);
    const links = text.links.slice(0, SMS_SHORT_LINKS);
    if (links.length === 0) return { rendered, links, unsubscribe: own.unsubscribe };
    const body = links.length === text.links.length ? text.text : rendered.body;
    return {
      rendered: { ...rendered, body, ...smsEncoding(body) },
      links: body === rendered.body ? [] : links,
      unsubscribe: own.unsubscribe,
    };
  }
  const click = (link: number) => `${base}/r/${sign({ ...who, kind: 'click', link })}`;
  const html = trackHtml(rendered.html, { tracked: click, pixel: `${base}/o/${sign({ ...who, kind: 'open' })}`, keep });
  // A text part made from the HTML is made again from the tracked HTML: the same links, and those marked data-track="false" stay as they are.
  if (textFromHtml)
    return { rendered: { ...rendered, html: html.html, text: htmlToText(html.html) }, links: html.links, unsubscribe: own.unsubscribe };
  const text = trackText(rendered.text, click, keep, html.links.length);
  return {
    rendered: { ...rendered, html: html.html, text: text.text },
    links: [...html.links, ...text.links],
    unsubscribe: own.unsubscribe,
  };
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

interface Ready {
  record: SendRecord;
  message: SendRequest;
  index: number;
  to: string;
  rendered: Rendered;
  /** The tracked links' targets, in order (kept on the record). */
  links: string[];
  unsubscribe: string;
}

/** Delivers one batch from a sender queue; the queue retries the indexes returned as failed. */
export async function deliverBatch(
  deps: DeliveryDeps,
  channel: Channel,
  messages: SendRequest[],
  options: DeliveryOptions,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { failed: [], sent: 0, deferred: 0 };
  const groups = new Map<string, { tenantId: string; campaignId: string; items: { message: SendRequest; index: number }[] }>();
  messages.forEach((message, index) => {
    const key = `${message.tenantId}\n${message.campaignId}`;
    const group = groups.get(key) ?? { tenantId: message.tenantId, campaignId: message.campaignId, items: [] };
    group.items.push({ message, index });
    groups.set(key, group);
  });
  for (const group of groups.values()) {
    await deliverGroup(deps, channel, group, options, outcome);
  }
  return outcome;
}

async function deliverGroup(
  deps: DeliveryDeps,
  channel: Channel,
  group: { tenantId: string; campaignId: string; items: { message: SendRequest; index: number }[] },
  options: DeliveryOptions,
  outcome: BatchOutcome,
): Promise<void> {
  const { tenantId, campaignId } = group;
  const campaign = await deps.campaigns.get(tenantId, campaignId);
  // Paused (or not started): the records stay pending and resume queues them again.
  if (!campaign || campaign.status === 'paused' || campaign.status === 'scheduled' || campaign.status === 'draft') return;
  const contactIds = [...new Set(group.items.map((i) => i.message.contactId))];
  const delta: CounterDelta = {};
  const now = deps.now();
  const at = now.toISOString();

  /** A conditional status change from the status read, counted once if it happened. */
  const finish = async (record: SendRecord, status: SendStatus, extra: { reason?: string; detail?: string; links?: string[] } = {}) => {
    const changed = await deps.sends.transition(tenantId, campaignId, keyOf(record), [record.status], {
      status,
      updatedAt: at,
      ...extra,
    });
    if (!changed) return;
    if (record.status === 'deferred') addTo(delta, counter.deferred, -1);
    const v = record.variant ?? '';
    if (status === 'cancelled') addTo(delta, counter.cancelled);
    else if (status === 'skipped') addTo(delta, counter.skipped(extra.reason ?? 'unknown'));
    else if (status === 'unknown') addTo(delta, counter.unknown(v));
    else if (status === 'failed') {
      addTo(delta, counter.failedVariant(v));
      addTo(delta, counter.failedReason(extra.reason ?? 'unknown'));
    }
  };

  const records = await deps.sends.getMany(tenantId, campaignId, contactIds);
  const pending = (id: string) => {
    const r = records.get(id);
    return r && PENDING_STATUSES.includes(r.status) ? r : undefined;
  };

  if (campaign.status === 'cancelled') {
    // Whatever is still pending will not be sent.
    for (const id of contactIds) {
      const r = pending(id);
      if (r) await finish(r, 'cancelled');
    }
    await saveCounts(deps, tenantId, campaignId, delta);
    return;
  }
  // Completed or failed: no record can be pending (completion recounts first); nothing to do.
  if (campaign.status !== 'sending') return;

  // The messages name records (a contact, or a contact's firing of a trigger); contacts are read once each.
  const contactsOf = [...new Set(contactIds.map(contactOf))];
  const [items, sending, model] = await Promise.all([
    deps.contacts.getManyItems(tenantId, contactsOf),
    deps.settings.sending(tenantId),
    deps.settings.valueModel(tenantId),
  ]);
  let logs = await deps.sends.sendLogs(tenantId, contactsOf);
  // The workspace suppression list, for every address this batch would send to.
  const addressOf = (id: string) => {
    const item = items.get(contactOf(id));
    const on = records.get(id)?.channel ?? channel;
    const address = on === 'email' ? item?.email : item?.phone;
    return typeof address === 'string' ? address : undefined;
  };
  const onList = await deps.suppressions.suppressed(
    tenantId,
    channel,
    contactIds.map(addressOf).filter((a): a is string => a !== undefined),
  );
  const sign = await deps.tokens.signer();
  if (channel === 'email' ? !sending.email : !sending.sms) {
    // The identity was removed after launch: stop the campaign (nothing is lost) until it is set again.
    await pauseWithError(
      deps,
      tenantId,
      campaignId,
      `the ${channel === 'email' ? 'email sender identity' : 'SMS origination identity'} is not set: set it (PUT /settings/sending) and resume`,
    );
    return;
  }
  const templates = new Map<string, Promise<Template | undefined>>();
  const templateOf = (id: string) => {
    const t = templates.get(id) ?? deps.templates.get(tenantId, id);
    templates.set(id, t);
    return t;
  };
  const quiet = campaign.quietHours === null ? undefined : (campaign.quietHours ?? sending.quietHours);
  const topic = campaignTopic(campaign.topic, sending.topics);
  const ready: Ready[] = [];
  /** SMS short link codes, by contact: stored (with whose message it is) just before the send. */
  const shortCodes = new Map<string, string>();
  const later: SendRecord[] = [];
  const retry: { record: SendRecord; attempt: number; delaySeconds: number }[] = [];
  const seen = new Set<string>();
  /** message.sent webhooks, published with the batch's counters. */
  const published: WebhookFact[] = [];

  /**
   * An unexpected error: the queue retries the message. On its last receive the record says so:
   * `unknown` when the send was claimed (it may have gone out), else `failed: dead_letter`.
   */
  const failed = async (message: SendRequest, index: number, error: unknown, claimed = false) => {
    outcome.failed.push(index);
    const r = pending(message.contactId);
    if (r && message.receiveCount >= options.maxReceives) {
      const detail = error instanceof Error ? error.message.slice(0, 500) : String(error);
      await (claimed ? finish(r, 'unknown', { detail }) : finish(r, 'failed', { reason: 'dead_letter', detail })).catch(() => undefined);
    }
  };

  for (const { message, index } of group.items) {
    try {
      if (seen.has(message.contactId)) continue; // the same recipient twice in one batch: once is enough
      seen.add(message.contactId);
      const record = pending(message.contactId);
      if (!record) continue; // final already: a repeat of a message that was handled
      if (record.dueAt && Date.parse(record.dueAt) > now.getTime() + 1000) {
        later.push(record); // not yet due (SQS holds a message 15 minutes at most)
        continue;
      }
      const item = items.get(contactOf(message.contactId));
      if (!item) {
        await finish(record, 'skipped', { reason: 'contact_erased' });
        continue;
      }
      const on = record.channel ?? channel;
      const address = on === 'email' ? item.email : item.phone;
      if (obj(item.suppressed)?.[on] === true || (typeof address === 'string' && onList.has(address))) {
        await finish(record, 'skipped', { reason: 'suppressed' });
        continue;
      }
      if (typeof address !== 'string' || address === '' || obj(obj(item.consent)?.[on])?.status !== 'subscribed') {
        await finish(record, 'skipped', { reason: 'no_consent' });
        continue;
      }
      if (topic && topicStatus(item.topics, topic) !== 'subscribed') {
        await finish(record, 'skipped', { reason: 'topic_unsubscribed' });
        continue;
      }
      const zone = typeof item.timezone === 'string' ? item.timezone : undefined;
      const quietUntil = quietHoursEnd(quiet, now, zone);
      if (quietUntil) {
        const dueAt = quietUntil.toISOString();
        if (
          await deps.sends.transition(tenantId, campaignId, keyOf(record), [record.status], { status: 'deferred', dueAt, updatedAt: at })
        ) {
          if (record.status === 'queued') addTo(delta, counter.deferred);
          later.push({ ...record, status: 'deferred', dueAt });
        }
        continue;
      }
      // A triggered message keeps the templates it fired with; a one-off campaign's variant names them.
      const variant = campaign.variants.find((v) => v.name === record.variant);
      const templateId = record.templates ? record.templates[on] : variant?.[on];
      const template = templateId ? await templateOf(templateId) : undefined;
      if (!template) {
        await finish(record, 'failed', {
          reason: 'render_error',
          detail: `the ${on} template of variant ${record.variant} no longer exists`,
        });
        continue;
      }
      let message_: Awaited<ReturnType<typeof personalise>>;
      try {
        const contact = Contact.parse(item);
        const aggregates = Aggregates.safeParse(item.value);
        const value = describeValue(aggregates.success ? aggregates.data : undefined, model.boundaries, model.settings, now);
        const who = { tenantId, campaignId, contactId: keyOf(record) };
        const shortCode = on === 'sms' ? deps.newId().slice(-11) : undefined;
        message_ = await personalise(
          sign,
          options.publicUrl,
          who,
          (links) => renderTemplate(template, renderData(contact, value, { id: tenantId }, links, record.data)),
          template.email !== undefined && template.email.text === undefined,
          shortCode,
          campaign.survey,
        );
        if (shortCode && message_.links.length > 0) shortCodes.set(keyOf(record), shortCode);
      } catch (error) {
        await finish(record, 'failed', {
          reason: 'render_error',
          detail: error instanceof Error ? error.message.slice(0, 500) : String(error),
        });
        continue;
      }
      const claimedAt = logs.get(contactOf(message.contactId))?.claims[claimKeyOf(campaignId, message.contactId)];
      if (claimedAt !== undefined) {
        const inFlightMs = options.claimInFlightMs ?? CLAIM_IN_FLIGHT_MS;
        if (now.getTime() - claimedAt < inFlightMs) {
          // Another sender holds it right now: look again once that attempt must have ended.
          const wait = Math.ceil((claimedAt + inFlightMs - now.getTime()) / 1000) + 1;
          retry.push({ record, attempt: message.attempt ?? 0, delaySeconds: wait });
        } else {
          // Claimed by an attempt that never wrote its outcome: it may have been sent. Never resend.
          await finish(record, 'unknown', { links: message_.links }); // the links work even so
        }
        continue;
      }
      ready.push({ record, message, index, to: address, ...message_ });
    } catch (error) {
      await failed(message, index, error);
    }
  }

  /**
   * Claims the send in the contact's log if the frequency cap still allows it (the log's version
   * makes a concurrent campaign's claim visible): `capped` when it does not, `taken` when another
   * sender has it.
   */
  const claim = async (record: SendRecord, claimedAt: number): Promise<'claimed' | 'capped' | 'taken'> => {
    const claimKey = claimKeyOf(campaignId, keyOf(record));
    for (let attempt = 0; attempt < 3; attempt++) {
      const log = logs.get(record.contactId) ?? { claims: {}, version: 0 };
      if (log.claims[claimKey] !== undefined) return 'taken';
      const others = Object.entries(log.claims).filter(([key]) => key !== claimKey);
      if (
        !underFrequencyCap(
          sending.frequencyCap,
          others.map(([, t]) => t),
          now,
        )
      )
        return 'capped';
      const expired = others.filter(([, t]) => t < now.getTime() - CLAIM_RETENTION_MS).map(([key]) => key);
      if ((await deps.sends.claim(tenantId, record.contactId, claimKey, claimedAt, expired, log.version)) === 'claimed') return 'claimed';
      logs = new Map([...logs, ...(await deps.sends.sendLogs(tenantId, [record.contactId]))]);
    }
    return 'taken';
  };

  let blocked: string | undefined;
  /** Claim, call the service, record the outcome. */
  const sendOne = async (r: Ready) => {
    const { record, to, rendered, links, unsubscribe } = r;
    const claimedAt = now.getTime();
    const claimed = await claim(record, claimedAt);
    if (claimed === 'capped') return finish(record, 'skipped', { reason: 'frequency_cap' });
    if (claimed === 'taken') return; // another sender has it
    const sendId = sendIdOf(campaignId, keyOf(record));
    const claimKey = claimKeyOf(campaignId, keyOf(record));
    const shortCode = shortCodes.get(keyOf(record));
    if (shortCode) await deps.sends.saveShortLink(shortCode, { tenantId, campaignId, contactId: keyOf(record) });
    let messageId: string;
    try {
      if (rendered.channel === 'email') {
        const from = sending.email?.from as string;
        ({ messageId } = await portOf(deps, 'email').send({
          from,
          ...(sending.email?.fromName ? { fromName: sending.email.fromName } : {}),
          ...(sending.email?.replyTo ? { replyTo: sending.email.replyTo } : {}),
          to,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          headers: unsubscribeHeaders(unsubscribe, sending.email?.unsubscribeMailbox),
          tags: { workspace: tenantId, campaign: campaignId, variant: record.variant ?? '', send: sendId },
        }));
      } else {
        ({ messageId } = await portOf(deps, 'sms').send({
          to,
          body: rendered.body,
          originationIdentity: sending.sms?.originationIdentity as string,
          messageType: 'PROMOTIONAL',
          context: { workspace: tenantId, campaign: campaignId, send: sendId },
        }));
      }
    } catch (error) {
      if (error instanceof DeliveryBlocked) {
        // Nobody's address is to blame: give the claim back and stop the campaign, recipients still pending.
        await deps.sends.release(tenantId, record.contactId, claimKey, claimedAt);
        blocked = error.message.slice(0, 500);
        return;
      }
      if (error instanceof DeliveryRefused) {
        await deps.sends.release(tenantId, record.contactId, claimKey, claimedAt);
        const detail = error.message.slice(0, 500);
        if (isBadAddress(detail)) await finish(record, 'skipped', { reason: 'invalid_address', detail });
        else await finish(record, 'failed', { reason: 'refused', detail });
        return;
      }
      if (error instanceof DeliveryDeferred) {
        // Throttled or a service fault: nothing was sent. Give the claim back and try again later, waiting longer each time.
        await deps.sends.release(tenantId, record.contactId, claimKey, claimedAt);
        outcome.deferred++;
        const attempt = (r.message.attempt ?? 0) + 1;
        retry.push({ record, attempt, delaySeconds: retryDelaySeconds(attempt) });
        return;
      }
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { claimed: true }); // the call may have gone through: the claim stays
    }
    const change = { messageId, sentAt: at, updatedAt: at, ...(links.length > 0 ? { links } : {}) };
    if (await recordSent(deps, tenantId, campaignId, record, change, delta)) {
      const data = messageEventData(record, { channel: rendered.channel, messageId });
      published.push({ type: 'message.sent', key: `${sendId}:sent`, data, occurredAt: at });
    }
    outcome.sent++;
  };

  // Paced sends: tokens first, then the calls for what was granted, until all are sent. The
  // status is read again after every wait: a pause or cancel meanwhile stops what is not sent.
  let next = 0;
  while (next < ready.length && !blocked) {
    const granted = await takeTokens(deps, campaign, channel, sending, ready.length - next);
    const slice = ready.slice(next, next + granted);
    next += granted;
    const status = (await deps.campaigns.get(tenantId, campaignId))?.status;
    if (status !== 'sending') {
      if (status === 'cancelled') for (const r of ready.slice(next - granted)) await finish(r.record, 'cancelled');
      break;
    }
    await Promise.all(
      slice.map((r) =>
        sendOne(r).catch((error: unknown) => failed(r.message, r.index, error, (error as { claimed?: boolean }).claimed === true)),
      ),
    );
  }
  if (blocked) await pauseWithError(deps, tenantId, campaignId, `the email or SMS service refuses this sender: ${blocked}`);
  if (later.length > 0) await queueRecipients(deps, tenantId, later);
  for (const { record, attempt, delaySeconds } of retry) {
    await deps.queue.send(
      channel === 'sms' ? 'campaign-sms' : 'campaign-email',
      { tenantId, campaignId, contactId: keyOf(record), attempt },
      { delaySeconds },
    );
  }
  await saveCounts(deps, tenantId, campaignId, delta);
  await publishWebhookEvents(deps, tenantId, published);
}

/**
 * Marks a record sent. Normally from the pending status read; if another writer moved it
 * meanwhile (an `unknown` from a sender that gave up on the claim, a cancel that raced the call),
 * the truth wins and the counters move with it.
 */
async function recordSent(
  deps: DeliveryDeps,
  tenantId: string,
  campaignId: string,
  record: SendRecord,
  change: { messageId: string; sentAt: string; updatedAt: string; links?: string[] },
  delta: CounterDelta,
): Promise<boolean> {
  const v = record.variant ?? '';
  for (const from of [record.status, 'unknown', 'cancelled'] as const) {
    if (await deps.sends.transition(tenantId, campaignId, keyOf(record), [from], { status: 'sent', ...change })) {
      addTo(delta, counter.sent(v));
      if (from === 'deferred') addTo(delta, counter.deferred, -1);
      if (from === 'unknown') addTo(delta, counter.unknown(v), -1);
      if (from === 'cancelled') addTo(delta, counter.cancelled, -1);
      return true;
    }
  }
  return false;
}

/** Stops a campaign the service will not send for, with the reason; records stay pending for resume. */
async function pauseWithError(deps: DeliveryDeps, tenantId: string, campaignId: string, error: string): Promise<void> {
  try {
    await changeStatus(deps, tenantId, campaignId, 'pause', undefined, error);
  } catch (e) {
    if (!(e instanceof ConcurrentChange || e instanceof InvalidTransition)) throw e; // paused or cancelled already
  }
}

/**
 * A refusal that is about the recipient's address (SES: an illegal or invalid recipient; SMS: the
 * destination number), as opposed to the sender's setup ("Email address is not verified").
 */
export function isBadAddress(message: string): boolean {
  return (
    !/not verified/i.test(message) &&
    /illegal address|invalid (recipient|destination|to address)|DestinationPhoneNumber|not a valid phone/i.test(message)
  );
}

/** Links an SMS may carry as short links (one base-36 character of index); more and the text is sent as written. */
export const SMS_SHORT_LINKS = 36;

/** A throttled or faulted recipient waits 2, 4, 8 … seconds (at most 5 minutes) before its next try. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(300, 2 ** Math.min(attempt, 9));
}

/** A claim younger than this may belong to a sender still at work (its function times out well before). */
export const CLAIM_IN_FLIGHT_MS = 120_000;

/** Takes at least one token (waiting as needed) from the channel's shared bucket and the campaign's own. */
async function takeTokens(
  deps: DeliveryDeps,
  campaign: Campaign,
  channel: Channel,
  sending: SendingSettings,
  want: number,
): Promise<number> {
  const accountRate = channel === 'email' ? await portOf(deps, 'email').maxSendRate() : (sending.sms?.ratePerSecond ?? DEFAULT_SMS_RATE);
  for (;;) {
    let granted = want;
    if (campaign.ratePerSecond) {
      const own = await deps.pacer.take(`campaign:${campaign.campaignId}`, granted, campaign.ratePerSecond);
      if (own.granted === 0) {
        await deps.sleep(own.waitMs);
        continue;
      }
      granted = own.granted;
    }
    // Email: the SES account's rate; SMS: the origination identity's.
    const bucket = channel === 'email' ? 'email' : `sms:${sending.sms?.originationIdentity ?? ''}`;
    const shared = await deps.pacer.take(bucket, granted, accountRate);
    if (shared.granted > 0) return shared.granted;
    await deps.sleep(shared.waitMs);
  }
}

async function saveCounts(deps: DeliveryDeps, tenantId: string, campaignId: string, delta: CounterDelta) {
  if (Object.keys(delta).length === 0) return;
  const counts = await deps.campaigns.addCounts(tenantId, campaignId, delta);
  await settleIfDone(deps, tenantId, campaignId, counts);
}
