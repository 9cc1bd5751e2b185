/** A month on a chart's axis: "2026-11", or "2026-11 (to date)" for the current, partial one. */
export const monthLabel = (m: { month: string; partial: boolean }) => (m.partial ? `${m.month} (to date)` : m.month);
