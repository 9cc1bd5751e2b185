/**
 * Segment evaluation speed, twice over:
 * a) in process: a 9-node rule compiled with compileRule and applied to synthetic stored contact
 *    items (profile, consent, list ids, value aggregates folded by foldEvents from generated
 *    purchases and visits), one thread, next to a hand-written predicate making the same checks,
 *    and each of the rule's five top-level children alone (where the time goes);
 * b) through the local stack: the same kind of items written straight into the child's dynalite
 *    (BatchWriteItem, the contact repo's key and attribute shape, tenant `default`), then
 *    POST /segments/preview with the same rule, next to a bare parallel Query of the same 16
 *    ranges of the contacts index (contactRange) and a bare parallel Scan (16 segments) of the
 *    table, from this process with the raw document client and no evaluation.
 * `npm run bench:segments -- [contacts=100000] [inProcess=200000]`
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { derivedId } from '../shared/domain/ids.ts';
import { validateRule, type Rule } from '../shared/domain/segment.ts';
import { compileRule, type ContactItem } from '../shared/domain/segment-eval.ts';
import { DEFAULT_VALUE_SETTINGS } from '../shared/domain/value.ts';
import { bareContactRead, contactItem } from './contact-items.ts';
import { startLocalStack } from './local-stack.ts';
import { printTable } from './table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const contacts = Number(process.argv[2] ?? 100_000);
const inProcess = Number(process.argv[3] ?? 200_000);
const REPEATS = 5;
const PORT = 4250;
const TABLE = 'herald-local';
const TENANT = 'default';
const PARTS = 16; // SCAN_PARTS in shared/services/contact-scan.ts
const PAGE = 1000; // SCAN_PAGE
const DAY = 86_400;

// ---------------------------------------------------------------- the rule, and the same by hand

const now = new Date();
function ruleFor(listId: string) {
  return {
    and: [
      { field: 'lifecycle', op: 'in', value: ['active', 'loyal'] },
      { purchased: { category: 'shoes', within: 'P90D', count: { gte: 1 } } },
      { not: { inList: listId } },
      {
        or: [
          { field: 'attributes.plan', op: 'eq', value: 'pro' },
          { field: 'revenue', op: 'gte', value: 100 },
        ],
      },
      { reachable: 'email' },
    ],
  };
}

type Tally = { times: number[] };
type Agg = {
  orders: number;
  revenue: number;
  lastPurchaseAt?: number;
  previousPurchaseAt?: number;
  orderTimes: number[];
  categories: Record<string, Tally | undefined>;
};
type Item = {
  value?: Agg;
  lists?: Set<string>;
  attributes?: { plan?: unknown };
  email?: unknown;
  consent?: { email?: { status?: string } };
  suppressed?: { email?: boolean };
};

/** The same checks written out by hand: lifecycleOf's stages inline (default settings), no closures. */
function handWritten(listId: string) {
  const s = DEFAULT_VALUE_SETTINGS.lifecycle;
  const nowS = Math.floor(now.getTime() / 1000);
  const since90 = nowS - 90 * DAY;
  const loyalSince = nowS - s.loyalWithinDays * DAY;
  return (raw: ContactItem): boolean => {
    const item = raw as Item;
    const v = item.value;
    // lifecycle in [active, loyal]
    if (v === undefined || !(v.orders > 0) || v.lastPurchaseAt === undefined) return false;
    const idle = nowS - v.lastPurchaseAt;
    if (idle > s.lapsedAfterDays * DAY || idle > s.atRiskAfterDays * DAY) return false;
    if (v.previousPurchaseAt !== undefined && v.lastPurchaseAt - v.previousPurchaseAt > s.lapsedAfterDays * DAY) return false;
    let recent = 0;
    for (const t of v.orderTimes) if (t >= loyalSince) recent++;
    if (recent < s.loyalMinOrders && v.orders < 2) return false;
    // purchased shoes within 90 days, at least once
    const shoes = v.categories.shoes;
    if (shoes === undefined) return false;
    let bought = 0;
    for (const t of shoes.times) if (t >= since90) bought++;
    if (bought < 1) return false;
    // not in the list
    if (item.lists?.has(listId)) return false;
    // pro plan or revenue ≥ 100
    if (item.attributes?.plan !== 'pro' && !(v.revenue >= 100)) return false;
    // reachable by email
    return (
      typeof item.email === 'string' && item.email !== '' && item.consent?.email?.status === 'subscribed' && item.suppressed?.email !== true
    );
  };
}

function timeEvaluation(items: ContactItem[], predicate: (item: ContactItem) => boolean) {
  const started = performance.now();
  let matched = 0;
  for (let k = 0; k < items.length; k++) if (predicate(items[k] as ContactItem)) matched++;
  return { seconds: (performance.now() - started) / 1000, matched };
}

// ---------------------------------------------------------------- the local stack

// The excluded list is created through the API with an idempotency key, so its id is known
// before the stack starts (lists.ts derives it) and part a runs with no child process alive.
const LIST_KEY = 'bench-segments-exclusions';
const listId = derivedId('ls', TENANT, 'list', LIST_KEY);
const rule = ruleFor(listId);
let buildSeconds = 0;
const checked = validateRule(rule, 'rule');
if (!checked.rule) throw new Error(`bench rule invalid: ${JSON.stringify(checked.issues)}`);

// a) in process. The items live only inside this function: part b regenerates its contacts a
// batch at a time (the generator is deterministic), so this process's heap is small again when it
// runs the Query and Scan baselines (with 200,000 items held they ran at 60% of their speed).
const inProcessRows = (() => {
  const built = performance.now();
  const evalItems = Array.from({ length: inProcess }, (_, i) => contactItem(TENANT, i, listId, now.getTime()));
  buildSeconds = (performance.now() - built) / 1000;
  const compiled = compileRule(checked.rule, { now, settings: DEFAULT_VALUE_SETTINGS });
  const inline = handWritten(listId);
  const runs: Record<'compiled' | 'inline', { seconds: number; matched: number }[]> = { compiled: [], inline: [] };
  timeEvaluation(evalItems, compiled); // warm-up: JIT both before timing
  timeEvaluation(evalItems, inline);
  for (let rep = 0; rep < REPEATS; rep++) {
    runs.compiled.push(timeEvaluation(evalItems, compiled));
    runs.inline.push(timeEvaluation(evalItems, inline));
  }
  // Each top-level child of the and, compiled alone and applied to every item: where the time goes
  // (the and stops at the first failing child, so in the full rule most items see only the first).
  const labels = [
    'lifecycle in [active, loyal]',
    'purchased shoes within P90D',
    'not inList',
    'plan eq pro or revenue gte 100',
    'reachable email',
  ];
  const children = (checked.rule as { and: Rule[] }).and.map((child, k) => {
    const predicate = compileRule(child, { now, settings: DEFAULT_VALUE_SETTINGS });
    timeEvaluation(evalItems, predicate);
    return {
      label: `compileRule, one node alone: ${labels[k]}`,
      runs: Array.from({ length: REPEATS }, () => timeEvaluation(evalItems, predicate)),
    };
  });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const inlineRate = inProcess / median(runs.inline.map((r) => r.seconds));
  return [
    { label: 'baseline: hand-written predicate', runs: runs.inline },
    { label: 'compileRule (9 nodes)', runs: runs.compiled },
    ...children,
  ].map(({ label, runs: timed }) => {
    const rate = inProcess / median(timed.map((r) => r.seconds));
    return {
      predicate: label,
      contacts: inProcess,
      repeats: REPEATS,
      'median ms': (median(timed.map((r) => r.seconds)) * 1000).toFixed(1),
      'best ms': (Math.min(...timed.map((r) => r.seconds)) * 1000).toFixed(1),
      'contacts/s (one thread)': Math.round(rate),
      'ratio to hand-written': (rate / inlineRate).toFixed(2),
      matched: [...new Set(timed.map((r) => r.matched))].join('/'),
    };
  });
})();

// b) through the local stack
const stack = await startLocalStack(PORT);
const headers = { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' };
const api = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { ...headers, ...extra },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: `http://127.0.0.1:${PORT + 4}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 8,
  }),
  { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
);

async function writeContacts(): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < contacts) {
        const first = next;
        next += 25;
        let pending = Array.from({ length: Math.min(25, contacts - first) }, (_, k) => ({
          PutRequest: { Item: contactItem(TENANT, first + k, listId, now.getTime()) },
        }));
        while (pending.length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
          pending = (out.UnprocessedItems?.[TABLE] ?? []) as typeof pending;
        }
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Every contact item over the same 16 ranges of gsi1 that forEachContact reads, items dropped. */
async function bareQuery() {
  const started = performance.now();
  const items = await bareContactRead(doc, TABLE, TENANT);
  return { seconds: (performance.now() - started) / 1000, items };
}

/** The whole table (contacts and everything else), 16 parallel scan segments, items dropped. */
async function bareScan() {
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: PARTS }, async (_, segment) => {
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new ScanCommand({ TableName: TABLE, Segment: segment, TotalSegments: PARTS, Limit: PAGE, ExclusiveStartKey: start }),
        );
        n += out.Items?.length ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return n;
    }),
  );
  return { seconds: (performance.now() - started) / 1000, items: counts.reduce((s, n) => s + n, 0) };
}

async function preview() {
  const started = performance.now();
  const res = await api('POST', '/segments/preview', { rule, sampleSize: 10 });
  const seconds = (performance.now() - started) / 1000;
  if (res.status !== 200) throw new Error(`POST /segments/preview answered ${res.status}: ${JSON.stringify(res.body)}`);
  const b = res.body as { count: number; scanned: number; complete: boolean; reachable: { email: number } };
  return { seconds, items: b.scanned, count: b.count, complete: b.complete };
}

type Measured = { name: string; r: { seconds: number; items: number; count?: number; complete?: boolean } };
async function throughStack(): Promise<{ writeSeconds: number; measured: Measured[] }> {
  const list = await api('POST', '/lists', { name: 'Bench exclusions' }, { 'idempotency-key': LIST_KEY });
  if (list.status !== 201 || list.body.listId !== listId)
    throw new Error(`POST /lists answered ${list.status}: ${JSON.stringify(list.body)}`);
  const writeSeconds = await writeContacts();
  // Load the preview handler (and its SDK client) with a rule that fails its reference check.
  const warm = await api('POST', '/segments/preview', { rule: { inList: 'ls_missing' } });
  if (warm.status !== 400) throw new Error(`warm-up preview answered ${warm.status}`);
  await bareQuery(); // and this process's client, and dynalite's cache, the same for everyone
  const measured: Measured[] = [];
  for (const round of [1, 2]) {
    measured.push({ name: `baseline: bare Query, ${PARTS} gsi1 ranges (${round})`, r: await bareQuery() });
    measured.push({ name: `baseline: bare Scan, ${PARTS} segments (${round})`, r: await bareScan() });
    measured.push({ name: `POST /segments/preview (${round})`, r: await preview() });
  }
  return { writeSeconds, measured };
}
let result: Awaited<ReturnType<typeof throughStack>>;
try {
  result = await throughStack();
} finally {
  await stack.stop(); // also when a step failed, so no child is left running
}
const { writeSeconds, measured } = result;

const rate = (r: { seconds: number; items: number }) => r.items / r.seconds;
const best = (prefix: string) => Math.max(...measured.filter((m) => m.name.startsWith(prefix)).map((m) => rate(m.r)));
const queryRate = best('baseline: bare Query');
const scanRate = best('baseline: bare Scan');
const stackRows = measured.map(({ name, r }) => ({
  run: name,
  seconds: r.seconds.toFixed(2),
  'items read (scanned)': r.items,
  'items/s': Math.round(rate(r)),
  'vs bare Query': (rate(r) / queryRate).toFixed(2),
  'vs bare Scan': (rate(r) / scanRate).toFixed(2),
  complete: r.complete === undefined ? '' : String(r.complete),
  count: r.count ?? '',
}));

console.log(
  `\nIn process: ${inProcess} items built in ${buildSeconds.toFixed(1)} s (foldEvents included); rule of 9 nodes; Node ${process.version}\n`,
);
printTable(inProcessRows);
console.log(
  `\nLocal stack: ${contacts} contact items written with BatchWriteItem in ${writeSeconds.toFixed(1)} s (${Math.round(contacts / writeSeconds)} items/s), plus the demo seed's 48; vs columns against the best baseline run\n`,
);
printTable(stackRows);
