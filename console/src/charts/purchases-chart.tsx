/**
 * Revenue per month from a contact's purchases: the first chart, and the pattern for the report
 * pages: charts live in console/src/charts/ and are loaded with React.lazy, so Recharts never
 * weighs on a page that shows none. The chart is an image with a text summary for screen
 * readers; the same numbers are in the purchases table.
 */
import type { StoredEvent } from '@shared/domain/event.ts';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export default function PurchasesChart({ events }: { events: StoredEvent[] }) {
  const byMonth = new Map<string, number>();
  for (const e of events) if (e.type === 'purchase') byMonth.set(e.at.slice(0, 7), (byMonth.get(e.at.slice(0, 7)) ?? 0) + (e.total ?? 0));
  const data = [...byMonth]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, revenue]) => ({ month, revenue: Math.round(revenue * 100) / 100 }));
  const summary = `Revenue per month: ${data.map((d) => `${d.month} ${d.revenue}`).join(', ')}`;
  return (
    <figure style={{ margin: 0 }}>
      <div role="img" aria-label={summary} style={{ width: '100%', height: 220 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" />
            <YAxis />
            <Tooltip />
            <Bar dataKey="revenue" name="Revenue" fill="var(--mantine-color-blue-8)" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption style={{ fontSize: 'var(--mantine-font-size-sm)' }}>Revenue per month</figcaption>
    </figure>
  );
}
