/**
 * Audience resolution: one part of the contact key space at a time, a page at a time. For each
 * contact in the audience (its segments or lists, minus the exclusions): why it cannot be
 * messaged (a `skipped` record with the reason), or its channel and then, deterministically, the
 * holdout or a variant. One send record per contact is put conditionally (its id follows from
 * campaign and contact), and every record that is pending is handed to its channel's sender.
 * A page replayed after a crash writes nothing twice and queues again what is still pending.
 */
import {
  addTo,
  assign,
  type Campaign,
  chooseChannel,
  counter,
  type CounterDelta,
  dueFor,
  keyOf,
  type SendRecord,
  sendIdOf,
  underFrequencyCap,
} from '../domain/campaign.ts';
import { type Channel, reachOf, topicStatus } from '../domain/contact.ts';
import { campaignTopic } from '../domain/sending.ts';
import { compileRule, type ContactItem, type Predicate } from '../domain/segment-eval.ts';
import type { Rule } from '../domain/segment.ts';
import type { Deps } from '../runtime/ports.ts';
import { SCAN_PARTS } from './contact-scan.ts';
import { getSegmentRules } from './segments.ts';
import { settleIfDone } from './campaign-progress.ts';

export const AUDIENCE_PAGE = 500;
/** Time one invocation works on a part before it hands the rest on (well inside the visibility timeout). */
export const AUDIENCE_BUDGET_MS = 20_000;

type AudienceDeps = Pick<Deps, 'campaigns' | 'contacts' | 'segments' | 'settings' | 'sends' | 'queue' | 'now'>;

function hasList(item: ContactItem, listId: string): boolean {
  const lists = item.lists;
  return lists instanceof Set ? lists.has(listId) : Array.isArray(lists) && lists.includes(listId);
}

/** The campaign's audience, exclusions and explicit holdout as predicates over stored contact items. */
async function audiencePredicates(deps: AudienceDeps, tenantId: string, campaign: Campaign, now: Date) {
  // A triggered campaign has no audience to resolve: nobody.
  const a = campaign.audience ?? { segments: [], lists: [], excludeSegments: [], excludeLists: [] };
  const h = campaign.holdout;
  const holdoutSegment = h && 'segmentId' in h ? [h.segmentId] : [];
  const named = [...new Set([...a.segments, ...a.excludeSegments, ...holdoutSegment])];
  const [model, rules] = await Promise.all([deps.settings.valueModel(tenantId), getSegmentRules(deps, tenantId, named)]);
  const ctx = { now, settings: model.settings, ...(model.boundaries ? { boundaries: model.boundaries } : {}), segments: rules };
  // A deleted segment matches nobody, as in segment evaluation.
  const segment = (id: string): Predicate => compileRule({ inSegment: id } as Rule, ctx);
  const include = [...a.segments.map(segment), ...a.lists.map((id) => (item: ContactItem) => hasList(item, id))];
  const exclude = [...a.excludeSegments.map(segment), ...a.excludeLists.map((id) => (item: ContactItem) => hasList(item, id))];
  const inHoldout: Predicate =
    h && 'segmentId' in h ? segment(h.segmentId) : h && 'listId' in h ? (item) => hasList(item, h.listId) : () => false;
  return {
    inAudience: (item: ContactItem) => include.some((p) => p(item)) && !exclude.some((p) => p(item)),
    inHoldout,
  };
}

/** The record for one contact of the audience. */
export function decide(
  campaign: Campaign,
  item: ContactItem,
  options: {
    inHoldout: boolean;
    cap: { messages: number; withinDays: number } | undefined;
    claims: Record<string, number> | undefined;
    now: Date;
    /** The campaign's topic with its default (campaignTopic), if it names one. */
    topic?: { name: string; defaultStatus: 'subscribed' | 'unsubscribed' } | undefined;
  },
): SendRecord {
  const contactId = String(item.contactId);
  const at = options.now.toISOString();
  const base = {
    sendId: sendIdOf(campaign.campaignId, contactId),
    campaignId: campaign.campaignId,
    contactId,
    createdAt: at,
    updatedAt: at,
  };
  const preferred = item.preferredChannel === 'email' || item.preferredChannel === 'sms' ? item.preferredChannel : undefined;
  const chosen = chooseChannel(campaign.channel, { email: reachOf(item, 'email'), sms: reachOf(item, 'sms') }, preferred);
  if ('skip' in chosen) return { ...base, status: 'skipped', reason: chosen.skip };
  // A topic narrows channel consent, never widens it: checked once the channel is allowed.
  if (options.topic && topicStatus(item.topics, options.topic) !== 'subscribed')
    return { ...base, status: 'skipped', reason: 'topic_unsubscribed', channel: chosen.channel };
  const others = Object.entries(options.claims ?? {})
    .filter(([key]) => key !== campaign.campaignId)
    .map(([, t]) => t);
  if (!underFrequencyCap(options.cap, others, options.now))
    return { ...base, status: 'skipped', reason: 'frequency_cap', channel: chosen.channel };
  const assigned = assign(campaign, contactId, options.inHoldout);
  if (assigned.holdout) return { ...base, status: 'holdout', channel: chosen.channel };
  const zone = typeof item.timezone === 'string' ? item.timezone : undefined;
  const due = dueFor(campaign.schedule, zone, new Date(campaign.startedAt ?? at));
  // Due later (a local-time schedule): `deferred` until then, like a recipient in quiet hours.
  const later = due.getTime() > options.now.getTime();
  return {
    ...base,
    status: later ? 'deferred' : 'queued',
    variant: assigned.variant,
    channel: chosen.channel,
    ...(later ? { dueAt: due.toISOString() } : {}),
  };
}

/** Counter changes for records just written. */
export function countRecords(records: SendRecord[]): CounterDelta {
  const delta: CounterDelta = {};
  for (const r of records) {
    addTo(delta, counter.audience);
    if (r.status === 'holdout') addTo(delta, counter.holdout);
    else if (r.status === 'skipped') addTo(delta, counter.skipped(r.reason ?? 'unknown'));
    else if (r.status === 'queued' || r.status === 'deferred') {
      addTo(delta, counter.queued(r.variant ?? ''));
      if (r.status === 'deferred') addTo(delta, counter.deferred);
    }
  }
  return delta;
}

/** Hands pending records to their channel's sender, delayed until due (SQS holds a message up to 15 minutes). */
export async function queueRecipients(deps: Pick<Deps, 'queue' | 'now'>, tenantId: string, records: SendRecord[]): Promise<void> {
  const groups = new Map<string, SendRecord[]>();
  const now = deps.now().getTime();
  for (const r of records) {
    const delay = r.dueAt ? Math.min(900, Math.max(0, Math.ceil((Date.parse(r.dueAt) - now) / 1000))) : 0;
    const key = `${r.channel}:${delay}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  await Promise.all(
    [...groups].map(([key, group]) => {
      const [channel, delay] = key.split(':') as [Channel, string];
      const messages = group.map((r) => ({ tenantId, campaignId: r.campaignId, contactId: keyOf(r) }));
      return deps.queue.sendMany(channel === 'sms' ? 'campaign-sms' : 'campaign-email', messages, { delaySeconds: Number(delay) });
    }),
  );
}

/**
 * One step of resolution for one part: pages until the part is done or the time budget is spent
 * (then the rest is queued as the next step). Stops quietly once the campaign is cancelled.
 */
export async function resolveAudienceStep(
  deps: AudienceDeps,
  message: { tenantId: string; campaignId: string; part: number; cursor?: string | undefined },
  budgetMs = AUDIENCE_BUDGET_MS,
): Promise<{ records: number; done: boolean }> {
  const { tenantId, campaignId, part } = message;
  const campaign = await deps.campaigns.get(tenantId, campaignId);
  if (!campaign) return { records: 0, done: true };
  if (campaign.status !== 'sending' && campaign.status !== 'paused') {
    // Cancelled (or failed) meanwhile: this part adds no one more, so it counts as resolved.
    await deps.campaigns.addCounts(tenantId, campaignId, {}, part);
    return { records: 0, done: true };
  }
  const started = Date.now();
  const now = deps.now();
  const [{ inAudience, inHoldout }, sending] = await Promise.all([
    audiencePredicates(deps, tenantId, campaign, now),
    deps.settings.sending(tenantId),
  ]);
  const topic = campaignTopic(campaign.topic, sending.topics);
  let cursor = message.cursor;
  let written = 0;
  do {
    const page = await deps.contacts.scanRange(tenantId, part, SCAN_PARTS, AUDIENCE_PAGE, cursor);
    const members = page.items.filter(inAudience);
    const claims =
      sending.frequencyCap && members.length > 0
        ? await deps.sends.sendLogs(
            tenantId,
            members.map((m) => String(m.contactId)),
          )
        : undefined;
    const records = members.map((item) =>
      decide(campaign, item, {
        inHoldout: inHoldout(item),
        cap: sending.frequencyCap,
        claims: claims?.get(String(item.contactId))?.claims,
        now,
        topic,
      }),
    );
    const existing = await deps.sends.createMany(tenantId, records);
    const fresh = records.filter((r) => !existing.has(r.contactId));
    // A record written by an earlier attempt and still queued may have missed its message: queue it again (senders ignore repeats).
    const isPending = (r: SendRecord) => r.status === 'queued' || r.status === 'deferred';
    // Counted before they are queued, so no sender can finish a recipient the counters do not hold yet.
    // `scanned` is the heartbeat the progress sweep watches while a sparse audience is read.
    await deps.campaigns.addCounts(tenantId, campaignId, { ...countRecords(fresh), scanned: page.items.length });
    await queueRecipients(deps, tenantId, [...fresh.filter(isPending), ...[...existing.values()].filter(isPending)]);
    written += fresh.length;
    cursor = page.cursor;
    if (cursor && Date.now() - started > budgetMs) {
      await deps.queue.send('campaign-audience', { tenantId, campaignId, part, cursor });
      return { records: written, done: false };
    }
  } while (cursor);
  const counts = await deps.campaigns.addCounts(tenantId, campaignId, {}, part);
  await settleIfDone(deps, tenantId, campaignId, counts);
  return { records: written, done: true };
}
