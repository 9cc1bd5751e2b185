/**
 * The evaluation run (`runEvaluation`, shared/services/evaluation.ts) against the number of
 * recorded events: issue 9 asks that a run's time at 10,000 and 1,000,000 events stay within 1.5×
 * of each other (the run reads counters per campaign and the contact items, never the events).
 *
 * dynalite in this process (its own worker thread, in memory), the real repositories on the shared
 * document client (shared/db/client.ts). One workspace, set up once:
 * - K contacts (bench/contact-items.ts: profile, consent, lists, value aggregates folded from a
 *   generated history), written straight into the table with BatchWriteItem;
 * - the value-model boundaries and basket rules, by `recomputeBoundaries` (so the base report has
 *   its RFM grid and tiers);
 * - C campaigns through the repositories: the campaign item, the evaluation index entry (AP46),
 *   the COUNTS item with every part of the audience resolved, and the conversion counters (AP47)
 *   filled by one `addConversion` per converter. Every campaign is still open to conversions
 *   (sending, or ended within its window), so every run evaluates all C.
 * Then the events grow: E recorded events (EVENT# items in the contacts' partitions, as the event
 * repo writes them: 60% purchases of 1-3 items, 40% visits, spread evenly over the contacts) are
 * written straight into the table, up to each size in turn (default 10,000, 100,000, 1,000,000):
 * the same campaigns and contacts each time, only the events grow.
 *
 * At each size: one warm-up run, then R timed runs (median, fastest), each split into the
 * campaign part (start to the first read of the base report's settings) and the base part (the
 * pass over the contacts and the stored report); every DynamoDB request the run makes is counted by
 * type, with the items it returned and the read units dynalite reports, and CPU time is read per
 * thread (this one, dynalite's, the process): on this shared machine wall time swings with other
 * work, CPU time much less. Baselines in the same run, at each size, on the same client:
 * one Query of a small partition (a campaign's), and a bare read of the same contact items (a
 * Query of each of the 16 contact ranges, 1,000 a page, as forEachContact reads them, nothing done
 * with the items).
 * `npm run bench:evaluation -- [events=10000,100000,1000000] [contacts=20000] [campaigns=20] [repeats=7]`
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo } from '../local/dynamo.ts';
import { createCampaignRepo } from '../shared/db/campaign-repo.ts';
import { documentClient, toItem } from '../shared/db/client.ts';
import { createContactRepo } from '../shared/db/contact-repo.ts';
import { createEvaluationRepo } from '../shared/db/evaluation-repo.ts';
import { keys } from '../shared/db/keys.ts';
import { createSettingsRepo } from '../shared/db/settings-repo.ts';
import { Campaign, counter, type CounterDelta } from '../shared/domain/campaign.ts';
import { evaluatedEntry, groupKey, HOLDOUT } from '../shared/domain/evaluation.ts';
import type { StoredEvent } from '../shared/domain/event.ts';
import { derivedId } from '../shared/domain/ids.ts';
import { SCAN_PAGE, SCAN_PARTS } from '../shared/services/contact-scan.ts';
import { type RunDeps, runEvaluation } from '../shared/services/evaluation.ts';
import { recomputeBoundaries } from '../shared/services/value-model.ts';
import { bulkWrite } from './bulk-write.ts';
import { bareContactRead, contactIdOf, contactItem, prng, purchaseEvent } from './contact-items.ts';
import { printTable } from './table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const SIZES = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
const CONTACTS = Number(process.argv[3] ?? 20_000);
const CAMPAIGNS = Number(process.argv[4] ?? 20);
const REPEATS = Number(process.argv[5] ?? 7);
const TABLE = 'herald-bench-evaluation';
const TENANT = 'bench';
const DAY_MS = 86_400_000;
/** Events generated and written per slice, so that the bench never holds a million items. */
const EVENT_SLICE = 50_000;
const SMALL_QUERIES = 200;

// CPU time by thread (Linux /proc, ns on CPU): this thread (the run, the SDK), dynalite's worker
// thread, and the whole process (with V8's GC helpers): unlike wall time, little moved by other
// work on this shared machine.
const threadIds = () => new Set(existsSync('/proc/self/task') ? readdirSync('/proc/self/task') : []);
const threadCpuMs = (tid: string | undefined) => {
  if (tid === undefined) return 0;
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return 0;
  }
};
const threadsBefore = threadIds();
const dynamo = await startDynamo({ tableName: TABLE });
/** Threads started with dynalite; the one among them that has worked most by the end of the set-up is its worker. */
const newThreads = [...threadIds()].filter((t) => !threadsBefore.has(t));
let dynaliteThread: string | undefined;
interface Cpu {
  main: number;
  dynalite: number;
  process: number;
}
function cpuNow(): Cpu {
  const u = process.cpuUsage();
  return { main: threadCpuMs(String(process.pid)), dynalite: threadCpuMs(dynaliteThread), process: (u.user + u.system) / 1000 };
}
function cpuSince(a: Cpu): Cpu {
  const b = cpuNow();
  return { main: b.main - a.main, dynalite: b.dynalite - a.dynalite, process: b.process - a.process };
}
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
});
const doc = documentClient();

// ---------------------------------------------------------------------------------------------
// Counting the requests (and items, and read units) while a run is being measured

interface Tally {
  requests: Map<string, number>;
  items: number;
  rcu: number;
}
const emptyTally = (): Tally => ({ requests: new Map(), items: 0, rcu: 0 });
let tally: Tally | undefined;
function instrument(client: DynamoDBDocumentClient) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const t = tally;
      if (!t) return next(args);
      const name = (context.commandName ?? '?').replace(/Command$/, '');
      t.requests.set(name, (t.requests.get(name) ?? 0) + 1);
      const input = args.input as Record<string, unknown>;
      const reads = name === 'GetItem' || name === 'Query' || name === 'BatchGetItem';
      const result = await next(reads ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } } : args);
      const out = result.output as {
        Items?: unknown[];
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
        ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
      };
      t.items += out.Items?.length ?? (out.Item ? 1 : 0) + Object.values(out.Responses ?? {}).flat().length;
      const consumed = Array.isArray(out.ConsumedCapacity) ? out.ConsumedCapacity : out.ConsumedCapacity ? [out.ConsumedCapacity] : [];
      if (reads) for (const c of consumed) t.rcu += c.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'benchCountRequests', priority: 'high' },
  );
}
instrument(doc);
const requestText = (t: Tally) =>
  [...t.requests]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
const requestTotal = (t: Tally) => [...t.requests.values()].reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// The workspace

const now = new Date();
const repos = {
  evaluation: createEvaluationRepo(doc, TABLE),
  campaigns: createCampaignRepo(doc, TABLE),
  contacts: createContactRepo(doc, TABLE),
  settings: createSettingsRepo(doc, TABLE),
};
const listId = derivedId('ls', TENANT, 'bench', 'customers');
const setup: Record<string, string | number>[] = [];
async function step<T>(label: string, items: number, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  setup.push({ 'set-up step': label, items, seconds: seconds.toFixed(1), 'items/s': items ? Math.round(items / seconds) : '' });
  console.error(`[bench] ${label}: ${items} in ${seconds.toFixed(1)} s`);
  return result;
}

await step(`contacts (contact items with value aggregates), BatchWriteItem ×8`, CONTACTS, () =>
  bulkWrite(
    doc,
    TABLE,
    Array.from({ length: CONTACTS }, (_, i) => contactItem(TENANT, i, listId, now.getTime())),
  ),
);
await step('value-model boundaries and basket rules (recomputeBoundaries: reads every contact)', CONTACTS, () =>
  recomputeBoundaries({ ...repos, now: () => now }, TENANT),
);

/**
 * Campaign c: one or two variants, a 10% holdout on most, audience 2,000-12,000, sent a few days
 * ago; half still sending, half completed two days ago with a 30-day window (still open).
 */
function campaignOf(c: number): { campaign: Campaign; counts: CounterDelta; converters: Record<string, number> } {
  const r = prng(c * 7919 + 13);
  const variants = c % 2 === 0 ? ['A', 'B'] : ['A'];
  const holdout = c % 5 !== 4;
  const startedAt = new Date(now.getTime() - (3 + Math.floor(r() * 20)) * DAY_MS).toISOString();
  const completed = c % 2 === 1;
  const finishedAt = completed ? new Date(now.getTime() - 2 * DAY_MS).toISOString() : undefined;
  const campaign = Campaign.parse({
    campaignId: derivedId('cp', TENANT, 'bench', String(c)),
    name: `Bench campaign ${c}`,
    channel: 'email',
    variants: variants.map((name) => ({ name, weight: 1, email: `tp_${name.toLowerCase()}` })),
    audience: { segments: [], lists: [listId], excludeSegments: [], excludeLists: [] },
    ...(holdout ? { holdout: { percent: 10 } } : {}),
    attributionDays: 30,
    status: completed ? 'completed' : 'sending',
    createdAt: startedAt,
    updatedAt: finishedAt ?? startedAt,
    launchedAt: startedAt,
    startedAt,
    ...(finishedAt ? { finishedAt } : {}),
    version: 3,
  });
  const audience = 2_000 + Math.floor(r() * 10_000);
  const held = holdout ? Math.round(audience * 0.1) : 0;
  const skipped = Math.round(audience * 0.05);
  const treated = audience - held - skipped;
  const counts: CounterDelta = {
    [counter.audience]: audience,
    [counter.holdout]: held,
    [counter.skipped('no_consent')]: skipped,
  };
  const converters: Record<string, number> = {};
  if (held > 0) converters[HOLDOUT] = Math.round(held * 0.03);
  variants.forEach((v, k) => {
    const n = Math.floor(treated / variants.length) + (k === 0 ? treated % variants.length : 0);
    const sent = completed ? n : Math.round(n * 0.8);
    const delivered = Math.round(sent * 0.97);
    const opened = Math.round(delivered * 0.3);
    const clicked = Math.round(opened * 0.2);
    Object.assign(counts, {
      [counter.queued(v)]: n,
      [counter.sent(v)]: sent,
      [counter.failedVariant(v)]: Math.round(sent * 0.002),
      [counter.feedback('delivered', v)]: delivered,
      [counter.feedback('bounced', v)]: sent - delivered,
      [counter.engagement('opened', v)]: opened,
      [counter.engagement('opens', v)]: Math.round(opened * 1.6),
      [counter.engagement('clicked', v)]: clicked,
      [counter.engagement('clicks', v)]: Math.round(clicked * 1.3),
      [counter.engagement('unsubscribed', v)]: Math.round(delivered * 0.003),
      [counter.link(v, 0)]: Math.round(clicked * 0.8),
      [counter.link(v, 1)]: Math.round(clicked * 0.5),
    });
    converters[groupKey({ kind: 'variant', name: v })] = Math.round(n * (0.035 + 0.01 * k));
  });
  return { campaign, counts, converters };
}

const campaigns = Array.from({ length: CAMPAIGNS }, (_, c) => campaignOf(c));
const conversions = campaigns.reduce((n, c) => n + Object.values(c.converters).reduce((a, b) => a + b, 0), 0);
await step(`campaigns: item, index entry, COUNTS (${SCAN_PARTS} parts resolved), through the repositories`, CAMPAIGNS, async () => {
  for (const { campaign, counts } of campaigns) {
    await repos.campaigns.create(TENANT, campaign);
    await repos.evaluation.markStarted(TENANT, evaluatedEntry(campaign, campaign.startedAt as string));
    await repos.campaigns.addCounts(TENANT, campaign.campaignId, counts, 0);
    for (let part = 1; part < SCAN_PARTS; part++) await repos.campaigns.addCounts(TENANT, campaign.campaignId, {}, part);
  }
});
await step('conversion counters: one addConversion per converter, 8 in flight', conversions, async () => {
  const work = campaigns.flatMap(({ campaign, converters }) =>
    Object.entries(converters).flatMap(([group, n]) =>
      Array.from({ length: n }, (_, k) => ({ campaignId: campaign.campaignId, group, k })),
    ),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < work.length) {
        const { campaignId, group, k } = work[next++]!;
        const r = prng(k * 31 + group.length);
        const revenue = Math.round(10 + r() * 150);
        const cross = r() < 0.2 ? 1 : 0;
        const delta = { converters: 1, revenue, revenueSq: revenue * revenue, orders: 1, crossSell: cross, recommended: 0 };
        await repos.evaluation.addConversion(TENANT, campaignId, group, `${campaignId}:${group}:${k}`, delta, now);
      }
    }),
  );
});

// ---------------------------------------------------------------------------------------------
// Events: event j belongs to contact j mod K

const contactIds = Array.from({ length: CONTACTS }, (_, i) => contactIdOf(TENANT, i));
function eventItem(j: number): Record<string, unknown> {
  const r = prng(j * 40503 + 11);
  const contactId = contactIds[j % CONTACTS]!;
  const at = new Date(now.getTime() - Math.floor(r() * 730 * DAY_MS)).toISOString();
  const eventId = `ev-${j}`;
  const event: StoredEvent =
    r() < 0.6
      ? purchaseEvent(r, eventId, `ord-${j}`, at)
      : { eventId, type: 'visit', at, receivedAt: at, properties: { page: `/p/${Math.floor(r() * 500)}` } };
  return toItem('event', TENANT, keys.event({ tenantId: TENANT, contactId, eventId }), { contactId, ...event });
}

dynaliteThread = newThreads.sort((a, b) => threadCpuMs(b) - threadCpuMs(a))[0];

let written = 0;
async function growEventsTo(target: number): Promise<void> {
  await step(`events ${written} → ${target} (EVENT# items), BatchWriteItem ×8`, target - written, async () => {
    while (written < target) {
      const n = Math.min(EVENT_SLICE, target - written);
      await bulkWrite(
        doc,
        TABLE,
        Array.from({ length: n }, (_, k) => eventItem(written + k)),
      );
      written += n;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Measurements

const smallPartition = keys.campaign({ tenantId: TENANT, campaignId: campaigns[0]!.campaign.campaignId }).pk;
const smallQuery = () =>
  doc.send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': smallPartition } }),
  );

interface Measured {
  events: number;
  small: number[];
  smallItems: number;
  bare: { wall: number; cpu: Cpu }[];
  bareTally: Tally;
  runs: {
    total: number;
    campaignPart: number;
    basePart: number;
    cpu: Cpu;
    /** CPU during the base part: here the SDK's requests and unmarshalling, and the report's accumulator. */
    baseCpu: Cpu;
    all: Tally;
    campaign: Tally;
    base: Tally;
    evaluated: number;
  }[];
  rssMb: number;
}

let runNumber = 0;
async function timedRun(): Promise<Measured['runs'][number]> {
  const all = emptyTally();
  let campaignTally: Tally | undefined;
  let baseStarted = 0;
  let baseCpuFrom = cpuNow();
  const deps: RunDeps = {
    ...repos,
    settings: {
      ...repos.settings,
      // buildBaseReport's first read: the campaign part is over, the base part begins.
      valueModel: (tenantId) => {
        if (!baseStarted) {
          baseStarted = performance.now();
          baseCpuFrom = cpuNow();
          campaignTally = { requests: new Map(all.requests), items: all.items, rcu: all.rcu };
        }
        return repos.settings.valueModel(tenantId);
      },
    },
    now: () => new Date(),
  };
  const runId = `bench_${String(++runNumber).padStart(4, '0')}`;
  tally = all;
  const cpuFrom = cpuNow();
  const started = performance.now();
  const run = await runEvaluation(deps, TENANT, runId);
  const ended = performance.now();
  const cpu = cpuSince(cpuFrom);
  const baseCpu = cpuSince(baseCpuFrom);
  tally = undefined;
  const c = campaignTally ?? emptyTally();
  const base: Tally = {
    requests: new Map([...all.requests].map(([k, v]) => [k, v - (c.requests.get(k) ?? 0)] as [string, number]).filter(([, v]) => v > 0)),
    items: all.items - c.items,
    rcu: all.rcu - c.rcu,
  };
  return {
    total: ended - started,
    campaignPart: baseStarted - started,
    basePart: ended - baseStarted,
    cpu,
    baseCpu,
    all,
    campaign: c,
    base,
    evaluated: run.campaigns ?? 0,
  };
}

async function measure(events: number): Promise<Measured> {
  for (let i = 0; i < 20; i++) await smallQuery(); // warm-up
  const small: number[] = [];
  let smallItems = 0;
  for (let i = 0; i < SMALL_QUERIES; i++) {
    const t = performance.now();
    smallItems = (await smallQuery()).Items?.length ?? 0;
    small.push(performance.now() - t);
  }
  await timedRun(); // warm-up, not counted
  const bare: Measured['bare'] = [];
  const bareTally = emptyTally();
  const runs: Measured['runs'] = [];
  for (let rep = 0; rep < REPEATS; rep++) {
    // Interleaved, so that a busy moment of this shared machine falls on both.
    tally = bareTally;
    const cpuFrom = cpuNow();
    const t = performance.now();
    await bareContactRead(doc, TABLE, TENANT);
    bare.push({ wall: performance.now() - t, cpu: cpuSince(cpuFrom) });
    tally = undefined;
    runs.push(await timedRun());
  }
  return { events, small, smallItems, bare, bareTally, runs, rssMb: process.memoryUsage().rss / 2 ** 20 };
}

const measured: Measured[] = [];
const benchStarted = performance.now();
try {
  for (const size of SIZES) {
    await growEventsTo(size);
    console.error(`[bench] measuring at ${size} events`);
    measured.push(await measure(size));
  }
} finally {
  await dynamo.close();
}

// ---------------------------------------------------------------------------------------------
// Tables

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fastest = (xs: number[]) => Math.min(...xs);
const ms = (x: number) => x.toFixed(1);
const perRun = (t: Tally) =>
  [...t.requests]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v / REPEATS}`)
    .join(', ');
const sumTallies = (ts: Tally[]): Tally => {
  const out = emptyTally();
  for (const t of ts) {
    for (const [k, v] of t.requests) out.requests.set(k, (out.requests.get(k) ?? 0) + v);
    out.items += t.items;
    out.rcu += t.rcu;
  }
  return out;
};
const cpuText = (cpus: Cpu[]) =>
  `${ms(median(cpus.map((c) => c.main)))} / ${ms(median(cpus.map((c) => c.dynalite)))} / ${ms(median(cpus.map((c) => c.process)))}`;
const ratio = (a: number, b: number) => (a / b).toFixed(2);

const first = measured[0]!;
const vsFirst = `vs ${first.events} events: median / fastest / dynalite CPU`;
/** Ratios of this size's timings to the first size's: wall time (median, fastest) and dynalite's CPU (median). */
const againstFirst = (timings: (x: Measured) => { wall: number; cpu: Cpu }[], m: Measured) => {
  const [now, then] = [timings(m), timings(first)];
  const walls = (t: { wall: number }[]) => t.map((x) => x.wall);
  const cpus = (t: { cpu: Cpu }[]) => t.map((x) => x.cpu.dynalite);
  return [
    ratio(median(walls(now)), median(walls(then))),
    ratio(fastest(walls(now)), fastest(walls(then))),
    ratio(median(cpus(now)), median(cpus(then))),
  ].join(' / ');
};
const rows: Record<string, string | number>[] = [];
for (const m of measured) {
  const walls = m.runs.map((r) => r.total);
  const bares = m.bare.map((b) => b.wall);
  const all = sumTallies(m.runs.map((r) => r.all));
  rows.push(
    {
      run: 'baseline: one Query of a small partition (a campaign: item, COUNTS, conversion counters)',
      events: m.events,
      campaigns: '',
      'ms (median)': median(m.small).toFixed(2),
      'ms (fastest)': fastest(m.small).toFixed(2),
      [vsFirst]: `${ratio(median(m.small), median(first.small))} / ${ratio(fastest(m.small), fastest(first.small))} /`,
      'vs bare read': '',
      'CPU ms: this thread / dynalite / process': '',
      'requests per run': 'Query 1',
      'items read': m.smallItems,
      RCU: '',
    },
    {
      run: `baseline: bare read of the contact items (${SCAN_PARTS} ranges, ${SCAN_PAGE} a page)`,
      events: m.events,
      campaigns: '',
      'ms (median)': ms(median(bares)),
      'ms (fastest)': ms(fastest(bares)),
      [vsFirst]: againstFirst((x) => x.bare, m),
      'vs bare read': '1.00',
      'CPU ms: this thread / dynalite / process': cpuText(m.bare.map((b) => b.cpu)),
      'requests per run': perRun(m.bareTally),
      'items read': m.bareTally.items / REPEATS,
      RCU: (m.bareTally.rcu / REPEATS).toFixed(1),
    },
    {
      run: 'runEvaluation',
      events: m.events,
      campaigns: [...new Set(m.runs.map((r) => r.evaluated))].join('/'),
      'ms (median)': ms(median(walls)),
      'ms (fastest)': ms(fastest(walls)),
      [vsFirst]: againstFirst((x) => x.runs.map((r) => ({ wall: r.total, cpu: r.cpu })), m),
      'vs bare read': ratio(median(walls), median(bares)),
      'CPU ms: this thread / dynalite / process': cpuText(m.runs.map((r) => r.cpu)),
      'requests per run': perRun(all),
      'items read': all.items / REPEATS,
      RCU: (all.rcu / REPEATS).toFixed(1),
    },
  );
}

const split = measured.map((m) => {
  const c = sumTallies(m.runs.map((r) => r.campaign));
  const b = sumTallies(m.runs.map((r) => r.base));
  const baseMain = median(m.runs.map((r) => r.baseCpu.main));
  return {
    events: m.events,
    'campaign part ms (median / fastest)': `${ms(median(m.runs.map((r) => r.campaignPart)))} / ${ms(fastest(m.runs.map((r) => r.campaignPart)))}`,
    'campaign part requests per run': perRun(c),
    'base part ms (median / fastest)': `${ms(median(m.runs.map((r) => r.basePart)))} / ${ms(fastest(m.runs.map((r) => r.basePart)))}`,
    'base part requests per run': perRun(b),
    'base part / bare read': ratio(median(m.runs.map((r) => r.basePart)), median(m.bare.map((x) => x.wall))),
    'base part CPU ms, this thread (µs per contact)': `${ms(baseMain)} (${((baseMain * 1000) / CONTACTS).toFixed(0)})`,
    'process RSS MB (dynalite included)': Math.round(m.rssMb),
  };
});

console.log(
  `\nEvaluation run vs recorded events: dynalite in process (worker thread, in memory), Node ${process.version}, ` +
    `${CONTACTS} contacts, ${CAMPAIGNS} campaigns (${conversions} conversions counted), ${REPEATS} runs per size after one warm-up; ` +
    `whole bench ${((performance.now() - benchStarted) / 1000).toFixed(0)} s\n`,
);
printTable(setup);
console.log('');
printTable(rows);
console.log('\nWhere a run spends its time (campaign part: start → the base report begins; base part: the rest)\n');
printTable(split);
const last = measured.at(-1)!.runs[0]!.all;
console.log(`\nRequests of one run, all parts: ${requestText(last)} (${requestTotal(last)})`);
