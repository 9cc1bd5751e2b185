/**
 * Finishing and repairing campaigns. Counters move by atomic ADD after each record changes
 * status, so a crash between the two leaves a counter short (never double: a replayed
 * transition fails its condition and adds nothing). The progress sweep notices a campaign whose
 * counters stopped moving, recounts its records, sets the counters to the exact figures, hands
 * pending records to the senders again, and completes it when every record is final.
 */
import {
  addTo,
  countsFrom,
  counter,
  type CounterDelta,
  finishedCount,
  isDone,
  isDue,
  SEND_SHARDS,
  type SendRecord,
} from '../domain/campaign.ts';
import { ConcurrentChange, InvalidTransition } from '../domain/errors.ts';
import type { Deps } from '../runtime/ports.ts';
import { changeStatus, queueAudience, queueControl } from './campaigns.ts';
import { SCAN_PARTS } from './contact-scan.ts';
import { syncActiveTrigger } from './triggers.ts';

/** Counters unchanged this long (and the campaign not paused) mean something was lost: recount and repair. */
export const CAMPAIGN_STALL_MS = 5 * 60_000;

type ProgressDeps = Pick<Deps, 'campaigns' | 'sends' | 'queue' | 'now'> & Partial<Pick<Deps, 'triggers'>>;

/**
 * Completes (or, with an empty audience, fails) a sending campaign whose counters say every
 * record is final, but only after a recount of the records agrees: counters can be wrong
 * after a crash, and a campaign completed early would strand its pending recipients. The recount
 * sets the exact counters; pending records found instead are handed to the senders again. A
 * cancelled campaign whose records are all final leaves the active list.
 */
export async function settleIfDone(
  deps: ProgressDeps,
  tenantId: string,
  campaignId: string,
  raw: Record<string, unknown>,
): Promise<boolean> {
  const counts = countsFrom(raw, SCAN_PARTS);
  if (!counts.audienceResolved || !isDone(counts)) return false;
  const campaign = await deps.campaigns.get(tenantId, campaignId);
  if (!campaign) return false;
  if (campaign.status === 'paused' || campaign.status === 'scheduled' || campaign.status === 'draft') return false; // resume finishes it
  if (campaign.status === 'sending') {
    const exact = await recount(deps, tenantId, campaignId, deps.now());
    await deps.campaigns.setCounts(tenantId, campaignId, exact.counters);
    if (exact.pending > 0) {
      if (exact.due > 0) await queueControl(deps, tenantId, campaignId, 'requeue', true);
      return false;
    }
    try {
      if ((exact.counters[counter.audience] ?? 0) === 0) {
        await changeStatus(deps, tenantId, campaignId, 'fail', campaign, 'the audience is empty: no contact is in its segments and lists');
      } else {
        await changeStatus(deps, tenantId, campaignId, 'complete', campaign);
      }
    } catch (error) {
      if (!(error instanceof ConcurrentChange || error instanceof InvalidTransition)) throw error;
      return false; // another writer got there first
    }
  }
  await deps.campaigns.unmarkActive(tenantId, campaignId);
  return true;
}

/** The exact counters of a campaign, from its records. */
export function countersOf(records: Iterable<SendRecord>): CounterDelta {
  const c: CounterDelta = {};
  for (const r of records) {
    addTo(c, counter.audience);
    const v = r.variant;
    if (r.status === 'holdout') {
      addTo(c, counter.holdout);
      continue;
    }
    if (v !== undefined) addTo(c, counter.queued(v));
    if (r.status === 'skipped') addTo(c, counter.skipped(r.reason ?? 'unknown'));
    else if (r.status === 'deferred') addTo(c, counter.deferred);
    else if (r.status === 'cancelled') addTo(c, counter.cancelled);
    else if (v !== undefined && r.status === 'sent') addTo(c, counter.sent(v));
    else if (v !== undefined && r.status === 'unknown') addTo(c, counter.unknown(v));
    else if (r.status === 'failed') {
      if (v !== undefined) addTo(c, counter.failedVariant(v));
      addTo(c, counter.failedReason(r.reason ?? 'unknown'));
    }
  }
  return c;
}

/** Reads every record of a campaign (shard by shard): exact counters, how many are pending, and how many of those are due. */
export async function recount(
  deps: Pick<Deps, 'sends'>,
  tenantId: string,
  campaignId: string,
  now: Date,
): Promise<{ counters: CounterDelta; pending: number; due: number }> {
  const counters: CounterDelta = {};
  let pending = 0;
  let due = 0;
  for (let shard = 0; shard < SEND_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      const page = await deps.sends.page(tenantId, campaignId, shard, { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const [name, n] of Object.entries(countersOf(page.items))) addTo(counters, name, n);
      for (const r of page.items) {
        if (r.status !== 'queued' && r.status !== 'deferred') continue;
        pending++;
        if (isDue(r, now)) due++;
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return { counters, pending, due };
}

export interface SweepResult {
  active: number;
  settled: number;
  repaired: number;
  /** Campaigns the sweep could not handle this time (the next run tries again). */
  errors: { campaignId: string; error: string }[];
}

/**
 * The progress sweep (a schedule, every minute): completes finished campaigns and repairs stalled
 * ones. Reads one marker and one counters item per active campaign; recounts records only for a
 * campaign whose counters have not moved for CAMPAIGN_STALL_MS while some recipient is neither
 * final nor waiting (deferred). One campaign's failure does not stop the others.
 */
export async function sweepCampaigns(deps: ProgressDeps): Promise<SweepResult> {
  const result: SweepResult = { active: 0, settled: 0, repaired: 0, errors: [] };
  const active = await deps.campaigns.active();
  result.active = active.length;
  for (const entry of active) {
    try {
      const outcome = await sweepOne(deps, entry);
      if (outcome === 'settled') result.settled++;
      if (outcome === 'repaired') result.repaired++;
    } catch (error) {
      result.errors.push({ campaignId: entry.campaignId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

async function sweepOne(
  deps: ProgressDeps,
  { tenantId, campaignId, progress }: { tenantId: string; campaignId: string; progress?: { mark: string; since: string } },
): Promise<'settled' | 'repaired' | 'waiting'> {
  const campaign = await deps.campaigns.get(tenantId, campaignId);
  if (!campaign || campaign.status === 'completed' || campaign.status === 'failed' || campaign.status === 'draft') {
    await deps.campaigns.unmarkActive(tenantId, campaignId);
    return 'settled';
  }
  if (campaign.trigger) {
    // A triggered campaign never completes; the sweep keeps the workspace's index of active triggers right.
    if (deps.triggers) await syncActiveTrigger({ triggers: deps.triggers }, tenantId, campaign);
    if (campaign.status === 'cancelled') await deps.campaigns.unmarkActive(tenantId, campaignId);
    return campaign.status === 'cancelled' ? 'settled' : 'waiting';
  }
  const raw = await deps.campaigns.counts(tenantId, campaignId);
  if (await settleIfDone(deps, tenantId, campaignId, raw)) return 'settled';
  if (campaign.status === 'paused' || campaign.status === 'scheduled') return 'waiting';
  const counts = countsFrom(raw, SCAN_PARTS);
  const parts = raw.resolvedParts instanceof Set ? (raw.resolvedParts as Set<number>) : new Set<number>();
  // Resolution adds to `scanned` on every page: a slow scan of a big base is progress too.
  const mark = `${counts.audience}:${finishedCount(counts)}:${counts.deferred}:${parts.size}:${String(raw.scanned ?? 0)}`;
  const now = deps.now();
  if (progress?.mark !== mark) {
    await deps.campaigns.markActive(tenantId, campaignId, { mark, since: now.toISOString() });
    return 'waiting';
  }
  if (now.getTime() - Date.parse(progress.since) < CAMPAIGN_STALL_MS) return 'waiting';
  // Everyone not final is waiting for their time (quiet hours, a local-time schedule): not a stall.
  if (counts.audienceResolved && finishedCount(counts) + counts.deferred >= counts.audience) return 'waiting';
  if (!counts.audienceResolved) {
    // Resolution steps are idempotent: the parts not finished start again from their beginning.
    const missing = [...Array(SCAN_PARTS).keys()].filter((p) => !parts.has(p));
    await queueAudience(deps, tenantId, campaignId, missing);
  } else {
    const exact = await recount(deps, tenantId, campaignId, now);
    await deps.campaigns.setCounts(tenantId, campaignId, exact.counters);
    if (exact.due > 0) await queueControl(deps, tenantId, campaignId, campaign.status === 'cancelled' ? 'cancel' : 'requeue', true);
    else if (exact.pending === 0) await settleIfDone(deps, tenantId, campaignId, await deps.campaigns.counts(tenantId, campaignId));
  }
  await deps.campaigns.markActive(tenantId, campaignId, { mark: `${mark}:repaired`, since: now.toISOString() });
  return 'repaired';
}
