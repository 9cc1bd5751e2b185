/** A campaign report and the base report as plain text tables, for `npm run evaluate` and `npm run demo`. */
import type { CampaignReport } from '../../shared/domain/evaluation.ts';

const pct = (r: number | null | undefined, digits = 2) => (r === null || r === undefined ? 'n/a' : `${(r * 100).toFixed(digits)}%`);
const num = (n: number | null | undefined, digits = 2) => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));
/** A p-value: 4 decimals, or `< 0.0001` (never a misleading 0.0000). */
const pv = (p: number | null | undefined) => (p === null || p === undefined ? 'n/a' : p < 0.0001 ? '< 0.0001' : p.toFixed(4));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function campaignReportText(r: CampaignReport): string {
  const groups = table(
    ['group', 'assigned', 'sent', 'opened', 'clicked', 'converters', 'rate', '95% CI', 'revenue', 'per recipient', 'AOV', 'cross-sell'],
    r.groups.map((g) => [
      g.group,
      String(g.assigned),
      String(g.sent),
      String(g.opened),
      String(g.clicked),
      String(g.converters),
      pct(g.conversionRate),
      g.conversionCi ? `${pct(g.conversionCi.low)} – ${pct(g.conversionCi.high)}` : 'n/a',
      num(g.revenue),
      num(g.revenuePerRecipient, 4),
      num(g.averageOrderValue),
      pct(g.crossSellRate),
    ]),
  );
  const uplift =
    r.uplift.length === 0
      ? 'No holdout: no uplift.'
      : table(
          [
            'variant vs holdout',
            'conversion Δ',
            '95% CI',
            'p',
            'Holm p',
            'revenue/recipient Δ',
            '95% CI',
            'p',
            'extra converters',
            'extra revenue',
          ],
          r.uplift.map((u) => [
            u.variant,
            `${pct(u.conversion.difference, 3)}`,
            u.conversion.ci ? `${pct(u.conversion.ci.low, 3)} – ${pct(u.conversion.ci.high, 3)}` : 'n/a',
            pv(u.conversion.pValue),
            pv(u.conversion.adjustedPValue),
            num(u.revenuePerRecipient.difference, 4),
            u.revenuePerRecipient.ci ? `${num(u.revenuePerRecipient.ci.low, 4)} – ${num(u.revenuePerRecipient.ci.high, 4)}` : 'n/a',
            pv(u.revenuePerRecipient.pValue),
            num(u.incrementalConversions, 1),
            num(u.incrementalRevenue),
          ]),
        );
  return [
    `${r.name} (${r.campaignId}) — goal: ${r.goal}, window ${r.attributionDays} days, run ${r.runId}`,
    groups,
    '',
    uplift,
    '',
    `Effect: ${r.effect.text}`,
    `A/B: ${r.abTest.text}`,
  ].join('\n');
}
