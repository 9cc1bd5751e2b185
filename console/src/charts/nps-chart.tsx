/**
 * NPS per month with its 95% interval (a band) and the score (a line); months without answers leave
 * a gap. The interval is the normal approximation and is not clipped, so it can pass ±100.
 */
import type { BaseHealthMonth } from '@shared/domain/base-health.ts';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, MUTED, SERIES } from './chart-frame.tsx';
import { monthLabel } from './months.ts';

export default function NpsChart({ months }: { months: BaseHealthMonth[] }) {
  const data = months.map((m) => ({
    month: monthLabel(m),
    score: m.nps.score,
    interval: m.nps.low !== null && m.nps.high !== null ? [m.nps.low, m.nps.high] : null,
  }));
  const bounds = months.flatMap((m) => [m.nps.low ?? 0, m.nps.high ?? 0]);
  const domain: [number, number] = [Math.floor(Math.min(-100, ...bounds)), Math.ceil(Math.max(100, ...bounds))];
  const label = `Net promoter score per month with its 95% interval: ${months
    .map((m) =>
      m.nps.score === null
        ? `${m.month}: no answers`
        : `${m.month}: ${m.nps.score} (${m.nps.low} to ${m.nps.high}, ${m.nps.answers} answers)`,
    )
    .join('; ')}.`;
  return (
    <ChartFrame label={label} caption="NPS per month (line) with its 95% interval (band)" height={280}>
      <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" />
        <YAxis domain={domain} width={48} />
        <Tooltip />
        <Legend itemSorter={null} />
        <ReferenceLine y={0} stroke={MUTED} />
        <Area
          dataKey="interval"
          name="95% interval"
          stroke="none"
          fill={SERIES[0]}
          fillOpacity={0.18}
          isAnimationActive={false}
          connectNulls={false}
        />
        <Line dataKey="score" name="NPS" stroke={SERIES[0]} strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} connectNulls={false} />
      </ComposedChart>
    </ChartFrame>
  );
}
