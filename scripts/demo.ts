/**
 * `npm run demo [-- --rows 16000|all] [--file hillstrom.csv]`: did the e-mail work? Replays Kevin
 * Hillstrom's MineThatData e-mail experiment (64,000 customers randomised into Mens E-Mail, Womens
 * E-Mail and No E-Mail) on the running `npm start` (or the API named by HERALD_API_URL and
 * HERALD_TOKEN), through the public API only, runs the evaluation, and prints each campaign's
 * report next to the same figures computed straight from the data. The work is in
 * scripts/lib/demo-run.ts; README.md ("Demo: did the e-mail work?") shows the output.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { apiTarget } from './lib/api.ts';
import { dataText, runDemo } from './lib/demo-run.ts';
import { DEFAULT_HILLSTROM_FILE, readHillstrom } from './lib/hillstrom.ts';
import { campaignReportText } from './lib/print-report.ts';

const DEFAULT_ROWS = 8_000; // every 8th row: about two minutes on a loaded 2-core machine

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    rows: { type: 'string' },
    api: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`npm run demo -- [--rows <n>|all] [--file <path>] [--api <url> --token <token>]

Loads Hillstrom's e-mail experiment into the running Herald through its API, sends the two
e-mail campaigns with the No E-Mail group as holdout, posts the purchases, runs the evaluation and
prints the reports. --rows: how many of the 64,000 customers, spread evenly (default ${DEFAULT_ROWS},
every 8th row; all: the whole experiment). --file: the data set (default ${DEFAULT_HILLSTROM_FILE}).`);
  process.exit(0);
}

const file = values.file ?? DEFAULT_HILLSTROM_FILE;
if (!existsSync(file)) {
  console.error(`The Hillstrom data set is not at ${file}.
The demo expects Kevin Hillstrom's MineThatData e-mail experiment (hillstrom.csv, 64,000 rows) at
../shared/datasets/hillstrom/hillstrom.csv beside the project (it is not copied into the project).
Put it there, or name it with --file <path>; the publisher's file is
http://www.minethatdata.com/Kevin_Hillstrom_MineThatData_E-MailAnalytics_DataMiningChallenge_2008.03.20.csv`);
  process.exit(2);
}
const rowsArg = values.rows ?? String(DEFAULT_ROWS);
const requested = rowsArg === 'all' ? Number.POSITIVE_INFINITY : Number(rowsArg);
if (!(requested >= 30) || (rowsArg !== 'all' && !Number.isInteger(requested))) {
  console.error(`--rows must be "all" or a whole number of at least 30, not "${rowsArg}"`);
  process.exit(2);
}

const target = apiTarget(values);
const started = Date.now();
const tty = process.stdout.isTTY;
let lastProgress = Date.now();
try {
  const rows = readHillstrom(file);
  console.log(`Hillstrom's MineThatData e-mail experiment: ${rows.length.toLocaleString('en-US')} customers in ${file}`);
  console.log(`Herald: ${target.apiUrl}\n`);
  const result = await runDemo({
    target,
    rows,
    sampleSize: Math.min(requested, rows.length),
    log: (line) => console.log(tty ? `\r\x1b[K${line}` : line),
    progress: (line) => {
      // On a terminal the line is redrawn; in a log, one line every 10 seconds at most.
      if (tty) process.stdout.write(`\r\x1b[K${line}`);
      else if (Date.now() - lastProgress >= 10_000) {
        lastProgress = Date.now();
        console.log(line);
      }
    },
  });
  for (const arm of result.arms) {
    console.log(`\n${'='.repeat(100)}\n${campaignReportText(arm.report)}\n\n${dataText(arm, result.label)}`);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\nTimings: ${result.timings.map((t) => `${t.step} ${t.seconds.toFixed(1)} s`).join(', ')}; ` +
      `the evaluation run itself ${result.evaluation.durationMs ?? '?'} ms. Total ${seconds.toFixed(1)} s.`,
  );
  console.log('Cross-sell is 0%: the data has no purchases before the e-mail, so no purchase can be in a category new to its buyer.');
  if (result.arms.some((a) => a.mismatches.length > 0)) process.exit(1);
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
