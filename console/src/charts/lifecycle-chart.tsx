/** Contacts by lifecycle stage at each month end, stacked (the partial month at the run). */
import type { BaseHealthMonth, StageCounts } from '@shared/domain/base-health.ts';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from './chart-frame.tsx';
import { monthLabel } from './months.ts';

export const STAGE_COLORS: Record<keyof StageCounts, string> = {
  prospect: 'var(--mantine-color-gray-6)',
  new: 'var(--mantine-color-cyan-9)',
  active: 'var(--mantine-color-blue-8)',
  loyal: 'var(--mantine-color-teal-8)',
  won_back: 'var(--mantine-color-grape-7)',
  at_risk: 'var(--mantine-color-orange-8)',
  lapsed: 'var(--mantine-color-red-8)',
};
const STAGES = Object.keys(STAGE_COLORS) as (keyof StageCounts)[];
const name = (s: string) => s.replace('_', ' ');

export default function LifecycleChart({ months }: { months: BaseHealthMonth[] }) {
  const data = months.map((m) => ({ month: monthLabel(m), ...m.stages }));
  const label = `Contacts by lifecycle stage at each month end, stacked: ${months
    .map((m) => `${m.month}${m.partial ? ' (to date)' : ''}: ${STAGES.map((s) => `${name(s)} ${m.stages[s]}`).join(', ')}`)
    .join('; ')}.`;
  return (
    <ChartFrame label={label} caption="Contacts by lifecycle stage at each month end" height={300}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="month" />
        <YAxis allowDecimals={false} width={52} />
        <Tooltip />
        <Legend itemSorter={null} />
        {STAGES.map((s) => (
          <Bar key={s} dataKey={s} name={name(s)} stackId="stages" fill={STAGE_COLORS[s]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
