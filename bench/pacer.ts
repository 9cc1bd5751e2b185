/**
 * The DynamoDB pacer (shared/db/pacer-repo.ts) on the real clock, against dynalite started in
 * this process (its own worker thread, in memory), through the real SDK document client.
 *
 * For each rate N (50 and 200 per second) and each number C of concurrent takers (1, 4, 16), every
 * taker calls takeAll for batches of 10 in a loop for 4 whole seconds, starting on a second
 * boundary. The achieved rate is read back from the ring itself: the tokens its slots counted for
 * those 4 calendar seconds, divided by 4 (goal: within ±5% of N, and never over N in any second).
 * Takes/s counts take() calls (a full window answers some with 0), and DynamoDB calls per granted
 * token counts every request the pacer sent (UpdateItem and GetItem) over the tokens it granted.
 *
 * Baseline in the same run, on the same dynalite: raw unconditional UpdateItems (`ADD n :1` on one
 * item, the pacer's slot shape) from C concurrent loops for 2 s: the most calls/s the emulator
 * and client can serve, so takes/s can be read against it.
 * `npm run bench:pacer -- [seconds=4]`
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo } from '../local/dynamo.ts';
import { createDynamoPacer, type PacerPort } from '../shared/db/pacer-repo.ts';
import { keys } from '../shared/db/keys.ts';
import { takeAll } from '../shared/domain/pacing.ts';
import { printTable } from './table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const SECONDS = Number(process.argv[2] ?? 4);
const BASELINE_SECONDS = 2;
const TABLE = 'herald-bench-pacer';
const BATCH = 10;
const RATES = [50, 200];
const TAKERS = [1, 4, 16];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const untilNextSecond = () => sleep(1000 - (Date.now() % 1000));

const dynamo = await startDynamo({ tableName: TABLE });
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 8,
  }),
);
const calls = { update: 0, get: 0 };
doc.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === 'GetItemCommand') calls.get++;
    else calls.update++;
    return next(args);
  },
  { step: 'initialize', name: 'countCalls' },
);
const pacer = createDynamoPacer(doc, TABLE);

/** C loops of bare UpdateItem on one item for `seconds`: calls/s. */
async function baseline(concurrency: number, seconds: number): Promise<number> {
  const key = keys.pacerSlot({ bucket: `baseline-${concurrency}`, slot: 0 });
  const update = () =>
    doc.send(new UpdateCommand({ TableName: TABLE, Key: key, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } }));
  for (let i = 0; i < 50; i++) await update(); // warm the connection and dynalite
  let done = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await update();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function paced(perSecond: number, concurrency: number) {
  const bucket = `bench-${perSecond}-${concurrency}`;
  let takes = 0;
  let granted = 0;
  const counting: PacerPort = {
    async take(b, want, rate) {
      takes++;
      const r = await pacer.take(b, want, rate);
      granted += r.granted;
      return r;
    },
  };
  await untilNextSecond();
  const firstSecond = Math.floor(Date.now() / 1000);
  const end = (firstSecond + SECONDS) * 1000;
  const before = { ...calls };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) await takeAll(counting, bucket, BATCH, perSecond, sleep);
    }),
  );
  const updates = calls.update - before.update;
  const gets = calls.get - before.get;
  // What the ring counted for each of the measured seconds (read after the calls were counted).
  const perSecondCounts = await Promise.all(
    Array.from({ length: SECONDS }, async (_, i) => {
      const s = firstSecond + i;
      const out = await doc.send(new GetCommand({ TableName: TABLE, Key: keys.pacerSlot({ bucket, slot: s % 60 }), ConsistentRead: true }));
      const item = out.Item as { sec?: number; n?: number } | undefined;
      return item?.sec === s ? (item.n ?? 0) : 0;
    }),
  );
  const counted = perSecondCounts.reduce((a, b) => a + b, 0);
  return { achieved: counted / SECONDS, maxInASecond: Math.max(...perSecondCounts), takes, granted, updates, gets };
}

const rows: Record<string, string | number>[] = [];
const baselines = new Map<number, number>();
try {
  for (const c of TAKERS) baselines.set(c, await baseline(c, BASELINE_SECONDS));
  for (const n of RATES) {
    for (const c of TAKERS) {
      const r = await paced(n, c);
      const deviation = (r.achieved / n - 1) * 100;
      const raw = baselines.get(c)!;
      rows.push({
        'N /s': n,
        takers: c,
        'achieved tokens/s': r.achieved.toFixed(1),
        'vs N': `${deviation >= 0 ? '+' : ''}${deviation.toFixed(1)}%`,
        'within ±5%': Math.abs(deviation) <= 5 ? 'yes' : 'NO',
        'max in one second': r.maxInASecond,
        'takes/s': (r.takes / SECONDS).toFixed(1),
        'DynamoDB calls / granted token': ((r.updates + r.gets) / r.granted).toFixed(3),
        'of which GetItem': (r.gets / r.granted).toFixed(3),
        'raw UpdateItem/s, same C (baseline)': Math.round(raw),
        'pacer calls/s vs baseline': `${(((r.updates + r.gets) / SECONDS / raw) * 100).toFixed(1)}%`,
      });
    }
  }
} finally {
  doc.destroy();
  await dynamo.close();
}

console.log(
  `\nDynamoDB pacer on dynalite (in process, worker thread), batches of ${BATCH}, ${SECONDS} s per row from a second boundary; Node ${process.version}\n`,
);
printTable(rows);
console.log('\nBaseline: raw UpdateItem calls/s on the same dynalite\n');
printTable(TAKERS.map((c) => ({ 'concurrent loops': c, 'UpdateItem/s': Math.round(baselines.get(c)!) })));
