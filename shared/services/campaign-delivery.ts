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
  counter,
  type CounterDelta,
  PENDING_STATUSES,
  quietHoursEnd,
  type SendRecord,
  type SendStatus,
  sendIdOf,
  underFrequencyCap,
} from '../domain/campaign.ts';
import { Contact, type Channel } from '../domain/contact.ts';
import { DeliveryDeferred, DeliveryRefused } from '../domain/errors.ts';
import type { SendingSettings } from '../domain/sending.ts';
import type { Template } from '../domain/template.ts';
import { type Rendered, renderData, renderTemplate } from '../domain/template-render.ts';
import { Aggregates, describeValue } from '../domain/value.ts';
import type { Deps } from '../runtime/ports.ts';
import { queueRecipients } from './campaign-audience.ts';
import { settleIfDone } from './campaign-progress.ts';

/** Each sender has the port of its own channel only. */
export type DeliveryDeps = Pick<Deps, 'campaigns' | 'sends' | 'contacts' | 'templates' | 'settings' | 'pacer' | 'queue' | 'now' | 'sleep'> &
  Partial<Pick<Deps, 'email' | 'sms'>>;

function portOf<K extends 'email' | 'sms'>(deps: DeliveryDeps, channel: K): Deps[K] {
  const port = deps[channel];
  if (!port) throw new Error(`this sender has no ${channel} port`);
  return port as Deps[K];
}

export interface SendRequest {
  tenantId: string;
  campaignId: string;
  contactId: string;
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
}

export interface BatchOutcome {
  /** Indexes of the messages to be retried by the queue (an unexpected error). */
  failed: number[];
  sent: number;
  /** Service calls that were throttled or failed on the service's side and will be retried. */
  deferred: number;
}

/** The links one recipient's message carries. Signed, working endpoints come with the recipient side (tracking and unsubscribe). */
export function recipientLinks(publicUrl: string, sendId: string) {
  const base = publicUrl.replace(/\/+$/, '');
  return { unsubscribe: `${base}/u/${encodeURIComponent(sendId)}`, preferences: `${base}/p/${encodeURIComponent(sendId)}` };
}

/** RFC 8058 one-click unsubscribe headers (RFC 2369 List-Unsubscribe with an https and a mailto URI). */
export function unsubscribeHeaders(publicUrl: string, sendId: string, from: string): Record<string, string> {
  const domain = from.split('@')[1] ?? 'localhost';
  return {
    'List-Unsubscribe': `<${recipientLinks(publicUrl, sendId).unsubscribe}>, <mailto:unsubscribe@${domain}?subject=unsubscribe%20${encodeURIComponent(sendId)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
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
  expired: string[];
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
  const finish = async (record: SendRecord, status: SendStatus, extra: { reason?: string; detail?: string } = {}) => {
    const changed = await deps.sends.transition(tenantId, campaignId, record.contactId, [record.status], {
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

  if (campaign.status !== 'sending') {
    // Cancelled (or ended): whatever is still pending will not be sent.
    for (const id of contactIds) {
      const r = pending(id);
      if (r) await finish(r, 'cancelled');
    }
    await saveCounts(deps, tenantId, campaignId, delta);
    return;
  }

  const [items, logs, sending, model] = await Promise.all([
    deps.contacts.getManyItems(tenantId, contactIds),
    deps.sends.sendLogs(tenantId, contactIds),
    deps.settings.sending(tenantId),
    deps.settings.valueModel(tenantId),
  ]);
  const templates = new Map<string, Promise<Template | undefined>>();
  const templateOf = (id: string) => {
    const t = templates.get(id) ?? deps.templates.get(tenantId, id);
    templates.set(id, t);
    return t;
  };
  const quiet = campaign.quietHours === null ? undefined : (campaign.quietHours ?? sending.quietHours);
  const ready: Ready[] = [];
  const later: SendRecord[] = [];
  const seen = new Set<string>();

  /** An unexpected error: the queue retries the message; on its last receive the record says it was dead-lettered. */
  const failed = async (message: SendRequest, index: number, error: unknown) => {
    outcome.failed.push(index);
    const r = pending(message.contactId);
    if (r && message.receiveCount >= options.maxReceives) {
      const detail = error instanceof Error ? error.message.slice(0, 500) : String(error);
      await finish(r, 'failed', { reason: 'dead_letter', detail }).catch(() => undefined);
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
      const item = items.get(message.contactId);
      if (!item) {
        await finish(record, 'skipped', { reason: 'contact_erased' });
        continue;
      }
      const on = record.channel ?? channel;
      const address = on === 'email' ? item.email : item.phone;
      if (obj(item.suppressed)?.[on] === true) {
        await finish(record, 'skipped', { reason: 'suppressed' });
        continue;
      }
      if (typeof address !== 'string' || address === '' || obj(obj(item.consent)?.[on])?.status !== 'subscribed') {
        await finish(record, 'skipped', { reason: 'no_consent' });
        continue;
      }
      const zone = typeof item.timezone === 'string' ? item.timezone : undefined;
      const quietUntil = quietHoursEnd(quiet, now, zone);
      if (quietUntil) {
        const dueAt = quietUntil.toISOString();
        if (
          await deps.sends.transition(tenantId, campaignId, record.contactId, [record.status], { status: 'deferred', dueAt, updatedAt: at })
        ) {
          if (record.status === 'queued') addTo(delta, counter.deferred);
          later.push({ ...record, status: 'deferred', dueAt });
        }
        continue;
      }
      const log = logs.get(message.contactId) ?? {};
      if (log[campaignId] !== undefined) {
        // Claimed by an attempt that never wrote its outcome: it may have been sent. Never resend.
        await finish(record, 'unknown');
        continue;
      }
      const others = Object.entries(log).filter(([key]) => key !== campaignId);
      if (
        !underFrequencyCap(
          sending.frequencyCap,
          others.map(([, t]) => t),
          now,
        )
      ) {
        await finish(record, 'skipped', { reason: 'frequency_cap' });
        continue;
      }
      const variant = campaign.variants.find((v) => v.name === record.variant);
      const templateId = variant?.[on];
      const template = templateId ? await templateOf(templateId) : undefined;
      if (!template) {
        await finish(record, 'failed', {
          reason: 'render_error',
          detail: `the ${on} template of variant ${record.variant} no longer exists`,
        });
        continue;
      }
      let rendered: Rendered;
      try {
        const contact = Contact.parse(item);
        const aggregates = Aggregates.safeParse(item.value);
        const value = describeValue(aggregates.success ? aggregates.data : undefined, model.boundaries, model.settings, now);
        const links = recipientLinks(options.publicUrl, sendIdOf(campaignId, record.contactId));
        rendered = await renderTemplate(template, renderData(contact, value, { id: tenantId }, links));
      } catch (error) {
        await finish(record, 'failed', {
          reason: 'render_error',
          detail: error instanceof Error ? error.message.slice(0, 500) : String(error),
        });
        continue;
      }
      const expired = others.filter(([, t]) => t < now.getTime() - CLAIM_RETENTION_MS).map(([key]) => key);
      ready.push({ record, message, index, to: address, rendered, expired });
    } catch (error) {
      await failed(message, index, error);
    }
  }

  /** Claim, call the service, record the outcome. */
  const sendOne = async ({ record, to, rendered, expired }: Ready) => {
    const claimedAt = now.getTime();
    if (!(await deps.sends.claim(tenantId, record.contactId, campaignId, claimedAt, expired))) return; // another sender has it
    const sendId = sendIdOf(campaignId, record.contactId);
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
          headers: unsubscribeHeaders(options.publicUrl, sendId, from),
          tags: { workspace: tenantId, campaign: campaignId, variant: record.variant ?? '', send: sendId },
        }));
      } else {
        ({ messageId } = await portOf(deps, 'sms').send({
          to,
          body: rendered.body,
          originationIdentity: sending.sms?.originationIdentity as string,
          messageType: 'PROMOTIONAL',
        }));
      }
    } catch (error) {
      if (error instanceof DeliveryRefused) {
        await deps.sends.release(tenantId, record.contactId, campaignId, claimedAt);
        const detail = error.message.slice(0, 500);
        if (isBadAddress(detail)) await finish(record, 'skipped', { reason: 'invalid_address', detail });
        else await finish(record, 'failed', { reason: 'refused', detail });
        return;
      }
      if (error instanceof DeliveryDeferred) {
        // Throttled or a service fault: nothing was sent. Give the claim back and try again shortly.
        await deps.sends.release(tenantId, record.contactId, campaignId, claimedAt);
        outcome.deferred++;
        retry.push(record);
        return;
      }
      throw error; // the call may have gone through: the claim stays, and the next attempt records `unknown`
    }
    if (
      await deps.sends.transition(tenantId, campaignId, record.contactId, [record.status, 'unknown'], {
        status: 'sent',
        messageId,
        sentAt: at,
        updatedAt: at,
      })
    ) {
      if (record.status === 'deferred') addTo(delta, counter.deferred, -1);
      addTo(delta, counter.sent(record.variant ?? ''));
      outcome.sent++;
    }
  };

  // Paced sends: tokens first, then the calls for what was granted, until all are sent.
  const retry: SendRecord[] = [];
  let next = 0;
  while (next < ready.length) {
    const granted = await takeTokens(deps, campaign, channel, sending, ready.length - next);
    const slice = ready.slice(next, next + granted);
    next += granted;
    await Promise.all(slice.map((r) => sendOne(r).catch((error: unknown) => failed(r.message, r.index, error))));
  }
  if (later.length > 0) await queueRecipients(deps, tenantId, later);
  if (retry.length > 0)
    await deps.queue.sendMany(
      channel === 'sms' ? 'campaign-sms' : 'campaign-email',
      retry.map((r) => ({ tenantId, campaignId, contactId: r.contactId })),
      { delaySeconds: RETRY_DELAY_SECONDS },
    );
  await saveCounts(deps, tenantId, campaignId, delta);
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

/** A throttled or faulted recipient waits this long before its next try. */
export const RETRY_DELAY_SECONDS = 2;

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
