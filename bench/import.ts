/**
 * Import throughput through the local stack: a generated contacts CSV (Hillstrom behaviour columns,
 * unique email and phone per row) streamed by the import client (this process) to `npm start`'s
 * entry point in a child process (gateway, handlers, dynalite on disk), as `npm run import` does.
 * `npm run bench:import -- [rows=100000]`
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCsvFile } from '../scripts/lib/import-client.ts';
import { startLocalStack } from './local-stack.ts';
import { makeContactsCsv } from './make-contacts-csv.ts';
import { printTable } from './table.ts';

const rows = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
const file = join(dir, 'contacts.csv');
await makeContactsCsv(file, rows);
const megabytes = statSync(file).size / 1024 / 1024;

const stack = await startLocalStack(4150);
const mapping = { recency: 'attributes.recency:number', history: 'attributes.history:number' };
const results: Record<string, string | number>[] = [];
for (const run of ['first import (all new)', 're-import (unchanged)']) {
  const s = await importCsvFile({ apiUrl: stack.apiUrl, token: stack.token, file, mapping, batchSize: 1000 });
  results.push({
    run,
    rows: s.rows,
    'file MB': megabytes.toFixed(1),
    seconds: s.seconds.toFixed(1),
    'rows/s': Math.round(s.rows / s.seconds),
    new: s.imported,
    unchanged: s.unchanged,
    failed: s.failed,
  });
}
await stack.stop();
rmSync(dir, { recursive: true, force: true });
printTable(results);
