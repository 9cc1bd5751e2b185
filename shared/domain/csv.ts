/**
 * Writing CSV (RFC 4180): a field holding a comma, a double quote, CR or LF is quoted, with its
 * quotes doubled; records end with CRLF. Pure. Reading CSV is csv-parse's job (imports).
 *
 * No spreadsheet-formula guard: a cell starting with `=`, `+`, `-` or `@` is written as is (a
 * negative number must stay one). A caller writing user-entered text to be opened in a
 * spreadsheet should neutralise such cells itself.
 */

export type CsvValue = string | number | boolean | null | undefined;

/** One field: null and undefined are empty; numbers as JavaScript writes them. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One record, without its line break. */
export const csvRecord = (values: readonly CsvValue[]): string => values.map(csvField).join(',');

/** A header record and the rows, each record ending with CRLF. */
export function csvTable(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => `${csvRecord(r)}\r\n`).join('');
}

/** Records (no header of their own), each ending with CRLF; an empty record is a blank line. */
export const csvText = (rows: readonly (readonly CsvValue[])[]): string => rows.map((r) => `${csvRecord(r)}\r\n`).join('');
