/**
 * Each Lambda bundle's size (esbuild with the deployed settings) and its load time in a fresh
 * Node process: import of the module, including cold-start configuration and client creation.
 * `npm run bench:bundles`
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { functionId, queueConsumers, routes, schedules } from '../functions/wiring.ts';
import { BUNDLE } from '../infra/constructs/bundling.ts';
import { printTable } from './table.ts';

const out = mkdtempSync(join(tmpdir(), 'herald-bundles-'));
const entries = [...new Set([...routes, ...queueConsumers, ...schedules].map((r) => r.entry))];
const env = {
  ...process.env,
  TABLE_NAME: 'bench',
  LIST_CLEANUP_QUEUE_URL: 'http://127.0.0.1:1/q',
  POWERTOOLS_DEV: 'true',
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'silent',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const rows: Record<string, string | number>[] = [];

for (const entry of entries) {
  const outfile = join(out, `${functionId(entry)}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    outfile,
    target: BUNDLE.target,
    format: BUNDLE.format,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    keepNames: BUNDLE.keepNames,
    external: BUNDLE.external,
    mainFields: BUNDLE.mainFields,
    banner: { js: BUNDLE.banner },
    logLevel: 'error',
  });
  const probe = join(out, `probe-${functionId(entry)}.mjs`);
  writeFileSync(
    probe,
    `const t = performance.now(); const m = await import(${JSON.stringify(outfile)}); if (typeof m.handler !== 'function') throw new Error('no handler'); console.log((performance.now() - t).toFixed(1));`,
  );
  const loads = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, [probe], { env }).toString().trim()));
  loads.sort((a, b) => a - b);
  rows.push({
    function: functionId(entry),
    'bundle KB': (statSync(outfile).size / 1024).toFixed(0),
    'load ms (median of 5)': loads[2]!.toFixed(0),
    'load ms (max)': loads[4]!.toFixed(0),
  });
}
printTable(rows);
