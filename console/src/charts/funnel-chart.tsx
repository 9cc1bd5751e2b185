/**
 * A campaign's funnel per group: assigned, sent, delivered, opened, clicked and converted, each as
 * a share of the group's assigned recipients, so groups of different sizes compare. The holdout is
 * sent nothing: only its assigned and converted bars are drawn.
 */
import type { GroupFigures } from '@shared/domain/evaluation.ts';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame, MUTED, SERIES } from './chart-frame.tsx';

const STEPS = [
  ['Assigned', 'assigned'],
  ['Sent', 'sent'],
  ['Delivered', 'delivered'],
  ['Opened', 'opened'],
  ['Clicked', 'clicked'],
  ['Converted', 'converters'],
] as const;

const share = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 100 : 0);

export default function FunnelChart({ groups }: { groups: GroupFigures[] }) {
  const data = STEPS.map(([step, key]) => {
    const row: Record<string, string | number | null> = { step };
    // Keyed by position: a variant may be named "holdout".
    groups.forEach((g, i) => {
      const treatedOnly = g.kind === 'holdout' && key !== 'assigned' && key !== 'converters';
      row[`g${i}`] = treatedOnly ? null : share(g[key], g.assigned);
    });
    return row;
  });
  const label = `Funnel per group, as a share of the recipients assigned: ${groups
    .map(
      (g) =>
        `${g.group}: ${STEPS.filter(([, key]) => !(g.kind === 'holdout' && key !== 'assigned' && key !== 'converters'))
          .map(([step, key]) => `${step.toLowerCase()} ${g[key].toLocaleString()} (${share(g[key], g.assigned)}%)`)
          .join(', ')}`,
    )
    .join('; ')}.`;
  let variant = 0;
  return (
    <ChartFrame label={label} caption="Funnel per group: each step as a % of the recipients assigned (the holdout is sent nothing)">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="step" />
        <YAxis unit="%" domain={[0, 100]} width={48} />
        <Tooltip formatter={(v) => `${v}%`} />
        <Legend itemSorter={null} />
        {groups.map((g, i) => (
          <Bar
            key={`${g.kind}:${g.group}`}
            dataKey={`g${i}`}
            name={g.kind === 'holdout' ? 'Holdout' : `Variant ${g.group}`}
            fill={g.kind === 'holdout' ? MUTED : (SERIES[variant++ % SERIES.length] as string)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
