/**
 * Cross-sell rule mining (shared/domain/basket-rules.ts) on the arules Groceries baskets
 * (9,835 baskets, 169 categories), which live beside the project, never in it:
 * ../shared/datasets/groceries/groceries.csv. One thread, in process.
 *
 * Each mining row is the median (and fastest) of N runs over the baskets already in memory: the
 * default options, the options of the published arules run (Lantz ch. 8: support 0.006,
 * confidence 0.25, up to 3 antecedent items, no lift filter), a low support, and the defaults on
 * the baskets repeated ten times (98,350) to show how the cost grows with the baskets.
 * Baseline in the same run: one pass that only trims, de-duplicates and counts items per basket
 * (the raw scan every mining run starts with).
 * `recommend` is then called with each real basket in turn as the purchase (limit 3) for 2 s.
 *
 * Basket volume: the options the value-model schedule mines with (CROSS_SELL_MINING in
 * shared/services/value-model.ts) on growing numbers of synthetic customer baskets, each size in a
 * fresh child process so that its peak RSS is its own. A synthetic basket is a real Groceries
 * basket drawn at random with each item swapped, one time in four, for a category drawn from the
 * real category frequencies: sizes, frequencies and part of the co-occurrence stay as in the data.
 * Names are shared strings, as the schedule's baskets (keys of stored maps) are. Each child builds
 * its baskets, then times one pass of the baseline and `mineRules` (fastest of 3 after a warm-up);
 * every size runs twice, with Node's default heap and with the V8 heap capped at 400 MB (what the
 * value-model worker's 512 MB leaves, roughly, beside the runtime and the SDK).
 * `npm run bench:rules -- [runs=15] [volumes=10000,100000,1000000,2000000]`
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mineRules, recommend, type MineOptions, type RuleSet } from '../shared/domain/basket-rules.ts';
import { prng } from './contact-items.ts';
import { printTable } from './table.ts';

const VOLUME_FLAG = '--volume-child';
const volumeChild = process.argv.indexOf(VOLUME_FLAG);
const RUNS = volumeChild < 0 ? Number(process.argv[2] ?? 15) : 3;
const VOLUMES = (process.argv[3] ?? '10000,100000,1000000,2000000').split(',').map(Number);
/** CROSS_SELL_MINING in shared/services/value-model.ts (not exported there): keep the two the same. */
const CROSS_SELL_MINING = { minSupport: 0.01, minConfidence: 0.1, maxRules: 1500 };
/** Each size is mined twice: with Node's default heap, and with the heap a 512 MB function (the value-model worker) leaves room for. */
const HEAP_CAP_MB = 400;
const RECOMMEND_SECONDS = 2;
const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const GROCERIES = resolve(PROJECT_ROOT, '../shared/datasets/groceries/groceries.csv');

if (!existsSync(GROCERIES)) {
  console.error(`No Groceries data at ${GROCERIES} (it is kept outside the repository; see docs/recommendations.md).`);
  process.exit(1);
}
const baskets = readFileSync(GROCERIES, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => line.split(','));
const tenfold = Array.from({ length: 10 }, () => baskets).flat();

/** The baseline: what every mining run does first, and nothing more. */
function countItems(input: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const basket of input) {
    for (const item of new Set(basket.map((i) => i.trim()))) if (item !== '') counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

function timed<T>(fn: () => T): { median: number; fastest: number; result: T } {
  let result = fn(); // warm-up, not counted
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, fastest: ms[0]!, result };
}

/**
 * A child's whole work: n synthetic customer baskets, then the baseline pass and the mining at the
 * cross-sell options; prints one JSON line.
 */
function volumeRun(n: number): void {
  const names = [...countItems(baskets)].sort((a, b) => b[1] - a[1]);
  const total = names.reduce((s, [, c]) => s + c, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, c] of names) {
    sum += c;
    cumulative.push(sum / total);
  }
  const interned = new Map(names.map(([name]) => [name, name]));
  const r = prng(n);
  const byFrequency = () => {
    const u = r();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return names[lo]![0];
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const synthetic: string[][] = new Array(n);
  for (let b = 0; b < n; b++) {
    const real = baskets[Math.floor(r() * baskets.length)]!;
    synthetic[b] = real.map((item) => (r() < 0.25 ? byFrequency() : (interned.get(item.trim()) ?? item)));
  }
  gc?.();
  const heldMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const scan = timed(() => countItems(synthetic));
  const mined = timed(() => mineRules(synthetic, CROSS_SELL_MINING));
  console.log(
    JSON.stringify({
      baskets: mined.result.baskets,
      categories: scan.result.size,
      rules: mined.result.rules.length,
      scanMs: scan.fastest,
      mineMs: mined.fastest,
      mineMedianMs: mined.median,
      heldMb,
      rssBeforeMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}
if (volumeChild >= 0) {
  volumeRun(Number(process.argv[volumeChild + 1]));
  process.exit(0);
}

const runs: { name: string; input: string[][]; options: Partial<MineOptions> }[] = [
  { name: 'defaults (support 0.005, confidence 0.2, ≤2 ⇒ 1, lift ≥ 1, top 500)', input: baskets, options: {} },
  {
    name: 'arules/Lantz: support 0.006, confidence 0.25, ≤3 ⇒ 1, all rules',
    input: baskets,
    options: { minSupport: 0.006, minConfidence: 0.25, maxAntecedent: 3, minLift: 0, minCount: 1, maxRules: 100_000 },
  },
  {
    name: 'low support: 0.001, confidence 0.2, ≤3 ⇒ 1, all rules',
    input: baskets,
    options: { minSupport: 0.001, maxAntecedent: 3, minLift: 0, minCount: 1, maxRules: 100_000 },
  },
  { name: 'defaults, baskets ×10', input: tenfold, options: {} },
];

const rows: Record<string, string | number>[] = [];
const scanOnce = timed(() => countItems(baskets));
const scanTenfold = timed(() => countItems(tenfold));
rows.push({
  run: 'baseline: count item frequencies (one pass)',
  baskets: baskets.length,
  categories: scanOnce.result.size,
  rules: '',
  'ms (median)': scanOnce.median.toFixed(2),
  'ms (fastest)': scanOnce.fastest.toFixed(2),
  'vs baseline': '1.0',
});
let defaults: RuleSet | undefined;
for (const run of runs) {
  const scan = run.input === tenfold ? scanTenfold : scanOnce;
  const mined = timed(() => mineRules(run.input, run.options));
  defaults ??= mined.result;
  rows.push({
    run: run.name,
    baskets: mined.result.baskets,
    categories: scan.result.size,
    rules: mined.result.rules.length,
    'ms (median)': mined.median.toFixed(2),
    'ms (fastest)': mined.fastest.toFixed(2),
    'vs baseline': (mined.median / scan.median).toFixed(1),
  });
}
printTable(rows);

// recommend: each real basket as the purchase, against the default rule set (capped at 500 rules)
// and the same options uncapped; the baseline walks the same rules per call and tests nothing.
const uncapped = mineRules(baskets, { maxRules: 100_000 });
function perBasket(name: string, rules: RuleSet, call: (basket: string[]) => number) {
  let calls = 0;
  let answered = 0;
  let suggested = 0;
  const started = performance.now();
  const end = started + RECOMMEND_SECONDS * 1000;
  while (performance.now() < end) {
    for (const basket of baskets) {
      const picked = call(basket);
      calls++;
      if (picked > 0) answered++;
      suggested += picked;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    run: name,
    rules: rules.rules.length,
    'JSON bytes': JSON.stringify(rules).length,
    'calls/s': Math.round(calls / seconds),
    'µs per call': ((seconds / calls) * 1e6).toFixed(2),
    'baskets with ≥1 suggestion': `${((answered / calls) * 100).toFixed(1)}%`,
    'suggestions per call': (suggested / calls).toFixed(2),
  };
}
const bareWalk = (rules: RuleSet) => () => {
  let seen = 0;
  for (const rule of rules.rules) if (rule.consequent !== '') seen++;
  return seen > 0 ? 0 : 1;
};
console.log();
printTable([
  perBasket('baseline: walk the default rules, no test', defaults!, bareWalk(defaults!)),
  perBasket('recommend, defaults (top 500 by lift)', defaults!, (basket) => recommend(defaults!, basket, { limit: 3 }).length),
  perBasket('recommend, defaults uncapped', uncapped, (basket) => recommend(uncapped, basket, { limit: 3 }).length),
]);
console.log(`\nNode.js ${process.version}, ${RUNS} runs after one warm-up.`);

// Basket volume, one child process per size.
console.log(
  `\nBasket volume at the cross-sell options (support ${CROSS_SELL_MINING.minSupport}, confidence ${CROSS_SELL_MINING.minConfidence}, ` +
    `≤ 2 ⇒ 1, lift ≥ 1, top ${CROSS_SELL_MINING.maxRules}); synthetic baskets from the Groceries frequencies, one child process each, ` +
    `fastest of 3 runs after a warm-up; Node's default heap, then the V8 heap capped at ${HEAP_CAP_MB} MB\n`,
);
const volumeRows: Record<string, string | number>[] = [];
for (const n of VOLUMES) {
  for (const cap of [undefined, HEAP_CAP_MB]) {
    const flags = ['--import', 'tsx', '--expose-gc', ...(cap ? [`--max-old-space-size=${cap}`] : [])];
    const child = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), VOLUME_FLAG, String(n)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    const heap = cap ? `${cap} MB` : 'default';
    if (child.status !== 0 || !line.startsWith('{')) {
      const outOfMemory = /heap out of memory|Allocation failed/.test(child.stderr);
      volumeRows.push({ baskets: n, 'V8 heap cap': heap, mined: outOfMemory ? 'no: heap out of memory' : `no: exit ${child.status}` });
      continue;
    }
    const v = JSON.parse(line) as Record<string, number>;
    volumeRows.push({
      baskets: v.baskets!,
      'V8 heap cap': heap,
      mined: 'yes',
      categories: v.categories!,
      rules: v.rules!,
      'baseline: count items, ms': v.scanMs!.toFixed(0),
      'mineRules ms (fastest / median)': `${v.mineMs!.toFixed(0)} / ${v.mineMedianMs!.toFixed(0)}`,
      'vs baseline': (v.mineMs! / v.scanMs!).toFixed(1),
      'µs per basket': ((v.mineMs! * 1000) / v.baskets!).toFixed(2),
      'baskets held, MB (bytes each)': `${v.heldMb!.toFixed(0)} (${Math.round((v.heldMb! * 2 ** 20) / v.baskets!)})`,
      'RSS before mining MB': v.rssBeforeMb!.toFixed(0),
      'peak RSS MB': v.peakRssMb!.toFixed(0),
    });
  }
}
printTable(volumeRows);
