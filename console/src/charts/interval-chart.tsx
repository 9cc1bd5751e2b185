/**
 * A forest plot: one row per variant (or group), its point estimate as a dot and its 95% interval
 * as a line with caps, on a shared axis with the zero line (no effect). An interval that crosses
 * zero says the data cannot tell the effect from none. Drawn as plain SVG, to the pixel, with the
 * figures written beside each row (and in the page's table); the image's label says them all.
 */
import { niceTicks } from './ticks.ts';
import { useWidth } from './use-width.ts';

export interface IntervalRow {
  label: string;
  estimate: number | null;
  low: number | null;
  high: number | null;
  /** Drawn in the accent colour (significant after correction); otherwise grey. */
  strong?: boolean;
}

export interface IntervalChartProps {
  rows: IntervalRow[];
  /** What the chart shows, first words of its accessible label: "Conversion uplift over the holdout". */
  title: string;
  /** An axis value (tick) as text. */
  tick: (n: number) => string;
  /** A row's estimate as text, with its unit ("+6.23 pts"). */
  value: (n: number) => string;
  /** An interval bound as text; `value` by default. */
  bound?: (n: number) => string;
  /** Draw the zero line (differences); off for rates. */
  zero?: boolean;
}

const ROW = 40;
const TOP = 8;
const AXIS = 34;
const ACCENT = 'var(--mantine-color-blue-8)';
const MUTED = 'var(--mantine-color-gray-7)';
const TEXT = 'var(--mantine-color-text)';

export function intervalSummary({
  rows,
  title,
  value,
  zero = true,
}: Pick<IntervalChartProps, 'rows' | 'title' | 'value' | 'zero'>): string {
  const parts = rows.map((r) => {
    if (r.estimate === null) return `${r.label}: not computed`;
    const ci = r.low !== null && r.high !== null ? ` (95% interval ${value(r.low)} to ${value(r.high)})` : ' (no interval)';
    return `${r.label}: ${value(r.estimate)}${ci}`;
  });
  return `${title}, with 95% confidence intervals${zero ? ' and the zero line of no effect' : ''}. ${parts.join('; ')}.`;
}

export default function IntervalChart(props: IntervalChartProps) {
  const { rows, tick, value, bound = value, zero = true } = props;
  const [ref, width] = useWidth<HTMLDivElement>();
  const narrow = width < 520;
  const labelW = Math.min(120, Math.max(56, Math.max(...rows.map((r) => r.label.length)) * 8 + 12));
  const textW = narrow ? 0 : 210;
  const left = labelW + 8;
  const right = width - textW - 16;
  const rowH = narrow ? ROW + 16 : ROW;
  const height = TOP + rows.length * rowH + AXIS;

  const values = rows.flatMap((r) => [r.estimate, r.low, r.high]).filter((n): n is number => n !== null && Number.isFinite(n));
  if (zero) values.push(0);
  let min = Math.min(...values, Number.POSITIVE_INFINITY);
  let max = Math.max(...values, Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [-1, 1];
  if (min === max) [min, max] = [min - 1, max + 1];
  const ticks = niceTicks(min, max, narrow ? 4 : 6);
  const lo = Math.min(min, ticks[0] ?? min);
  const hi = Math.max(max, ticks[ticks.length - 1] ?? max);
  const x = (n: number) => left + ((n - lo) / (hi - lo)) * (right - left);

  return (
    <div ref={ref} style={{ width: '100%' }}>
      <svg role="img" aria-label={intervalSummary(props)} width={width} height={height} style={{ display: 'block', overflow: 'visible' }}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={TOP} y2={height - AXIS} stroke="var(--mantine-color-gray-3)" />
            <text x={x(t)} y={height - AXIS + 16} textAnchor="middle" fontSize={12} fill={MUTED}>
              {tick(t)}
            </text>
          </g>
        ))}
        {zero && (
          <g>
            <line x1={x(0)} x2={x(0)} y1={TOP - 4} y2={height - AXIS} stroke={TEXT} strokeWidth={1.5} strokeDasharray="4 3" />
            <text x={x(0)} y={height - 4} textAnchor="middle" fontSize={12} fill={TEXT}>
              no effect
            </text>
          </g>
        )}
        {rows.map((r, i) => {
          const cy = TOP + i * rowH + (narrow ? 30 : ROW / 2);
          const color = r.strong ? ACCENT : MUTED;
          const hasCi = r.low !== null && r.high !== null;
          const text =
            r.estimate === null
              ? 'not computed'
              : `${value(r.estimate)}${hasCi ? ` (${bound(r.low as number)} to ${bound(r.high as number)})` : ', no interval'}`;
          return (
            <g key={r.label}>
              <text x={labelW} y={cy + 4} textAnchor="end" fontSize={13} fontWeight={600} fill={TEXT}>
                {r.label}
              </text>
              {hasCi && (
                <>
                  <line x1={x(r.low as number)} x2={x(r.high as number)} y1={cy} y2={cy} stroke={color} strokeWidth={3} />
                  <line x1={x(r.low as number)} x2={x(r.low as number)} y1={cy - 7} y2={cy + 7} stroke={color} strokeWidth={2} />
                  <line x1={x(r.high as number)} x2={x(r.high as number)} y1={cy - 7} y2={cy + 7} stroke={color} strokeWidth={2} />
                </>
              )}
              {r.estimate !== null && <circle cx={x(r.estimate)} cy={cy} r={6} fill={color} stroke="white" strokeWidth={1.5} />}
              <text
                x={narrow ? right : width - textW + 4}
                y={narrow ? cy - 14 : cy + 4}
                textAnchor={narrow ? 'end' : 'start'}
                fontSize={12}
                fill={TEXT}
              >
                {text}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
