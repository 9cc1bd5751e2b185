/**
 * A CSV file read the way `npm run import` reads it (scripts/lib/import-client.ts): csv-parse
 * with the same options, so the console and the CLI reject malformed records alike. Records go to
 * the API in numbered batches, one at a time, in file order (the later row wins). Unlike the CLI
 * today, a batch never spans a rejected record, so rows after one keep their file row numbers.
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
  // The file row of each record: records parsed so far, rejected ones included, after the header.
  let emitted = 0;
  let skipped = 0;
  const rejects: { row: number; reason: string }[] = [];
  const rows = parse(text, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      rejects.push({ row: emitted + skipped + 2, reason: (error?.message ?? 'malformed record').slice(0, 500) });
      skipped++;
    },
    on_record: (record: Record<string, string>, info) => {
      emitted++;
      return { record, row: emitted + skipped + 1, bytes: info.bytes };
    },
  }) as unknown as { record: Record<string, string>; row: number; bytes: number }[];

  const batches: Batch[] = [];
  let current: Batch | undefined;
  for (const { record, row, bytes } of rows) {
    // The API numbers a batch's records from firstRow on: a rejected row in between starts a new batch.
    if (current && (current.records.length >= batchSize || current.firstRow + current.records.length !== row)) {
      batches.push(current);
      current = undefined;
    }
    current ??= { firstRow: row, records: [], bytesRead: 0 };
    current.records.push(record);
    current.bytesRead = bytes;
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
