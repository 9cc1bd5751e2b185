/**
 * Triggered campaigns: events set firings in motion, a durable due-time index holds them through
 * their delay, and at their time each firing becomes one send record that goes through the same
 * senders as any campaign (consent, suppression, quiet hours, frequency cap, pacing, tracking).
 *
 * Exactly once, without transactions:
 * - a firing's id derives from (trigger, contact, starting event) and its put is conditional, so a
 *   redelivered event finds it and fires nothing new (it only re-queues a firing still waiting);
 * - the cooldown is one conditional write per (trigger, contact) that a replay of the same firing
 *   passes again;
 * - the due entry is an idempotent put, the queue consumer acts only on a waiting firing, the send
 *   record's key is (campaign, contact-firing) and its put is conditional, and the senders claim
 *   each send in the contact's send log before they call SES.
 *
 * Durable delays: a firing due within 15 minutes is a delayed queue message; a later one is an
 * item in the due-time index (a few partitions sorted by due time), swept every minute (docs/triggers.md says
 * why not one EventBridge Scheduler schedule per firing).
 */
import { recommend } from '../domain/basket-rules.ts';
import { type Campaign, counter, keyOf, recipientKey, type SendRecord, sendIdOf } from '../domain/campaign.ts';
import type { StoredEvent } from '../domain/event.ts';
import { compileRule, type ContactItem } from '../domain/segment-eval.ts';
import type { Rule } from '../domain/segment.ts';
import {
  type TriggerSpec,
  activeAt,
  cooldownMs,
  dueAfter,
  DUE_SHARDS,
  type DropReason,
  type Firing,
  firingIdOf,
  startsOn,
  type TriggerStage,
} from '../domain/trigger.ts';
import { campaignTopic } from '../domain/sending.ts';
import { Aggregates, type ValueSettings } from '../domain/value.ts';
import { SCAN_PARTS } from './contact-scan.ts';
import { mapConcurrent } from '../lib/concurrency.ts';
import type { Deps, DueWork } from '../runtime/ports.ts';
import { countRecords, decide, queueRecipients } from './campaign-audience.ts';
import { getSegmentRules } from './segments.ts';
import { publishWebhookEvent } from './webhooks.ts';

export type TriggerDeps = Pick<
  Deps,
  'triggers' | 'campaigns' | 'contacts' | 'sends' | 'settings' | 'segments' | 'queue' | 'webhooks' | 'now'
>;
/** What starting firings needs (event ingestion has these). */
type StartDeps = Pick<Deps, 'triggers' | 'campaigns' | 'contacts' | 'settings' | 'segments' | 'queue' | 'now'>;

/** Work due within this is a delayed queue message (SQS holds one 15 minutes at most); later work is indexed. */
const DIRECT_MS = 14 * 60_000;

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

// ---------------------------------------------------------------------------------------------
// Active triggers

/** Keeps the workspace's index of active triggers in step with a triggered campaign's status. */
export async function syncActiveTrigger(deps: Pick<Deps, 'triggers'>, tenantId: string, campaign: Campaign): Promise<void> {
  if (!campaign.trigger) return;
  if (campaign.status === 'sending') await deps.triggers.setActive(tenantId, campaign);
  else await deps.triggers.setInactive(tenantId, campaign.campaignId, campaign.version);
}

// ---------------------------------------------------------------------------------------------
// Starting firings

/**
 * Only what happens after a trigger is launched starts it: a shop backfilling its order history,
 * or a customer who was lapsed before a win-back was launched, starts nothing. Events may arrive a
 * little late (a shop's queue, clock skew): this much.
 */
export const LATE_EVENT_GRACE_MS = 15 * 60_000;
const sinceLaunch = (campaign: Campaign, at: string) =>
  !campaign.startedAt || Date.parse(at) >= Date.parse(campaign.startedAt) - LATE_EVENT_GRACE_MS;

/** Seconds of an ISO time. */
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Is this the contact's first event of its type? From the aggregates folded after it was stored. */
/**
 * Is the contact's first event of this type in this batch? From the aggregates folded after the
 * batch was stored: the first purchase is one of the batch's (an order sent again under a new
 * event id counts as the same order); a custom type had no events before the batch.
 */
function firstInBatch(type: string, batch: StoredEvent[], aggregates: Aggregates | undefined): boolean {
  if (!aggregates) return false;
  const ofType = batch.filter((e) => e.type === type);
  if (ofType.length === 0) return false;
  if (type === 'purchase') return ofType.some((e) => aggregates.firstPurchaseAt === seconds(e.at)) || aggregates.orders <= 1;
  return (aggregates.events[type]?.count ?? 0) - ofType.length <= 0;
}

/**
 * What a firing is keyed by besides trigger and contact: a `first` trigger fires once per
 * contact ever; a purchase once per order (an order sent again, or corrected, under a new event
 * id); anything else once per event.
 */
function startKeyOf(spec: TriggerSpec, event: StoredEvent): string {
  if (spec.on.first) return `first:${event.type}`;
  return event.type === 'purchase' && event.orderId ? `order:${event.orderId}` : event.eventId;
}

/**
 * After a contact's events are stored and its aggregates folded: starts the firings they set off,
 * and, for a purchase, schedules the lifecycle checks of the active stage triggers. Called for
 * duplicates too (a retry after a crash between storing and this), which changes nothing twice.
 */
export async function onEvents(
  deps: StartDeps,
  tenantId: string,
  contactId: string,
  events: StoredEvent[],
  active: Campaign[],
  aggregates: Aggregates | undefined,
  before: Aggregates | undefined = aggregates,
): Promise<{ started: number }> {
  if (active.length === 0 || events.length === 0) return { started: 0 };
  let started = 0;
  for (const event of events) {
    for (const campaign of active) {
      const spec = campaign.trigger;
      if (!spec || !sinceLaunch(campaign, event.at) || !startsOn(spec, event, firstInBatch(event.type, events, aggregates))) continue;
      const categories = [...new Set((event.items ?? []).flatMap((i) => (i.category ? [i.category] : [])))];
      const data = { event: eventData(event) };
      if (await startFiring(deps, tenantId, campaign, contactId, startKeyOf(spec, event), event.at, { categories, data })) started++;
    }
    // Only the contact's latest purchase schedules the stage checks (an older one, backfilled or late, would find a newer purchase).
    const latest = event.type === 'purchase' && aggregates?.lastPurchaseAt === seconds(event.at);
    if (latest && active.some((c) => c.trigger?.on.stage !== undefined)) {
      await scheduleStageChecks(deps, tenantId, contactId, event, active);
    }
  }
  started += await checkSegmentEntries(deps, tenantId, contactId, events, active, aggregates, before);
  return { started };
}

/**
 * Segment triggers: after a contact's events, is it in each trigger's segment now, and was it not
 * before? "Before" is the last membership recorded for this trigger and segment, or, when there
 * is none (a new trigger, an edited segment, a new contact), the contact as it stood without this
 * batch's events. An entry is a conditional write keyed by the event that made it: of concurrent
 * events only one records the entry and starts the firing, and a retry of that event passes again
 * (the firing is keyed the same). Entries by time alone or by a contact edit are noticed at the
 * contact's next event.
 */
async function checkSegmentEntries(
  deps: StartDeps,
  tenantId: string,
  contactId: string,
  events: StoredEvent[],
  active: Campaign[],
  aggregates: Aggregates | undefined,
  before: Aggregates | undefined,
): Promise<number> {
  const watching = active.filter((c) => c.trigger?.on.segment !== undefined);
  const last = events.at(-1);
  if (watching.length === 0 || !last) return 0;
  const stored = (await deps.contacts.getManyItems(tenantId, [contactId])).get(contactId);
  if (!stored) return 0;
  // The aggregates just folded, not the copy read back (an eventually consistent read may predate them).
  const item = { ...stored, ...(aggregates ? { value: aggregates } : {}) };
  const itemBefore = { ...stored, ...(before ? { value: before } : {}) };
  const member = await segmentPredicates(deps, tenantId, active, deps.now());
  let started = 0;
  for (const campaign of watching) {
    const segmentId = campaign.trigger?.on.segment as string;
    const inSegment = member(segmentId);
    const inNow = inSegment(item);
    const state = await deps.triggers.segmentState(tenantId, contactId, campaign.campaignId);
    const known = state?.segmentId === segmentId ? state : undefined;
    const wasIn = known ? known.inSegment && known.entryKey !== last.eventId : inSegment(itemBefore);
    if (inNow && !wasIn) {
      // Of concurrent events, the one whose entry is recorded fires; a retry of it passes again.
      if (!(await deps.triggers.enterSegment(tenantId, contactId, campaign.campaignId, segmentId, last.eventId))) continue;
      if (sinceLaunch(campaign, last.at)) {
        const data = { segmentId, event: eventData(last) };
        if (await startFiring(deps, tenantId, campaign, contactId, `segment:${last.eventId}`, last.at, { data })) started++;
      }
    } else if (!inNow && (known?.inSegment ?? true)) {
      // Only over what this check saw: a concurrent entry it did not see stays (a stale view must not reopen it).
      await deps.triggers.leaveSegment(tenantId, contactId, campaign.campaignId, segmentId, known?.entryKey);
    }
  }
  return started;
}

/** Compiled segment predicates, once per event batch (the same list of active triggers). */
const compiledFor = new WeakMap<Campaign[], Promise<(id: string) => (item: ContactItem) => boolean>>();
function segmentPredicates(deps: Pick<Deps, 'segments' | 'settings'>, tenantId: string, active: Campaign[], now: Date) {
  let compiled = compiledFor.get(active);
  if (!compiled) {
    const ids = active.flatMap((c) => (c.trigger?.on.segment !== undefined ? [c.trigger.on.segment] : []));
    compiled = compileSegments(deps, tenantId, ids, now);
    compiledFor.set(active, compiled);
  }
  return compiled;
}

/** A predicate per segment id, compiled once (the rules and the value model read once). */
async function compileSegments(deps: Pick<Deps, 'segments' | 'settings'>, tenantId: string, segmentIds: string[], now: Date) {
  const [model, rules] = await Promise.all([deps.settings.valueModel(tenantId), getSegmentRules(deps, tenantId, segmentIds)]);
  const ctx = { now, settings: model.settings, ...(model.boundaries ? { boundaries: model.boundaries } : {}), segments: rules };
  const compiled = new Map(segmentIds.map((id) => [id, compileRule({ inSegment: id } as Rule, ctx)]));
  return (id: string) => compiled.get(id) ?? (() => false);
}

/** What a template may use of the starting event. */
function eventData(event: StoredEvent): Record<string, unknown> {
  return {
    eventId: event.eventId,
    type: event.type,
    at: event.at,
    ...(event.orderId !== undefined ? { orderId: event.orderId } : {}),
    ...(event.total !== undefined ? { total: event.total, currency: event.currency } : {}),
    ...(event.items ? { items: event.items } : {}),
    ...(event.properties ? { properties: event.properties } : {}),
  };
}

/**
 * Starts one firing unless it exists (then makes sure it is queued or indexed). True when a
 * firing started now. (The cooldown is taken when a firing fires, so a firing dropped on its way
 * does not keep a later one from going out.)
 */
export async function startFiring(
  deps: StartDeps,
  tenantId: string,
  campaign: Campaign,
  contactId: string,
  startKey: string,
  startedAt: string,
  extra: { categories?: string[]; data?: Record<string, unknown> } = {},
): Promise<boolean> {
  const spec = campaign.trigger;
  if (!spec) return false;
  const firingId = firingIdOf(campaign.campaignId, contactId, startKey);
  const at = Date.parse(startedAt);
  const now = deps.now().toISOString();
  const firing: Firing = {
    firingId,
    campaignId: campaign.campaignId,
    contactId,
    startKey,
    startedAt: new Date(at).toISOString(),
    dueAt: dueAfter(spec, new Date(at)).toISOString(),
    status: 'waiting',
    campaignVersion: campaign.version,
    spec,
    variants: campaign.variants,
    ...(extra.categories && extra.categories.length > 0 ? { categories: extra.categories } : {}),
    ...(extra.data ? { data: extra.data } : {}),
    createdAt: now,
    updatedAt: now,
  };
  if (!(await deps.triggers.createFiring(tenantId, firing))) {
    // A replay: the firing exists. Still waiting (a crash before it was scheduled): schedule it again.
    const existing = await deps.triggers.getFiring(tenantId, contactId, campaign.campaignId, firingId);
    if (existing?.status === 'waiting') await scheduleFiring(deps, tenantId, existing);
    return false;
  }
  await deps.campaigns.addCounts(tenantId, campaign.campaignId, { [counter.firings('started')]: 1 });
  await scheduleFiring(deps, tenantId, firing);
  return true;
}

/** Hands a waiting firing to the queue (due soon) or the due-time index (due later). */
async function scheduleFiring(deps: Pick<Deps, 'triggers' | 'queue' | 'now'>, tenantId: string, firing: Firing): Promise<void> {
  const work: DueWork = {
    kind: 'firing',
    tenantId,
    contactId: firing.contactId,
    campaignId: firing.campaignId,
    firingId: firing.firingId,
  };
  await schedule(deps, firing.dueAt, `firing/${firing.contactId}/${firing.campaignId}/${firing.firingId}`, work);
}

async function schedule(deps: Pick<Deps, 'triggers' | 'queue' | 'now'>, dueAt: string, id: string, work: DueWork): Promise<void> {
  const wait = Date.parse(dueAt) - deps.now().getTime();
  if (wait <= DIRECT_MS) {
    await deps.queue.send('trigger-due', work, { delaySeconds: Math.max(0, Math.ceil(wait / 1000)) });
  } else {
    await deps.triggers.addDue(dueAt, id, work);
  }
}

/**
 * A purchase schedules its own "has this customer become at risk / lapsed?" checks at the end of
 * those windows (the workspace's lifecycle settings), for the stages active triggers start on.
 */
async function scheduleStageChecks(
  deps: StartDeps,
  tenantId: string,
  contactId: string,
  purchase: StoredEvent,
  active: Campaign[],
): Promise<void> {
  const stages = new Set(active.flatMap((c) => (c.trigger?.on.stage !== undefined ? [c.trigger.on.stage] : [])));
  const { settings } = await deps.settings.valueModel(tenantId);
  for (const stage of stages) await scheduleStageCheck(deps, tenantId, contactId, stage, seconds(purchase.at), purchase.eventId, settings);
}

/** When a customer whose last purchase was at `purchaseAt` (epoch seconds) enters the stage. */
function stageEntry(stage: TriggerStage, purchaseAt: number, settings: ValueSettings): Date {
  const days = stage === 'lapsed' ? settings.lifecycle.lapsedAfterDays : settings.lifecycle.atRiskAfterDays;
  // A minute past the threshold: lifecycleOf counts strictly more than the window as idle.
  return new Date((purchaseAt + days * 86_400) * 1000 + 60_000);
}

/** The check is keyed by the purchase's time: the purchase's own check and one from a scan at launch are one. */
async function scheduleStageCheck(
  deps: Pick<Deps, 'triggers' | 'queue' | 'now'>,
  tenantId: string,
  contactId: string,
  stage: TriggerStage,
  purchaseAt: number,
  purchaseEventId: string,
  settings: ValueSettings,
): Promise<void> {
  const work: DueWork = { kind: 'stage', tenantId, contactId, stage, purchaseAt, purchaseEventId };
  await schedule(deps, stageEntry(stage, purchaseAt, settings).toISOString(), `stage/${contactId}/${stage}/${purchaseAt}`, work);
}

export const STAGE_SCAN_PAGE = 500;

/**
 * A stage trigger launched or resumed reads the contact base once, one part of the key space a
 * page at a time (the next page is the next message): the customers already on their way to the
 * stage get their check (the purchases made from now on schedule their own); those in the stage
 * already are not messaged (docs/triggers.md).
 */
export async function scanAtLaunch(
  deps: Pick<Deps, 'triggers' | 'campaigns' | 'contacts' | 'settings' | 'segments' | 'queue' | 'now'>,
  message: { tenantId: string; campaignId: string; part: number; cursor?: string | undefined },
): Promise<{ scheduled: number }> {
  const { tenantId, campaignId, part } = message;
  const campaign = await deps.campaigns.get(tenantId, campaignId);
  const stage = campaign?.trigger?.on.stage;
  if (!stage || campaign?.status !== 'sending') return { scheduled: 0 };
  const { settings } = await deps.settings.valueModel(tenantId);
  const page = await deps.contacts.scanRange(tenantId, part, SCAN_PARTS, STAGE_SCAN_PAGE, message.cursor);
  const now = deps.now().getTime();
  let scheduled = 0;
  for (const item of page.items) {
    const value = obj(item.value);
    const last = value?.lastPurchaseAt;
    if (typeof last !== 'number' || typeof item.contactId !== 'string') continue;
    if (stageEntry(stage, last, settings).getTime() <= now) continue; // in the stage already
    await scheduleStageCheck(deps, tenantId, item.contactId, stage, last, `scan:${last}`, settings);
    scheduled++;
  }
  if (page.cursor) await deps.queue.send('trigger-scan', { tenantId, campaignId, part, cursor: page.cursor });
  return { scheduled };
}

/** Starts the scans of a stage trigger that became active (one message per part of the key space). */
export async function queueLaunchScan(deps: Pick<Deps, 'queue'>, tenantId: string, campaign: Campaign): Promise<void> {
  if (campaign.trigger?.on.stage === undefined || campaign.status !== 'sending') return;
  await deps.queue.sendMany(
    'trigger-scan',
    Array.from({ length: SCAN_PARTS }, (_, part) => ({ tenantId, campaignId: campaign.campaignId, part })),
  );
}

// ---------------------------------------------------------------------------------------------
// The due-time index

/**
 * Every minute: hands the work due by now to the `trigger-due` queue, then removes it from the
 * index, shard by shard, earliest first. A crash between handing over and removing hands it over
 * again, which the consumer ignores (it acts on waiting firings only). After an outage the backlog
 * goes out in pages; `maxPages` bounds one run (the next minute's run goes on).
 */
export async function sweepDue(
  deps: Pick<Deps, 'triggers' | 'queue' | 'now'>,
  options: { pageSize?: number; maxPages?: number } = {},
): Promise<{ handed: number }> {
  const pageSize = options.pageSize ?? 500;
  const maxPages = options.maxPages ?? 100;
  const before = deps.now().toISOString();
  const handed = await Promise.all(
    Array.from({ length: DUE_SHARDS }, async (_, shard) => {
      let n = 0;
      for (let page = 0; page < maxPages; page++) {
        const due = await deps.triggers.dueIn(shard, before, pageSize);
        if (due.length === 0) break;
        await deps.queue.sendMany(
          'trigger-due',
          due.map((d) => d.work),
        );
        await mapConcurrent(due, 16, (d) => deps.triggers.removeDue(d.work.tenantId, d.dueAt, d.id));
        n += due.length;
        if (due.length < pageSize) break;
      }
      return n;
    }),
  );
  return { handed: handed.reduce((a, b) => a + b, 0) };
}

// ---------------------------------------------------------------------------------------------
// Due work

export type DueOutcome = 'fired' | 'dropped' | 'ignored' | 'later' | 'checked';

/** One piece of due work from the queue: a firing to fire, or a lifecycle check. */
export async function runDue(deps: TriggerDeps, work: DueWork): Promise<DueOutcome> {
  return work.kind === 'firing' ? fire(deps, work) : checkStage(deps, work);
}

/**
 * A batch from the queue, its pieces at once (each is independent, and safe to run twice
 * concurrently: every write is conditional). The indexes that failed, for the queue to retry.
 */
export async function runDueBatch(deps: TriggerDeps, works: DueWork[], onError: (error: unknown) => void = () => {}): Promise<number[]> {
  const failed: number[] = [];
  await mapConcurrent([...works.entries()], 10, async ([index, work]) => {
    try {
      await runDue(deps, work);
    } catch (error) {
      failed.push(index);
      onError(error);
    }
  });
  return failed;
}

/**
 * At a firing's time: checked again (trigger still active, contact still there, no purchase since
 * when asked, in the segment when one is named, the cooldown), then one send record for it,
 * handed to the senders, then the firing is marked fired and counted by whoever marked it.
 * A crash anywhere before the mark fires it again: a record already written means the checks were
 * passed, so the firing completes onto that record (its put is conditional; the senders claim each
 * send once), whatever the trigger's status is now.
 */
async function fire(deps: TriggerDeps, work: Extract<DueWork, { kind: 'firing' }>): Promise<DueOutcome> {
  const { tenantId, contactId, campaignId, firingId } = work;
  const firing = await deps.triggers.getFiring(tenantId, contactId, campaignId, firingId);
  if (firing?.status !== 'waiting') return 'ignored';
  const now = deps.now();
  if (Date.parse(firing.dueAt) > now.getTime() + 1000) {
    await scheduleFiring(deps, tenantId, firing); // early (a queue message delayed less than the wait): wait again
    return 'later';
  }
  const drop = async (reason: DropReason) => {
    if (await deps.triggers.endFiring(tenantId, firing, { status: 'dropped', reason, updatedAt: now.toISOString() }))
      await deps.campaigns.addCounts(tenantId, campaignId, { [counter.firings(`dropped#${reason}`)]: 1 });
    return 'dropped' as const;
  };
  const key = recipientKey(contactId, firingId);
  // Independent reads at once: the record (written before a crash?), the campaign, the contact and its send log, the settings.
  const [records, campaign, items, logs, sending] = await Promise.all([
    deps.sends.getMany(tenantId, campaignId, [key]),
    deps.campaigns.get(tenantId, campaignId),
    deps.contacts.getManyItems(tenantId, [contactId]),
    deps.sends.sendLogs(tenantId, [contactId]),
    deps.settings.sending(tenantId),
  ]);
  const written = records.get(key);
  if (written) return complete(deps, tenantId, firing, written);
  // Paused, cancelled or past its dates: the firings that come due meanwhile are dropped.
  if (campaign?.status !== 'sending' || !activeAt(firing.spec, new Date(firing.startedAt))) return drop('trigger_inactive');
  const item = items.get(contactId);
  if (!item) return drop('contact_erased');
  const parsed = Aggregates.safeParse(item.value);
  const aggregates = parsed.success ? parsed.data : undefined;
  if (firing.spec.cancelIfPurchased && (aggregates?.lastPurchaseAt ?? 0) > seconds(firing.startedAt)) return drop('purchased_since');
  if (firing.spec.segmentId && !(await inSegment(deps, tenantId, firing.spec.segmentId, item, now))) return drop('not_in_segment');

  const data: Record<string, unknown> = { ...(obj(firing.data) ?? {}), firedAt: now.toISOString() };
  if (firing.spec.recommendations > 0) {
    // Cross-sell: what goes with what was bought, never anything the contact ever bought (kept on the record, to measure uptake).
    const rules = await deps.settings.rules(tenantId);
    const bought = Object.keys(aggregates?.categories ?? {});
    const picks = rules
      ? recommend(rules, firing.categories ?? [], {
          limit: firing.spec.recommendations,
          exclude: [...bought, ...(firing.categories ?? [])],
        })
      : [];
    if (picks.length === 0) return drop('nothing_to_recommend');
    data.recommendations = picks;
  }
  const { frequencyCap, topics } = sending;
  // As it was when the firing started: its variants (an edit changes later firings only).
  const asFired: Campaign = { ...campaign, variants: firing.variants as Campaign['variants'] };
  const decided = decide(asFired, item, {
    inHoldout: false,
    cap: frequencyCap,
    claims: logs.get(contactId)?.claims,
    now,
    topic: campaignTopic(campaign.topic, topics),
  });
  // The cooldown runs from a message (or the holdout's message not sent): a firing skipped for
  // consent, suppression or the frequency cap leaves it for the next one.
  const cooldown = cooldownMs(firing.spec);
  const counts = decided.status === 'queued' || decided.status === 'deferred' || decided.status === 'holdout';
  if (
    counts &&
    cooldown > 0 &&
    !(await deps.triggers.takeCooldown(tenantId, contactId, campaignId, firingId, now.getTime(), now.getTime() - cooldown))
  )
    return drop('cooldown');
  const variant = firing.variants.find((v) => v.name === decided.variant);
  const record = {
    ...decided,
    sendId: sendIdOf(campaignId, key),
    firingId,
    ...(variant ? { templates: { ...(variant.email ? { email: variant.email } : {}), ...(variant.sms ? { sms: variant.sms } : {}) } } : {}),
    data,
  };
  const existing = (await deps.sends.createMany(tenantId, [record])).get(key);
  return complete(deps, tenantId, firing, existing ?? record);
}

/**
 * Hands the firing's record to the senders (again, after a crash: they send it once), marks the
 * firing fired and, if this call marked it, counts the record and publishes `trigger.fired`
 * (keyed by the send: a replay has the same event id). A crash between the mark and the count
 * loses that count (one ADD after one conditional write; triggered campaigns are not recounted).
 */
async function complete(deps: TriggerDeps, tenantId: string, firing: Firing, record: SendRecord): Promise<DueOutcome> {
  const { campaignId, contactId, firingId } = firing;
  if (record.status === 'queued' || record.status === 'deferred') await queueRecipients(deps, tenantId, [record]);
  const sendId = sendIdOf(campaignId, keyOf(record));
  if (!(await deps.triggers.endFiring(tenantId, firing, { status: 'fired', sendId, updatedAt: deps.now().toISOString() })))
    return 'ignored';
  await deps.campaigns.addCounts(tenantId, campaignId, { ...countRecords([record]), [counter.firings('fired')]: 1 });
  const fired = { campaignId, contactId, firingId, sendId, status: record.status, startKey: firing.startKey };
  await publishWebhookEvent(deps, tenantId, 'trigger.fired', fired, `${sendId}:fired`);
  return 'fired';
}

async function inSegment(deps: TriggerDeps, tenantId: string, segmentId: string, item: ContactItem, now: Date): Promise<boolean> {
  return (await compileSegments(deps, tenantId, [segmentId], now))(segmentId)(item);
}

/**
 * A lifecycle check a purchase scheduled: unless the contact bought again since (that purchase
 * scheduled its own check), it has entered the stage now, and the stage's active triggers fire.
 */
async function checkStage(deps: TriggerDeps, work: Extract<DueWork, { kind: 'stage' }>): Promise<DueOutcome> {
  const { tenantId, contactId, stage } = work;
  const item = (await deps.contacts.getManyItems(tenantId, [contactId])).get(contactId);
  const parsed = Aggregates.safeParse(item?.value);
  if (!item || !parsed.success || (parsed.data.lastPurchaseAt ?? 0) > work.purchaseAt) return 'checked';
  const active = (await deps.triggers.active(tenantId)).filter((c) => c.trigger?.on.stage === stage);
  const { settings } = await deps.settings.valueModel(tenantId);
  const entry = stageEntry(stage, work.purchaseAt, settings);
  // The thresholds were raised since the check was scheduled: not in the stage yet, look again then.
  if (entry.getTime() > deps.now().getTime() + 1000) {
    await scheduleStageCheck(deps, tenantId, contactId, stage, work.purchaseAt, work.purchaseEventId, settings);
    return 'later';
  }
  const enteredAt = entry.toISOString();
  for (const campaign of active) {
    if (!campaign.trigger || !activeAt(campaign.trigger, new Date(enteredAt)) || !sinceLaunch(campaign, enteredAt)) continue;
    await startFiring(deps, tenantId, campaign, contactId, `stage:${stage}:${work.purchaseAt}`, enteredAt, {
      data: { stage: stage satisfies TriggerStage, lastPurchaseAt: new Date(work.purchaseAt * 1000).toISOString() },
    });
  }
  return 'checked';
}

/** The triggered campaigns that are active in a workspace, once per event batch. */
export const activeTriggers = (deps: Pick<Deps, 'triggers'>, tenantId: string) => deps.triggers.active(tenantId);
