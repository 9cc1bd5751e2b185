/** CSV text (RFC 4180): the reports' `Accept: text/csv` answers. */

export type Cell = string | number | boolean | null | undefined;

/** A field, quoted when it holds a comma, a quote or a line break; empty for null and undefined. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows joined with CRLF, as RFC 4180 has it. */
export const csvText = (rows: Cell[][]) => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
