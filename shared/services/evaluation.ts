/**
 * The scheduled evaluation: hourly (and on request) every campaign's report is computed from its
 * counters — O(campaigns) reads, whatever the number of events — and the customer base's health
 * from one pass over the contacts; both are stored per run and read back by the reports API.
 */
import { countsFrom } from '../domain/campaign.ts';
import {
  type CampaignReport,
  campaignReport,
  type EvaluatedCampaign,
  type EvaluationRun,
  DAY_MS,
  windowCloses,
} from '../domain/evaluation.ts';
import { NotFound } from '../domain/errors.ts';
import type { BasketRules } from '../domain/basket-rules.ts';
import { PRODUCT_RULES_MIN_BASKETS } from './value-model.ts';
import type { Caller, Deps } from '../runtime/ports.ts';
import { SCAN_PARTS } from './contact-scan.ts';
import { mapConcurrent } from '../lib/concurrency.ts';
import type { BaseHealthReport } from '../domain/base-health.ts';
import { BaseTooBig, buildBaseReport } from './base-report.ts';

/** Campaigns read at once in a run (three small reads each). */
const CAMPAIGNS_AT_ONCE = 8;
/** Time the base's pass may take in one run. */
const BASE_BUDGET_MS = 400_000;

export type RunDeps = Pick<Deps, 'evaluation' | 'campaigns' | 'contacts' | 'settings' | 'now'>;

const runIdAt = (now: Date, newId: () => string) =>
  `${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}_${newId().slice(-6).toLowerCase()}`;

/** `POST /reports/run`: a run is queued (reading the base outlasts an API request); its id to poll. */
export async function requestRun(deps: Pick<Deps, 'evaluation' | 'queue' | 'now' | 'newId'>, caller: Caller): Promise<EvaluationRun> {
  const now = deps.now();
  const run: EvaluationRun = { runId: runIdAt(now, deps.newId), status: 'queued', requestedAt: now.toISOString() };
  await deps.evaluation.saveRun(caller.tenantId, run);
  await deps.queue.send('evaluation', { tenantId: caller.tenantId, runId: run.runId });
  return run;
}

/** The hourly schedule: one queued run per workspace that has customer data. */
export async function requestAllRuns(
  deps: Pick<Deps, 'settings' | 'evaluation' | 'queue' | 'now' | 'newId'>,
): Promise<{ tenants: number }> {
  const tenants = await deps.settings.tenants();
  for (const tenantId of tenants) await requestRun(deps, { tenantId });
  return { tenants: tenants.length };
}

/** `GET /reports/runs/{runId}` */
export async function getRun(deps: Pick<Deps, 'evaluation'>, caller: Caller, runId: string): Promise<EvaluationRun> {
  const run = await deps.evaluation.run(caller.tenantId, runId);
  if (!run) throw new NotFound(`evaluation run ${runId}`);
  return run;
}

/**
 * One run for one workspace: every campaign still open to conversions, then the base. A campaign
 * that has ended and whose window closed before this run is evaluated one last time and marked
 * final: later runs do not read it again (its stored report stays).
 */
export async function runEvaluation(
  deps: RunDeps,
  tenantId: string,
  runId: string,
  { baseBudgetMs = BASE_BUDGET_MS }: { baseBudgetMs?: number } = {},
): Promise<EvaluationRun> {
  const started = Date.now();
  const now = deps.now();
  const previous = await deps.evaluation.run(tenantId, runId);
  const base: EvaluationRun = previous ?? { runId, status: 'queued', requestedAt: now.toISOString() };
  if (base.status === 'completed') return base; // a redelivered message
  await deps.evaluation.saveRun(tenantId, { ...base, status: 'running', startedAt: now.toISOString() });
  try {
    const entries = await deps.evaluation.started(tenantId);
    let campaigns = 0;
    const campaignErrors: { campaignId: string; error: string }[] = [];
    await mapConcurrent(entries, CAMPAIGNS_AT_ONCE, async (entry) => {
      // One campaign's trouble (inconsistent counters) never keeps the others' reports, or the base's, from a run.
      await evaluateCampaign(deps, tenantId, entry, runId, now).then(
        (done) => {
          if (done) campaigns++;
        },
        (error: unknown) => {
          campaignErrors.push({ campaignId: entry.campaignId, error: error instanceof Error ? error.message : String(error) });
        },
      );
    });
    // The worker has 450 s (functions/wiring.ts: half the visibility timeout): stop the base's pass
    // in time to say so, rather than be killed with the run left `running`.
    const report = await buildBaseReport(deps, tenantId, { deadline: started + baseBudgetMs });
    await deps.evaluation.saveReport(tenantId, 'base', { ...report, runId, evaluatedAt: now.toISOString() });
    const contacts = report.totals.contacts;
    const done: EvaluationRun = {
      ...base,
      status: 'completed',
      startedAt: now.toISOString(),
      finishedAt: deps.now().toISOString(),
      campaigns,
      ...(campaignErrors.length > 0 ? { campaignErrors } : {}),
      contacts,
      durationMs: Date.now() - started,
    };
    await deps.evaluation.saveRun(tenantId, done);
    return done;
  } catch (error) {
    const failed: EvaluationRun = {
      ...base,
      status: 'failed',
      startedAt: now.toISOString(),
      finishedAt: deps.now().toISOString(),
      error: error instanceof Error ? error.message : String(error),
    };
    await deps.evaluation.saveRun(tenantId, failed);
    // A base too big for one run fails the same way on a retry: the run says why, the campaigns' reports are saved.
    if (error instanceof BaseTooBig) return failed;
    throw error;
  }
}

/** Hours past a campaign's window before its report is final: late events and counts still land. */
const FINAL_GRACE_MS = DAY_MS;

/** One campaign's report from its counters; false when it is no more (deleted). Final once ended and a day past its window. */
async function evaluateCampaign(deps: RunDeps, tenantId: string, entry: EvaluatedCampaign, runId: string, now: Date): Promise<boolean> {
  const campaign = await deps.campaigns.get(tenantId, entry.campaignId);
  if (!campaign) {
    await deps.evaluation.markFinal(tenantId, entry.campaignId);
    return false;
  }
  const ended = ['completed', 'cancelled', 'failed'].includes(campaign.status);
  const closes = windowCloses(campaign, entry.startedAt);
  const final = ended && closes !== null && closes + FINAL_GRACE_MS < now.getTime();
  // Marked final before the counters are read: nothing counted after that read is left out of the last report.
  if (final) await deps.evaluation.markFinal(tenantId, entry.campaignId);
  const [raw, conversions] = await Promise.all([
    deps.campaigns.counts(tenantId, entry.campaignId),
    deps.evaluation.conversionTotals(tenantId, entry.campaignId),
  ]);
  const report = campaignReport({ campaign, counts: countsFrom(raw, SCAN_PARTS), conversions, runId, now });
  await deps.evaluation.saveReport(tenantId, { campaignId: entry.campaignId }, report);
  return true;
}

/** `GET /reports/campaigns/{id}`: the latest run's report (404 until a run has evaluated the campaign). */
export async function getCampaignReport(
  deps: Pick<Deps, 'evaluation' | 'campaigns'>,
  caller: Caller,
  campaignId: string,
): Promise<CampaignReport> {
  const report = await deps.evaluation.report(caller.tenantId, { campaignId });
  if (report) return report as CampaignReport;
  const campaign = await deps.campaigns.get(caller.tenantId, campaignId);
  if (!campaign) throw new NotFound(`campaign ${campaignId}`);
  // NotFound adds " not found": the reason goes in brackets before it.
  throw new NotFound(
    campaign.startedAt
      ? `report of campaign ${campaignId} (not evaluated yet: POST /reports/run, or wait for the hourly run)`
      : `report of campaign ${campaignId} (the campaign has not started)`,
  );
}

/** `GET /reports/base` */
export async function getBaseReport(
  deps: Pick<Deps, 'evaluation'>,
  caller: Caller,
): Promise<BaseHealthReport & { runId: string; evaluatedAt: string }> {
  const report = await deps.evaluation.report(caller.tenantId, 'base');
  if (!report) throw new NotFound('base report (not evaluated yet: POST /reports/run, or wait for the hourly run)');
  return report as BaseHealthReport & { runId: string; evaluatedAt: string };
}

/**
 * `GET /reports/basket-rules`: the rules the value-model schedule mined last: between categories
 * (the cross-sell recommendations use them) and, once there are enough baskets, products.
 */
export async function getBasketRules(deps: Pick<Deps, 'settings'>, caller: Caller): Promise<BasketRules> {
  const [categories, products] = await Promise.all([deps.settings.rules(caller.tenantId), deps.settings.rules(caller.tenantId, 'product')]);
  if (!categories) throw new NotFound('basket rules (not mined yet: POST /settings/value-model/recompute, or wait for the hourly run)');
  return {
    categories,
    products: products ?? null,
    ...(products
      ? {}
      : {
          productsNote: `product rules are mined once ${PRODUCT_RULES_MIN_BASKETS.toLocaleString('en-US')} customers have bought products`,
        }),
  };
}
