/**
 * The Pareto (concentration) curve: the share of all revenue brought by the top x% of customers,
 * ranked by revenue, against the line of equal shares; the top 20%'s share is called out.
 */
import type { BaseHealthReport } from '@shared/domain/base-health.ts';
import { CartesianGrid, Label, Line, LineChart, ReferenceDot, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, MUTED, SERIES } from './chart-frame.tsx';

export default function ParetoChart({ pareto }: { pareto: BaseHealthReport['pareto'] }) {
  const data = pareto.curve.filter((p) => p.revenuePercent !== null);
  const top = pareto.top20Percent;
  const label = `Pareto curve: cumulative share of revenue against the share of customers ranked by revenue${
    top === null ? '' : `; the top 20% of customers bring ${top}% of revenue`
  }. ${data.map((p) => `${p.customersPercent}% of customers: ${p.revenuePercent}%`).join(', ')}.`;
  return (
    <ChartFrame
      label={label}
      caption="Cumulative share of revenue by share of customers, largest first (dashed: equal shares)"
      height={300}
    >
      <LineChart data={data} margin={{ top: 16, right: 24, bottom: 16, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="customersPercent" type="number" domain={[0, 100]} unit="%" ticks={[0, 20, 40, 60, 80, 100]}>
          <Label value="customers" position="insideBottomRight" offset={-8} />
        </XAxis>
        <YAxis domain={[0, 100]} unit="%" width={52} ticks={[0, 20, 40, 60, 80, 100]} />
        <Tooltip formatter={(v) => `${v}% of revenue`} labelFormatter={(l) => `Top ${l}% of customers`} />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 100, y: 100 },
          ]}
          stroke={MUTED}
          strokeDasharray="5 4"
        />
        <Line dataKey="revenuePercent" name="Revenue share" stroke={SERIES[0]} strokeWidth={2.5} dot={false} isAnimationActive={false} />
        {top !== null && (
          <>
            <ReferenceLine x={20} stroke={SERIES[1]} strokeDasharray="3 3" />
            <ReferenceDot x={20} y={top} r={5} fill={SERIES[1]} stroke="white">
              <Label value={`Top 20%: ${top}% of revenue`} position="right" offset={10} fill="var(--mantine-color-text)" fontSize={13} />
            </ReferenceDot>
          </>
        )}
      </LineChart>
    </ChartFrame>
  );
}
