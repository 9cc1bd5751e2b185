/**
 * A CSV file read the way `npm run import` reads it (scripts/lib/import-client.ts): csv-parse,
 * the same options, so the console and the CLI number rows and reject malformed records alike.
 * Records go to the API in numbered batches, one at a time, in file order (the later row wins).
 */
import { parse } from 'csv-parse/browser/esm/sync';

export interface Batch {
  /** The file row of the first record (the header is row 1, as a spreadsheet shows it). */
  firstRow: number;
  records: Record<string, string>[];
  rejects?: { row: number; reason: string }[];
  /** How far into the file (UTF-8 bytes) the batch's last record ends. */
  bytesRead: number;
}

/** The header and the first rows, for the column mapping. */
export function preview(text: string, rows = 3): { header: string[]; samples: string[][] } {
  const lines = parse(text, { bom: true, to_line: rows + 1, relax_column_count: true, skip_empty_lines: true }) as string[][];
  return { header: lines[0] ?? [], samples: lines.slice(1) };
}

export function toBatches(text: string, batchSize = 1000): Batch[] {
  const rejects: { row: number; reason: string }[] = [];
  const parsed = parse(text, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error) => {
      if (error) rejects.push({ row: ((error as { records?: number }).records ?? 0) + 2, reason: error.message.slice(0, 500) });
    },
  }) as unknown as { record: Record<string, string>; info: { records: number; bytes: number } }[];

  const batches: Batch[] = [];
  let current: Batch | undefined;
  for (const { record, info } of parsed) {
    current ??= { firstRow: info.records + 1, records: [], bytesRead: 0 };
    current.records.push(record);
    current.bytesRead = info.bytes;
    if (current.records.length >= batchSize) {
      batches.push(current);
      current = undefined;
    }
  }
  if (current) batches.push(current);
  // Rejected records travel with the first batch (the API stores them as row errors).
  const totalBytes = new TextEncoder().encode(text).byteLength;
  if (rejects.length > 0) {
    const first = batches[0] ?? { firstRow: 2, records: [], bytesRead: totalBytes };
    if (batches.length === 0) batches.push(first);
    first.rejects = rejects;
  }
  const last = batches[batches.length - 1];
  if (last) last.bytesRead = totalBytes;
  return batches;
}
