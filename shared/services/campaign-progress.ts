/**
 * Finishing and repairing campaigns. Counters move by atomic ADD after each record changes
 * status, so a crash between the two leaves a counter short (never double: a replayed
 * transition fails its condition and adds nothing). The progress sweep notices a campaign whose
 * counters stopped moving, recounts its records, sets the counters to the exact figures, hands
 * pending records to the senders again, and completes it when every record is final.
 */
import { addTo, countsFrom, counter, type CounterDelta, finishedCount, isDone, SEND_SHARDS, type SendRecord } from '../domain/campaign.ts';
import { ConcurrentChange, InvalidTransition } from '../domain/errors.ts';
import type { Deps } from '../runtime/ports.ts';
import { changeStatus, queueAudience, queueControl } from './campaigns.ts';
import { SCAN_PARTS } from './contact-scan.ts';

/** Counters unchanged this long (and the campaign not paused) mean something was lost: recount and repair. */
export const CAMPAIGN_STALL_MS = 5 * 60_000;

type ProgressDeps = Pick<Deps, 'campaigns' | 'now'>;

/**
 * Completes (or, with an empty audience, fails) a sending campaign whose counters say every
 * record is final. Safe to call from any number of senders at once: one status change wins.
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
  try {
    if (campaign.status === 'sending') {
      if (counts.audience === 0) {
        await changeStatus(deps, tenantId, campaignId, 'fail', campaign, 'the audience is empty: no contact is in its segments and lists');
      } else {
        await changeStatus(deps, tenantId, campaignId, 'complete', campaign);
      }
    } else if (campaign.status !== 'cancelled' && campaign.status !== 'completed' && campaign.status !== 'failed') {
      return false; // paused: resume will finish it
    }
  } catch (error) {
    if (error instanceof ConcurrentChange || error instanceof InvalidTransition) return false; // another writer got there first
    throw error;
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

/** Reads every record of a campaign (shard by shard) and returns exact counters and how many are pending. */
export async function recount(
  deps: Pick<Deps, 'sends'>,
  tenantId: string,
  campaignId: string,
): Promise<{ counters: CounterDelta; pending: number }> {
  const counters: CounterDelta = {};
  let pending = 0;
  for (let shard = 0; shard < SEND_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      const page = await deps.sends.page(tenantId, campaignId, shard, { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const [name, n] of Object.entries(countersOf(page.items))) addTo(counters, name, n);
      pending += page.items.filter((r) => r.status === 'queued' || r.status === 'deferred').length;
      cursor = page.cursor;
    } while (cursor);
  }
  return { counters, pending };
}

/**
 * The progress sweep (a schedule, every minute): completes finished campaigns and repairs stalled
 * ones. Reads one marker per active campaign; recounts records only for a campaign whose
 * counters have not moved for CAMPAIGN_STALL_MS.
 */
export async function sweepCampaigns(
  deps: Pick<Deps, 'campaigns' | 'sends' | 'queue' | 'now'>,
): Promise<{ active: number; settled: number; repaired: number }> {
  let settled = 0;
  let repaired = 0;
  const active = await deps.campaigns.active(200);
  for (const { tenantId, campaignId, progress } of active) {
    const campaign = await deps.campaigns.get(tenantId, campaignId);
    if (!campaign || campaign.status === 'completed' || campaign.status === 'failed' || campaign.status === 'draft') {
      await deps.campaigns.unmarkActive(tenantId, campaignId);
      continue;
    }
    const raw = await deps.campaigns.counts(tenantId, campaignId);
    if (await settleIfDone(deps, tenantId, campaignId, raw)) {
      settled++;
      continue;
    }
    if (campaign.status === 'paused' || campaign.status === 'scheduled') continue;
    const counts = countsFrom(raw, SCAN_PARTS);
    const parts = raw.resolvedParts instanceof Set ? (raw.resolvedParts as Set<number>) : new Set<number>();
    const mark = `${counts.audience}:${finishedCount(counts)}:${parts.size}`;
    const now = deps.now();
    if (progress?.mark !== mark) {
      await deps.campaigns.markActive(tenantId, campaignId, { mark, since: now.toISOString() });
      continue;
    }
    if (now.getTime() - Date.parse(progress.since) < CAMPAIGN_STALL_MS) continue;
    repaired++;
    if (!counts.audienceResolved) {
      // Resolution steps are idempotent: the parts not yet finished start again from their beginning.
      const missing = [...Array(SCAN_PARTS).keys()].filter((p) => !parts.has(p));
      await queueAudience(deps, tenantId, campaignId, missing);
    } else {
      const exact = await recount(deps, tenantId, campaignId);
      await deps.campaigns.setCounts(tenantId, campaignId, exact.counters);
      if (exact.pending > 0) await queueControl(deps, tenantId, campaignId, campaign.status === 'cancelled' ? 'cancel' : 'requeue');
      else if (await settleIfDone(deps, tenantId, campaignId, await deps.campaigns.counts(tenantId, campaignId))) settled++;
    }
    await deps.campaigns.markActive(tenantId, campaignId, { mark: `${mark}:repaired`, since: now.toISOString() });
  }
  return { active: active.length, settled, repaired };
}
