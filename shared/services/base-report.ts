/**
 * The customer-base health report of a workspace (GET /reports/base, and as CSV): one pass over
 * the contacts into the accumulator of shared/domain/base-health.ts. Definitions: docs/reports.md.
 */
import { type BaseHealthReport, createBaseHealth, FlowFrom } from '../domain/base-health.ts';
import { type CsvValue, csvTable } from '../domain/csv.ts';
import { Lifecycle } from '../domain/value.ts';
import type { Deps } from '../runtime/ports.ts';
import { forEachContact } from './contact-scan.ts';

/**
 * Reads every contact of the workspace once (in parallel key ranges, items dropped as they are
 * counted) and returns the report as of `deps.now()`, with the workspace's lifecycle thresholds
 * and its latest value-model boundaries.
 */
export async function buildBaseReport(
  deps: Pick<Deps, 'contacts' | 'settings' | 'now'>,
  tenantId: string,
  options: { months?: number; deadline?: number } = {},
): Promise<BaseHealthReport> {
  const model = await deps.settings.valueModel(tenantId);
  const { deadline, ...rest } = options;
  const health = createBaseHealth({ now: deps.now(), settings: model.settings, boundaries: model.boundaries, ...rest });
  const read = await forEachContact(deps, tenantId, deadline === undefined ? {} : { deadline }, (item) => health.add(item));
  // A report of part of the base would be wrong in every figure: refuse it, saying how far it got.
  if (!read.complete)
    throw new BaseTooBig(
      `the base report needs more time than one run has: ${read.scanned.toLocaleString('en-US')} contacts read before the deadline (docs/benchmarks.md, Evaluation)`,
    );
  return health.finish();
}

export class BaseTooBig extends Error {}

const STAGES = Lifecycle.options;

/**
 * The report as CSV: one table per section, each under a `# section` line and with a header
 * record, sections separated by a blank line. Empty cells are nulls (a rate without a
 * denominator, no boundaries yet).
 */
export function baseReportCsv(report: BaseHealthReport): string {
  const sections: [string, string[], CsvValue[][]][] = [
    [
      'summary',
      ['figure', 'value'],
      [
        ['generatedAt', report.generatedAt],
        ['contacts', report.totals.contacts],
        ['customers', report.totals.customers],
        ['prospects', report.totals.prospects],
        ['orders', report.totals.orders],
        ['revenue', report.totals.revenue],
        ['boundariesComputedAt', report.boundaries?.computedAt ?? 'none yet'],
        ['boundariesCustomers', report.boundaries?.customers],
        ['atRiskAfterDays', report.lifecycle.atRiskAfterDays],
        ['lapsedAfterDays', report.lifecycle.lapsedAfterDays],
        ['loyalMinOrders', report.lifecycle.loyalMinOrders],
        ['loyalWithinDays', report.lifecycle.loyalWithinDays],
      ],
    ],
    [
      'months',
      [
        'month',
        'start',
        'end',
        'partial',
        'activeCustomers',
        'newCustomers',
        'orders',
        'retained',
        'activeLastMonth',
        'retentionPercent',
        'lost',
        'customersAtStart',
        'staticChurnPercent',
        'notRenewed',
        'renewalsDue',
        'dynamicChurnPercent',
        'approximate',
      ],
      report.months.map((m) => [
        m.month,
        m.start,
        m.end,
        m.partial,
        m.activeCustomers,
        m.newCustomers,
        m.orders,
        m.retention.retained,
        m.retention.activeLastMonth,
        m.retention.percent,
        m.staticChurn.lost,
        m.staticChurn.customersAtStart,
        m.staticChurn.percent,
        m.dynamicChurn.notRenewed,
        m.dynamicChurn.renewalsDue,
        m.dynamicChurn.percent,
        m.approximate,
      ]),
    ],
    [
      'lifecycle',
      ['month', 'end', 'contacts', ...STAGES],
      [
        ['opening', report.opening.end, report.opening.contacts, ...STAGES.map((s) => report.opening.stages[s])],
        ...report.months.map((m) => [m.month, m.end, m.contacts, ...STAGES.map((s) => m.stages[s])]),
      ],
    ],
    [
      'flows',
      ['month', 'from', ...STAGES],
      report.months.flatMap((m) => FlowFrom.options.map((from) => [m.month, from, ...STAGES.map((to) => m.flows[from][to])])),
    ],
    ['pareto', ['customersPercent', 'revenuePercent'], report.pareto.curve.map((p) => [p.customersPercent, p.revenuePercent])],
    ['tiers', ['tier', 'customers'], report.tiers ? (['A', 'B', 'C'] as const).map((t) => [t, report.tiers?.[t]]) : []],
    [
      'rfm',
      ['r', 'f', 'customers', 'revenue', 'averageRevenue', 'averageMonetaryScore'],
      (report.rfm?.cells ?? []).map((c) => [c.r, c.f, c.customers, c.revenue, c.averageRevenue, c.averageMonetaryScore]),
    ],
    ['rfm monetary', ['m', 'customers'], (report.rfm?.monetary ?? []).map((c) => [c.m, c.customers])],
    [
      'nps',
      ['month', 'answers', 'promoters', 'passives', 'detractors', 'score', 'low', 'high'],
      [...report.months.map((m) => [m.month, m.nps] as const), ['overall', report.nps.overall] as const].map(([month, n]) => [
        month,
        n.answers,
        n.promoters,
        n.passives,
        n.detractors,
        n.score,
        n.low,
        n.high,
      ]),
    ],
    ['loyalty', ['group', 'customers'], Object.entries(report.loyalty)],
    [
      'channels',
      ['channel', 'preferred', 'reachable'],
      [
        ['email', report.channels.preferred.email, report.channels.reachable.email],
        ['sms', report.channels.preferred.sms, report.channels.reachable.sms],
        ['any', null, report.channels.reachable.any],
        ['none', report.channels.preferred.none, report.channels.reachable.none],
      ],
    ],
  ];
  return sections.map(([title, header, rows]) => `# ${title}\r\n${csvTable(header, rows)}`).join('\r\n');
}
