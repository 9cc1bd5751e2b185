/**
 * `npm run import -- contacts.csv [--map "Column=target" …] [--consent-source name] [--batch 1000]`
 * Imports a CSV into the running platform (npm start) or the API named by HERALD_API_URL and
 * HERALD_TOKEN, with a progress bar, then prints the summary and the first row errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importCsvFile } from './lib/import-client.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    map: { type: 'string', multiple: true },
    'consent-source': { type: 'string' },
    batch: { type: 'string', default: '1000' },
    api: { type: 'string' },
    token: { type: 'string' },
  },
});
const file = positionals[0];
if (!file || !existsSync(file)) {
  console.error('usage: npm run import -- <file.csv> [--map "Column=target"]… [--consent-source name] [--batch 1000]');
  process.exit(2);
}
const localState = join(process.env.HERALD_DATA_DIR ?? join(process.cwd(), '.herald'), 'local.json');
const local = existsSync(localState) ? (JSON.parse(readFileSync(localState, 'utf8')) as { apiUrl?: string; token?: string }) : {};
const apiUrl = values.api ?? process.env.HERALD_API_URL ?? local.apiUrl;
const token = values.token ?? process.env.HERALD_TOKEN ?? local.token;
if (!apiUrl || !token) {
  console.error('No API to import into: run `npm start` first, or set HERALD_API_URL and HERALD_TOKEN.');
  process.exit(2);
}
const mapping = Object.fromEntries(
  (values.map ?? []).map((m) => {
    const at = m.lastIndexOf('=');
    return [m.slice(0, at), m.slice(at + 1)];
  }),
);

const started = Date.now();
const bar = (fraction: number) => {
  const width = 30;
  const full = Math.round(fraction * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
};
const summary = await importCsvFile({
  apiUrl,
  token,
  file,
  mapping: Object.keys(mapping).length > 0 ? mapping : undefined,
  consentSource: values['consent-source'],
  batchSize: Number(values.batch),
  onProgress: (p) => {
    const rate = p.rows / Math.max(0.001, (Date.now() - started) / 1000);
    process.stderr.write(
      `\r${bar(p.totalBytes ? p.bytes / p.totalBytes : 1)} ${p.rows.toLocaleString('en')} rows, ${Math.round(rate).toLocaleString('en')}/s, ${p.failed} failed `,
    );
  },
}).catch((error: unknown) => {
  console.error(`\nimport failed: ${(error as Error).message}`);
  process.exit(1);
});
process.stderr.write('\n');
console.log(
  `import ${summary.jobId}: ${summary.rows} rows in ${summary.seconds.toFixed(1)} s — ${summary.imported} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed} failed`,
);
if (summary.failed > 0) {
  const res = await fetch(`${apiUrl}/imports/${summary.jobId}/errors?limit=20`, { headers: { authorization: `Bearer ${token}` } });
  const { items } = (await res.json()) as { items: { row: number; field: string; reason: string }[] };
  for (const e of items) console.log(`  row ${e.row}, ${e.field}: ${e.reason}`);
  if (summary.failed > items.length) console.log(`  … all errors: GET ${apiUrl}/imports/${summary.jobId}/errors`);
}
