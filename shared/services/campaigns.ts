/**
 * Campaigns: drafts, the launch checks, the status machine (launch, pause, resume, cancel), live
 * counts and recipients. Delivery itself is in campaign-audience.ts (who gets what) and
 * campaign-delivery.ts (the senders); campaign-progress.ts completes and repairs campaigns.
 */
import {
  Campaign,
  type CampaignCounts,
  type CampaignStatus,
  countsFrom,
  CreateCampaign,
  EARLIEST_OFFSET_MS,
  LATEST_OFFSET_MS,
  wallClockOf,
  nextStatus,
  type SendRecord,
  type SendStatus,
  SEND_SHARDS,
  type UpdateCampaign,
} from '../domain/campaign.ts';
import { type FieldIssue, InvalidTransition, NotFound, ValidationFailed } from '../domain/errors.ts';
import type { Caller, Deps, Page } from '../runtime/ports.ts';
import { SCAN_PARTS } from './contact-scan.ts';
import { createOnce, newResourceId } from './idempotency.ts';
import { settleIfDone } from './campaign-progress.ts';
import { queueLaunchScan, syncActiveTrigger } from './triggers.ts';
import { evaluatedEntry } from '../domain/evaluation.ts';

export type CampaignView = Campaign & { counts: CampaignCounts };

export async function getCampaignOnly(deps: Pick<Deps, 'campaigns'>, tenantId: string, campaignId: string): Promise<Campaign> {
  const campaign = await deps.campaigns.get(tenantId, campaignId);
  if (!campaign) throw new NotFound(`campaign ${campaignId}`);
  return campaign;
}

/** A campaign and its live counts. */
export async function getCampaign(deps: Pick<Deps, 'campaigns'>, caller: Caller, campaignId: string): Promise<CampaignView> {
  const [campaign, raw] = await Promise.all([
    getCampaignOnly(deps, caller.tenantId, campaignId),
    deps.campaigns.counts(caller.tenantId, campaignId),
  ]);
  const counts = countsFrom(raw, SCAN_PARTS);
  // A trigger shows its firings from the start, zeros included.
  if (campaign.trigger) counts.firings ??= { started: 0, fired: 0, dropped: {}, waiting: 0 };
  return { ...campaign, counts };
}

export async function listCampaigns(
  deps: Pick<Deps, 'campaigns'>,
  caller: Caller,
  limit: number,
  cursor?: string,
): Promise<Page<Campaign>> {
  return deps.campaigns.list(caller.tenantId, limit, cursor);
}

type RefDeps = Pick<Deps, 'templates' | 'segments' | 'lists' | 'settings'>;

/**
 * Every template, segment, list and topic a campaign names exists, and each template is for its
 * channel. (A topic deleted after launch is not checked again: it then counts as opt-in.)
 */
async function checkReferences(deps: RefDeps, tenantId: string, c: Campaign): Promise<void> {
  const issues: FieldIssue[] = [];
  await Promise.all([
    ...c.variants.flatMap((v, i) =>
      (['email', 'sms'] as const).map(async (channel) => {
        const id = v[channel];
        if (!id) return;
        const template = await deps.templates.get(tenantId, id);
        if (!template) issues.push({ field: `body.variants.${i}.${channel}`, message: `names no template (${id})` });
        else if (template.channel !== channel)
          issues.push({ field: `body.variants.${i}.${channel}`, message: `template ${id} is an ${template.channel} template` });
      }),
    ),
    ...(['segments', 'excludeSegments'] as const).flatMap((field) =>
      (c.audience?.[field] ?? []).map(async (id, i) => {
        if (!(await deps.segments.get(tenantId, id)))
          issues.push({ field: `body.audience.${field}.${i}`, message: `names no segment (${id})` });
      }),
    ),
    ...(['lists', 'excludeLists'] as const).flatMap((field) =>
      (c.audience?.[field] ?? []).map(async (id, i) => {
        if (!(await deps.lists.get(tenantId, id))) issues.push({ field: `body.audience.${field}.${i}`, message: `names no list (${id})` });
      }),
    ),
    (async () => {
      const id = c.trigger?.segmentId;
      if (id && !(await deps.segments.get(tenantId, id)))
        issues.push({ field: 'body.trigger.segmentId', message: `names no segment (${id})` });
      const entered = c.trigger?.on.segment;
      if (entered && !(await deps.segments.get(tenantId, entered)))
        issues.push({ field: 'body.trigger.on.segment', message: `names no segment (${entered})` });
    })(),
    (async () => {
      const h = c.holdout;
      if (h && 'listId' in h && !(await deps.lists.get(tenantId, h.listId)))
        issues.push({ field: 'body.holdout.listId', message: `names no list (${h.listId})` });
      if (h && 'segmentId' in h && !(await deps.segments.get(tenantId, h.segmentId)))
        issues.push({ field: 'body.holdout.segmentId', message: `names no segment (${h.segmentId})` });
    })(),
    (async () => {
      if (c.topic && !(await deps.settings.sending(tenantId)).topics?.some((t) => t.name === c.topic))
        issues.push({ field: 'body.topic', message: `names no topic of the workspace (${c.topic}); topics are in PUT /settings/sending` });
    })(),
  ]);
  if (issues.length > 0) throw new ValidationFailed(issues.sort((a, b) => a.field.localeCompare(b.field)));
}

export async function createCampaign(
  deps: RefDeps & Pick<Deps, 'campaigns' | 'now' | 'newId'>,
  caller: Caller,
  input: CreateCampaign,
  idempotencyKey?: string,
): Promise<{ campaign: Campaign; created: boolean }> {
  const now = deps.now().toISOString();
  const campaignId = newResourceId('cp', 'campaign', caller.tenantId, deps.newId, idempotencyKey);
  const campaign = Campaign.parse({
    ...CreateCampaign.parse(input),
    campaignId,
    status: 'draft',
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  await checkReferences(deps, caller.tenantId, campaign);
  const { value, created } = await createOnce(
    () => deps.campaigns.create(caller.tenantId, campaign).then(() => campaign),
    () => getCampaignOnly(deps, caller.tenantId, campaignId),
    idempotencyKey,
  );
  return { campaign: value, created };
}

/**
 * Changes a draft; a launched one-off campaign is history and cannot be edited (409). A triggered
 * campaign that is active or paused may change (its channel excepted): the change applies to
 * firings that start from now on; those already waiting keep the message they started with.
 */
export async function updateCampaign(
  deps: RefDeps & Pick<Deps, 'campaigns' | 'triggers' | 'now'>,
  caller: Caller,
  campaignId: string,
  change: UpdateCampaign,
): Promise<Campaign> {
  const current = await getCampaignOnly(deps, caller.tenantId, campaignId);
  const liveTrigger = current.trigger !== undefined && (current.status === 'sending' || current.status === 'paused');
  if (current.status !== 'draft' && !liveTrigger) {
    throw new InvalidTransition(`cannot edit a campaign that is ${current.status}: only drafts (and active triggers) change`);
  }
  if (liveTrigger && change.channel !== undefined && change.channel !== current.channel) {
    throw new ValidationFailed([{ field: 'body.channel', message: 'cannot change the channel of a launched trigger: create a new one' }]);
  }
  if (liveTrigger && 'trigger' in change && change.trigger === undefined) {
    throw new ValidationFailed([{ field: 'body.trigger', message: 'a launched trigger stays a trigger' }]);
  }
  if (liveTrigger) {
    // The evaluation compares one experiment: a new goal, window or split mid-flight would mix two (docs/reports.md).
    const measured = (['goal', 'attributionDays', 'holdout'] as const).filter(
      (f) => f in change && JSON.stringify(change[f]) !== JSON.stringify(current[f]),
    );
    const weights = change.variants?.some((v) => {
      const was = current.variants.find((c) => c.name === v.name);
      return was !== undefined && (v.weight ?? 1) !== was.weight;
    });
    const fields = [...measured, ...(weights ? ['variants'] : [])];
    if (fields.length > 0)
      throw new ValidationFailed(
        fields.map((f) => ({
          field: `body.${f}`,
          message:
            'cannot change what the evaluation measures (goal, window, holdout, variant weights) on a launched trigger: create a new one',
        })),
      );
  }
  // `topic: null` removes the topic: from what is kept as well as from what is checked.
  const { topic, ...rest } = change;
  const { topic: _t, ...withoutTopic } = current;
  const kept = topic === null ? withoutTopic : current;
  const {
    campaignId: _id,
    status: _s,
    createdAt: _c,
    updatedAt: _u,
    version: _v,
    launchedAt: _l,
    startedAt: _st,
    finishedAt: _f,
    error: _e,
    ...fields
  } = kept;
  const merged = CreateCampaign.safeParse({ ...fields, ...rest, ...(topic ? { topic } : {}) });
  if (!merged.success) {
    throw new ValidationFailed(merged.error.issues.map((i) => ({ field: ['body', ...i.path].join('.'), message: i.message })));
  }
  const next = Campaign.parse({ ...kept, ...merged.data, updatedAt: deps.now().toISOString(), version: current.version + 1 });
  // `null` clears the campaign's own quiet hours back to none; absent keeps them.
  await checkReferences(deps, caller.tenantId, next);
  await deps.campaigns.replace(caller.tenantId, next, current.version);
  if (liveTrigger) await syncActiveTrigger(deps, caller.tenantId, next);
  return next;
}

export async function deleteCampaign(deps: Pick<Deps, 'campaigns'>, caller: Caller, campaignId: string): Promise<void> {
  const current = await getCampaignOnly(deps, caller.tenantId, campaignId);
  if (current.status !== 'draft') {
    throw new InvalidTransition(`cannot delete a campaign that is ${current.status}: its send records are the campaign's history`);
  }
  await deps.campaigns.delete(caller.tenantId, campaignId);
}

type LaunchDeps = RefDeps & Pick<Deps, 'campaigns' | 'settings' | 'queue' | 'triggers' | 'evaluation' | 'now'>;

/**
 * Launches a draft: every reference and the sender identity are checked (400 naming what is
 * missing), then the campaign is `sending` (its audience is resolved in parallel parts) or, with
 * a schedule in the future, `scheduled`. A second launch is a 409.
 */
export async function launchCampaign(deps: LaunchDeps, caller: Caller, campaignId: string): Promise<Campaign> {
  const current = await getCampaignOnly(deps, caller.tenantId, campaignId);
  nextStatus(current.status, 'launch'); // 409 before any other check
  await checkReferences(deps, caller.tenantId, current);
  const sending = await deps.settings.sending(caller.tenantId);
  const issues: FieldIssue[] = [];
  const uses = current.channel === 'preferred' ? ['email', 'sms'] : [current.channel];
  if (uses.includes('email') && !sending.email)
    issues.push({ field: 'settings.email.from', message: 'set the sender identity first (PUT /settings/sending)' });
  if (uses.includes('sms') && !sending.sms)
    issues.push({ field: 'settings.sms.originationIdentity', message: 'set the SMS origination identity first (PUT /settings/sending)' });
  const now = deps.now();
  const startAt = startTime(current, now);
  // A local-time schedule is in the past once the last zone (UTC-12) has passed it: 26 hours after the first.
  if (
    current.schedule &&
    startAt.getTime() + (current.schedule.localTime ? EARLIEST_OFFSET_MS + LATEST_OFFSET_MS : 0) < now.getTime() - 60_000
  ) {
    issues.push({ field: 'body.schedule.at', message: 'is in the past' });
  }
  if (issues.length > 0) throw new ValidationFailed(issues);
  const later = startAt.getTime() > now.getTime();
  const launched: Campaign = {
    ...current,
    status: nextStatus(current.status, 'launch', later),
    launchedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: current.version + 1,
  };
  if (later) {
    // The marker first: a crash after it leaves a marker the scheduler drops (the campaign is still a draft).
    await deps.campaigns.markScheduled(caller.tenantId, campaignId, startAt.toISOString());
    await deps.campaigns.replace(caller.tenantId, launched, current.version);
    return launched;
  }
  return startSending(deps, caller.tenantId, launched, current.version);
}

/** When sending starts: now, the scheduled time, or for local-time schedules when the first zone reaches it. */
export function startTime(c: Pick<Campaign, 'schedule'>, now: Date): Date {
  if (!c.schedule) return now;
  return c.schedule.localTime ? new Date(wallClockOf(c.schedule.at).getTime() - EARLIEST_OFFSET_MS) : new Date(c.schedule.at);
}

/**
 * Saves a campaign as sending and hands its audience to the resolvers, one message per part of
 * the contact key space. The active marker goes first, so the progress sweep can always find a
 * campaign that was started, and restart a resolution that a crash left unstarted.
 */
async function startSending(
  deps: Pick<Deps, 'campaigns' | 'queue' | 'evaluation' | 'now'> & Partial<Pick<Deps, 'triggers'>>,
  tenantId: string,
  campaign: Campaign,
  readVersion: number,
): Promise<Campaign> {
  const started: Campaign = { ...campaign, status: 'sending', startedAt: deps.now().toISOString() };
  await deps.campaigns.markActive(tenantId, campaign.campaignId);
  // Before any recipient is assigned: from here on, events count as this campaign's conversions.
  await deps.evaluation.markStarted(tenantId, evaluatedEntry(started, started.startedAt as string));
  await deps.campaigns.replace(tenantId, started, readVersion);
  // A triggered campaign has no audience: from now on its trigger starts firings (the sweep repairs a crash before this).
  if (campaign.trigger) {
    if (deps.triggers) await syncActiveTrigger({ triggers: deps.triggers }, tenantId, started);
    await queueLaunchScan(deps, tenantId, started);
  } else await queueAudience(deps, tenantId, campaign.campaignId, [...Array(SCAN_PARTS).keys()]);
  return started;
}

export async function queueAudience(deps: Pick<Deps, 'queue'>, tenantId: string, campaignId: string, parts: number[]) {
  await deps.queue.sendMany(
    'campaign-audience',
    parts.map((part) => ({ tenantId, campaignId, part })),
  );
}

export async function queueControl(
  deps: Pick<Deps, 'queue'>,
  tenantId: string,
  campaignId: string,
  action: 'requeue' | 'cancel',
  onlyDue = false,
) {
  await deps.queue.sendMany(
    'campaign-control',
    Array.from({ length: SEND_SHARDS }, (_, shard) => ({ tenantId, campaignId, action, shard, ...(onlyDue ? { onlyDue } : {}) })),
  );
}

/** Starts the scheduled campaigns whose time has come (a schedule runs this every minute). */
export async function startDueCampaigns(deps: Pick<Deps, 'campaigns' | 'queue' | 'evaluation' | 'now'>): Promise<{ started: number }> {
  let started = 0;
  for (const due of await deps.campaigns.dueScheduled(deps.now().toISOString(), 100)) {
    const campaign = await deps.campaigns.get(due.tenantId, due.campaignId);
    if (campaign?.status === 'scheduled') {
      nextStatus(campaign.status, 'start');
      await startSending(
        deps,
        due.tenantId,
        { ...campaign, updatedAt: deps.now().toISOString(), version: campaign.version + 1 },
        campaign.version,
      );
      started++;
    }
    await deps.campaigns.unmarkScheduled(due.tenantId, due.campaignId, due.at);
  }
  return { started };
}

/** Pause: the senders stop within a batch (they read the status per batch); what is pending stays pending. */
export async function pauseCampaign(
  deps: Pick<Deps, 'campaigns' | 'triggers' | 'now'>,
  caller: Caller,
  campaignId: string,
): Promise<Campaign> {
  const campaign = await changeStatus(deps, caller.tenantId, campaignId, 'pause');
  await syncActiveTrigger(deps, caller.tenantId, campaign);
  return campaign;
}

/** Resume: sending again, and every pending record is handed to the senders again. */
export async function resumeCampaign(
  deps: Pick<Deps, 'campaigns' | 'sends' | 'queue' | 'triggers' | 'now'>,
  caller: Caller,
  campaignId: string,
): Promise<Campaign> {
  const campaign = await changeStatus(deps, caller.tenantId, campaignId, 'resume');
  await syncActiveTrigger(deps, caller.tenantId, campaign);
  await queueLaunchScan(deps, caller.tenantId, campaign);
  await queueControl(deps, caller.tenantId, campaignId, 'requeue');
  // Everything may have been final before the pause took effect: then it is complete now.
  const settled = await settleIfDone(deps, caller.tenantId, campaignId, await deps.campaigns.counts(caller.tenantId, campaignId));
  return settled ? getCampaignOnly(deps, caller.tenantId, campaignId) : campaign;
}

/** Cancel: nothing more is sent; pending records become `cancelled` (the senders and a sweep see to it). */
export async function cancelCampaign(
  deps: Pick<Deps, 'campaigns' | 'queue' | 'triggers' | 'now'>,
  caller: Caller,
  campaignId: string,
): Promise<Campaign> {
  const before = await getCampaignOnly(deps, caller.tenantId, campaignId);
  const campaign = await changeStatus(deps, caller.tenantId, campaignId, 'cancel', before);
  await syncActiveTrigger(deps, caller.tenantId, campaign);
  if (before.status === 'scheduled') {
    await deps.campaigns.unmarkScheduled(caller.tenantId, campaignId, startTime(before, deps.now()).toISOString());
  } else {
    await queueControl(deps, caller.tenantId, campaignId, 'cancel');
  }
  return campaign;
}

export async function changeStatus(
  deps: Pick<Deps, 'campaigns' | 'now'>,
  tenantId: string,
  campaignId: string,
  action: 'pause' | 'resume' | 'cancel' | 'complete' | 'fail',
  read?: Campaign,
  error?: string,
): Promise<Campaign> {
  const current = read ?? (await getCampaignOnly(deps, tenantId, campaignId));
  const status: CampaignStatus = nextStatus(current.status, action);
  const now = deps.now().toISOString();
  const next: Campaign = {
    ...current,
    status,
    updatedAt: now,
    version: current.version + 1,
    ...(status === 'completed' || status === 'cancelled' || status === 'failed' ? { finishedAt: now } : {}),
    ...(error ? { error } : {}),
  };
  await deps.campaigns.replace(tenantId, next, current.version);
  return next;
}

/** Queries one listing request may make (each reads at most `limit` records; two per shard on average). */
export const MAX_RECIPIENT_READS = 32;

/** Recipients, optionally of one status, shard after shard (the cursor carries the shard). */
export async function listRecipients(
  deps: Pick<Deps, 'campaigns' | 'sends'>,
  caller: Caller,
  campaignId: string,
  query: { status?: SendStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<SendRecord>> {
  await getCampaignOnly(deps, caller.tenantId, campaignId);
  let { shard, cursor } = decodeRecipientsCursor(query.cursor);
  const items: SendRecord[] = [];
  // A filter that matches few records would read the whole campaign in one request: stop after a
  // few reads and hand back a cursor (a page may then hold fewer items than asked for, or none).
  for (let reads = 0; shard < SEND_SHARDS && items.length < query.limit && reads < MAX_RECIPIENT_READS; reads++) {
    const page = await deps.sends.page(caller.tenantId, campaignId, shard, {
      limit: query.limit - items.length,
      ...(cursor ? { cursor } : {}),
      ...(query.status ? { statuses: [query.status] } : {}),
    });
    items.push(...page.items);
    if (page.cursor) cursor = page.cursor;
    else {
      shard++;
      cursor = undefined;
    }
  }
  return { items, ...(shard < SEND_SHARDS ? { cursor: encodeRecipientsCursor(shard, cursor) } : {}) };
}

/** Cursor across all shards of a campaign's records: the shard and that shard's own cursor. */
function encodeRecipientsCursor(shard: number, cursor: string | undefined): string {
  return Buffer.from(JSON.stringify({ shard, cursor })).toString('base64url');
}
function decodeRecipientsCursor(cursor: string | undefined): { shard: number; cursor?: string } {
  if (cursor === undefined) return { shard: 0 };
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { shard?: unknown; cursor?: unknown };
    if (
      Number.isInteger(v.shard) &&
      (v.shard as number) >= 0 &&
      (v.shard as number) < SEND_SHARDS &&
      (v.cursor === undefined || typeof v.cursor === 'string')
    ) {
      return { shard: v.shard as number, ...(typeof v.cursor === 'string' ? { cursor: v.cursor } : {}) };
    }
  } catch {
    // falls through to the 400
  }
  throw new ValidationFailed([{ field: 'query.cursor', message: 'is not a cursor from this listing' }]);
}
