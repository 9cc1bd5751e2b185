/**
 * Streams a CSV file through csv-parse and sends its records to the Herald API in numbered
 * batches. Memory stays flat whatever the file size; a failed request is retried, which is safe
 * because the API ignores a batch it has already received.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';

export interface ImportOptions {
  apiUrl: string;
  token: string;
  file: string;
  mapping?: Record<string, string>;
  consentSource?: string;
  batchSize?: number;
  onProgress?: (p: {
    bytes: number;
    totalBytes: number;
    rows: number;
    imported: number;
    updated: number;
    unchanged: number;
    failed: number;
  }) => void;
}

export interface ImportSummary {
  jobId: string;
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  failed: number;
  seconds: number;
}

class ClientError extends Error {}

/**
 * One API call, retried up to 5 times on network errors and 5xx answers. Safe because every call
 * the importer makes is idempotent: the job create carries an Idempotency-Key, batches are
 * recognised by their first row, and completing twice is harmless. A 4xx is final.
 */
async function call<T>(
  options: ImportOptions,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${options.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.ok) return JSON.parse(text) as T;
      if (res.status < 500) throw new ClientError(`${method} ${path} → ${res.status}: ${text}`);
      if (attempt >= 5) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    } catch (error) {
      if (error instanceof ClientError || attempt >= 5) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
  }
}

export async function importCsvFile(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 1000;
  const totalBytes = statSync(options.file).size;
  const job = await call<{ jobId: string }>(
    options,
    'POST',
    '/imports',
    {
      source: options.file.split('/').pop()?.slice(0, 200),
      ...(options.mapping ? { mapping: options.mapping } : {}),
      ...(options.consentSource ? { consentSource: options.consentSource } : {}),
      totalBytes,
    },
    { 'idempotency-key': randomUUID() },
  );

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const rejects: { row: number; reason: string }[] = [];
  const parser = parse({ columns: true, bom: true, skip_empty_lines: true, skip_records_with_error: true, info: true });
  parser.on('skip', (error: Error & { records?: number }) => {
    rejects.push({ row: (error.records ?? 0) + 2, reason: error.message.slice(0, 500) });
  });
  const totals = { rows: 0, imported: 0, updated: 0, unchanged: 0, failed: 0 };

  let batch: Record<string, string>[] = [];
  let firstRow = 2; // the header is row 1
  // Batches go one at a time, in file order: when two rows name the same contact, the later row
  // must win, which concurrent batches cannot promise. (Two in flight were no faster anyway.)
  const flush = async () => {
    if (batch.length === 0 && rejects.length === 0) return;
    const result = await call<typeof totals & { rowsReceived: number }>(options, 'POST', `/imports/${job.jobId}/batches`, {
      firstRow,
      records: batch,
      ...(rejects.length > 0 ? { rejects: rejects.splice(0) } : {}),
      bytesRead: bytes,
    });
    batch = [];
    totals.rows += result.rowsReceived;
    totals.imported += result.imported;
    totals.updated += result.updated;
    totals.unchanged += result.unchanged;
    totals.failed += result.failed;
    options.onProgress?.({ bytes, totalBytes, ...totals });
  };

  createReadStream(options.file).pipe(counter).pipe(parser);
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { records: number } }>) {
    if (batch.length === 0) firstRow = info.records + 1;
    batch.push(record);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await call(options, 'POST', `/imports/${job.jobId}/complete`);
  return { jobId: job.jobId, ...totals, seconds: (Date.now() - started) / 1000 };
}
