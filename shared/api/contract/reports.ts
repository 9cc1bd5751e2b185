/** Reports: the scheduled evaluation's runs, each campaign's effect, the base's health, the basket rules. */
import * as z from 'zod';
import { BasketRules } from '../../domain/basket-rules.ts';
import { BaseHealthReport } from '../../domain/base-health.ts';
import { CampaignReport, EvaluationRun } from '../../domain/evaluation.ts';
import { Id, type Operation } from './common.ts';

/** `?format=csv` does what `Accept: text/csv` does (a link in a browser cannot set the header). */
const Format = z.object({ format: z.enum(['json', 'csv']).optional() });

export const reportApi = {
  runEvaluation: {
    summary: 'Queue an evaluation run now (the schedule runs one every hour); poll GET /reports/runs/{runId}',
    response: EvaluationRun,
    status: 202,
  },
  getEvaluationRun: {
    summary: 'An evaluation run: queued, running, completed (with its figures) or failed',
    path: z.object({ runId: Id }),
    response: EvaluationRun,
  },
  getCampaignReport: {
    summary:
      "A campaign's latest evaluation: the funnel and conversions per group, uplift over the holdout with intervals, the A/B verdict (text/csv too)",
    path: z.object({ campaignId: Id }),
    query: Format,
    response: CampaignReport,
    produces: 'text/csv',
  },
  getBaseReport: {
    summary: "The customer base's health by month: retention, churn, lifecycle flows, Pareto, RFM, NPS, loyalty, channels (text/csv too)",
    query: Format,
    response: BaseHealthReport.extend({ runId: z.string(), evaluatedAt: z.iso.datetime() }),
    produces: 'text/csv',
  },
  getBasketRules: {
    summary:
      'Association rules between the categories customers buy, and products once there are enough baskets (support, confidence, lift, count; text/csv too)',
    query: Format,
    response: BasketRules,
    produces: 'text/csv',
  },
} as const satisfies Record<string, Operation>;
