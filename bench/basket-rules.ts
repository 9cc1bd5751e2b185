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
 * `npm run bench:rules -- [runs=15]`
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mineRules, recommend, type MineOptions, type RuleSet } from '../shared/domain/basket-rules.ts';
import { printTable } from './table.ts';

const RUNS = Number(process.argv[2] ?? 15);
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
