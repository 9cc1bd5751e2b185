/**
 * Retention and churn per month (docs/reports.md): retention %, static churn % and dynamic churn %.
 * The current month is partial (counted up to the run): its segment of each line is dashed and its
 * axis label says "to date". A month whose rate has no denominator leaves a gap.
 */
import type { BaseHealthMonth } from '@shared/domain/base-health.ts';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, SERIES } from './chart-frame.tsx';
import { monthLabel } from './months.ts';

const SERIES_OF = [
  ['retention', 'Retention', SERIES[0]],
  ['staticChurn', 'Static churn', SERIES[1]],
  ['dynamicChurn', 'Dynamic churn', SERIES[2]],
] as const;

const text = (p: number | null) => (p === null ? 'none' : `${p}%`);

export default function RetentionChart({ months }: { months: BaseHealthMonth[] }) {
  const partialAt = months.findIndex((m) => m.partial);
  const data = months.map((m, i) => {
    const row: Record<string, string | number | null> = { month: monthLabel(m) };
    for (const [key] of SERIES_OF) {
      const value = m[key].percent;
      // Solid up to the last full month; dashed from there into the partial month.
      row[key] = partialAt >= 0 && i >= partialAt ? null : value;
      row[`${key}Partial`] = partialAt >= 0 && i >= partialAt - 1 ? value : null;
    }
    return row;
  });
  const label = `Retention, static churn and dynamic churn per month, in percent${partialAt >= 0 ? ` (${months[partialAt]?.month} is partial, to date)` : ''}: ${months
    .map(
      (m) =>
        `${m.month}: retention ${text(m.retention.percent)}, static churn ${text(m.staticChurn.percent)}, dynamic churn ${text(m.dynamicChurn.percent)}`,
    )
    .join('; ')}.`;
  return (
    <ChartFrame label={label} caption="Retention and churn per month, in % (dashed: the current month, to date)" height={280}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" />
        <YAxis unit="%" width={52} />
        <Tooltip formatter={(v) => (v === null || v === undefined ? 'none' : `${v}%`)} />
        <Legend itemSorter={null} />
        {SERIES_OF.map(([key, name, color]) => (
          <Line key={key} dataKey={key} name={name} stroke={color} strokeWidth={2} dot isAnimationActive={false} connectNulls={false} />
        ))}
        {SERIES_OF.map(([key, name, color]) => (
          <Line
            key={`${key}Partial`}
            dataKey={`${key}Partial`}
            name={`${name} (to date)`}
            stroke={color}
            strokeWidth={2}
            strokeDasharray="5 4"
            dot={{ r: 3 }}
            legendType="none"
            tooltipType="none"
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
