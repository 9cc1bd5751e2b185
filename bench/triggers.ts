/**
 * Triggered campaigns on the local stack (startPlatform in this process, in memory, timers off),
 * issue 8's two figures, each next to a baseline taken in the same run:
 *
 * A. Evaluation cost per incoming event. Purchase events POSTed to /events in batches of 500, one
 *    batch at a time, one event per contact, in three passes over three sets of N contacts:
 *    (1) no active trigger in the workspace (the baseline: the campaign exists but is not launched
 *    yet), (2) the trigger launched and every event matches it (category shoes: one firing each),
 *    (3) the trigger active and no event matches (category books). Every DynamoDB request the
 *    handlers send is counted by a middleware on the shared document client (shared/db/client.ts;
 *    handlers run in this process and all use it), by operation and by the kind of item its key
 *    names, and asked for ReturnConsumedCapacity TOTAL (dynalite sizes items as DynamoDB does,
 *    1 KB a write unit, 4 KB a read unit, eventually consistent reads half; GSI units are not
 *    reported by dynalite and not included: the trigger's own items carry no GSI keys; a write
 *    whose condition fails is billed 1 WCU). SQS messages are counted by wrapping
 *    SQSClient.prototype.send (SendMessage: 1, SendMessageBatch: its entries), by queue.
 *
 * B. Due firings per minute, worst case: the N firings of pass 2 are all due at the same instant
 *    (every event has the same `at`, the trigger's delay is P1D, so each sits in the due-time
 *    index). The platform clock is moved to exactly that instant, then `runSchedule('sweep-triggers')`
 *    runs once (it hands everything due to the trigger-due queue) while the queue workers fire and
 *    the email senders send to the local SES (MaxSendRate 100,000/s, so pacing is not the limit).
 *    Timed from the sweep's start: the sweep alone; the firing step (until the trigger-due queue is
 *    empty: every firing has its send record and is handed to the senders); end to end (until the
 *    local SES has accepted N emails). Lateness per firing, in the platform's (shifted) clock, from
 *    its send record: `data.firedAt` (when the trigger-due worker took it) and `sentAt` (when SES
 *    accepted it), minus its due time (the event's `at` + 1 day).
 *    Each DynamoDB request of phase B is put down to the sweep, the trigger-due worker or the
 *    email senders by the files on its async stack (structured call sites, not a formatted stack:
 *    a few microseconds a request; runs with and without it were within this machine's noise).
 *    Baseline, same run, same dynalite: bare conditional PutItems (attribute_not_exists(pk),
 *    firing-sized items) at the trigger-due workers' concurrency (8: 8 workers, one message at a
 *    time each) and at the sweep's delete concurrency (64: 16 per shard × 4 shards).
 *
 * C. Steady state: S more firings (default 200) for contacts of pass 2, due spread evenly over 5
 *    minutes; the clock moves one minute at a time and the sweep runs once per simulated minute,
 *    the queues drained each time. Lateness now includes the wait for the next sweep (0-60 s).
 *
 * Contacts are written straight into dynalite with BatchWriteItem in the repositories' item shape
 * (contact and email identity claim, subscribed to email), as bench/campaigns.ts does: creating
 * them is not part of any figure.
 * `npm run bench:triggers -- [contacts=10000] [steady=200]`
 */
import { bulkWrite } from './bulk-write.ts';
import { randomBytes } from 'node:crypto';
import { performance as perf } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queues } from '../functions/wiring.ts';
import { type Platform, startPlatform } from '../local/platform.ts';
import { documentClient, queryAll } from '../shared/db/client.ts';
import { gsi1, keys } from '../shared/db/keys.ts';
import { SEND_SHARDS } from '../shared/domain/campaign.ts';
import { DUE_SHARDS } from '../shared/domain/trigger.ts';
import { derivedId } from '../shared/domain/ids.ts';
import { printTable } from './table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Handlers log errors and warnings only (they are loaded after this line runs).
process.env.LOG_LEVEL ??= 'WARN';

const N = Number(process.argv[2] ?? 10_000);
const STEADY = Number(process.argv[3] ?? 200);
const BATCH = 500;
const DAY = 86_400_000;
const STEADY_SPREAD_MS = 5 * 60_000;
const BASELINE_PUTS = 5_000;
const GOAL_PER_MINUTE = 10_000;
/** Give up waiting for phase B after this (the table then says what was reached). */
const PHASE_B_TIMEOUT_MS = 8 * 60_000;
const POLL_MS = 50;
const tenantId = 'default';
const due = queues['trigger-due'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const s1 = (ms: number) => (ms / 1000).toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const f3 = (n: number) => n.toFixed(3);
const perMinute = (n: number, ms: number) => Math.round((n / ms) * 60_000);

// ---------------------------------------------------------------------------------------------
// Counting DynamoDB requests (middleware on the shared document client) and SQS messages

interface OpTally {
  requests: number;
  /** Keys read or written by batch requests. */
  keys: number;
  conditionFailed: number;
  units: number;
}
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Which part of the pipeline sent a request, from the async stack trace (phase B only). */
const STAGES: [string, RegExp][] = [
  ['sweep', /functions\/schedules\/sweep-triggers\.ts|\bsweepDue\b/],
  ['trigger-due', /functions\/queues\/trigger-due\//],
  ['senders', /functions\/queues\/campaign-email\//],
];
/**
 * The files and functions on the async stack, without formatting it: tsx maps every frame
 * through its source maps when `.stack` is read, which would cost more than the request.
 */
function stageOfCaller(): string {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 100;
  Error.prepareStackTrace = (_, calls) => calls.map((c) => `${c.getFunctionName() ?? ''} ${c.getFileName() ?? ''}`).join('\n');
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder);
  const stack = holder.stack ?? '';
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  return STAGES.find(([, re]) => re.test(stack))?.[0] ?? 'other';
}

class Tally {
  /** `<stage>\t<operation> <item kind>` → counts (the stage is empty unless `byStage`). */
  ops = new Map<string, OpTally>();
  /** queue → messages sent. */
  sqs = new Map<string, number>();
  constructor(readonly byStage = false) {}
  op(stage: string, name: string, kind: string): OpTally {
    const key = `${stage}\t${name} ${kind}`;
    let t = this.ops.get(key);
    if (!t) {
      t = { requests: 0, keys: 0, conditionFailed: 0, units: 0 };
      this.ops.set(key, t);
    }
    return t;
  }
  /** Without the stage: `<operation> <item kind>` → counts. */
  merged(): Map<string, OpTally> {
    const out = new Map<string, OpTally>();
    for (const [key, t] of this.ops) {
      const k = key.split('\t')[1]!;
      const m = out.get(k) ?? { requests: 0, keys: 0, conditionFailed: 0, units: 0 };
      out.set(k, {
        requests: m.requests + t.requests,
        keys: m.keys + t.keys,
        conditionFailed: m.conditionFailed + t.conditionFailed,
        units: m.units + t.units,
      });
    }
    return out;
  }
  totals(stage?: string) {
    const out = { reads: 0, writes: 0, rcu: 0, wcu: 0, sqs: 0 };
    for (const [key, t] of this.ops) {
      const [s, rest] = key.split('\t') as [string, string];
      if (stage !== undefined && s !== stage) continue;
      if (WRITES.has(rest.split(' ')[0]!)) {
        out.writes += t.requests;
        out.wcu += t.units;
      } else {
        out.reads += t.requests;
        out.rcu += t.units;
      }
    }
    for (const n of this.sqs.values()) out.sqs += n;
    return out;
  }
  stages(): string[] {
    return [...new Set([...this.ops.keys()].map((k) => k.split('\t')[0]!))];
  }
  byOperation(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [key, t] of this.merged()) out.set(key.split(' ')[0]!, (out.get(key.split(' ')[0]!) ?? 0) + t.requests);
    return out;
  }
}

/** Plain or marshalled ({ S: ... }) attribute value → string. */
const str = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' && 'S' in (v as object) ? String((v as { S: unknown }).S) : String(v);

/** What kind of item a key names (keys.ts): `contact`, `firing`, `due index`... */
function kindOf(pk: string, sk: string, index?: string): string {
  if (index) return `GSI ${pk.split('#').slice(2).join('#').toLowerCase() || pk}`;
  if (pk.startsWith('DUE#')) return 'due index';
  if (pk.includes('#SENDS#')) return 'send record';
  if (pk.startsWith('PACER#')) return 'pacer';
  if (pk === 'TENANTS') return 'tenant registry';
  if (pk.endsWith('#TRIGGERS')) return 'active triggers';
  if (pk.endsWith('#SETTINGS')) return `settings ${sk}`;
  if (pk.includes('#SUPPRESSION#')) return 'suppression';
  if (pk.includes('#IDENT#')) return 'identity';
  const named: Record<string, string> = {
    PROFILE: 'contact',
    SENDLOG: 'send log',
    COUNTS: 'campaign counters',
    CAMPAIGN: 'campaign',
    TEMPLATE: 'template',
    WEBHOOK: 'webhook',
  };
  if (named[sk]) return named[sk];
  const prefix = sk.split('#')[0] ?? '';
  const prefixes: Record<string, string> = { EVENT: 'events', FIRING: 'firing', TRIGGER: 'cooldown', LIST: 'membership' };
  return prefixes[prefix] ?? (sk || pk.split('#').slice(2, 3).join('').toLowerCase() || pk);
}

function kindOfRequest(op: string, input: Record<string, unknown>): string {
  const key = (k: unknown) => {
    const o = (k ?? {}) as Record<string, unknown>;
    return { pk: str(o.pk), sk: str(o.sk) };
  };
  if (op === 'PutItem') return kindOf(key(input.Item).pk, key(input.Item).sk);
  if (op === 'GetItem' || op === 'UpdateItem' || op === 'DeleteItem') return kindOf(key(input.Key).pk, key(input.Key).sk);
  if (op === 'Query' || op === 'Scan') {
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
    return kindOf(str(values[':pk']), str(values[':prefix']), input.IndexName ? str(input.IndexName) : undefined);
  }
  if (op === 'BatchGetItem') {
    const t = Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>)[0];
    return kindOf(key(t?.Keys?.[0]).pk, key(t?.Keys?.[0]).sk);
  }
  if (op === 'BatchWriteItem') {
    const r = Object.values(
      (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]>,
    )[0]?.[0];
    const k = key(r?.PutRequest?.Item ?? r?.DeleteRequest?.Key);
    return kindOf(k.pk, k.sk);
  }
  return '';
}

function batchKeys(op: string, input: Record<string, unknown>): number {
  const tables = Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] } | unknown[]>);
  if (op === 'BatchGetItem') return tables.reduce<number>((n, t) => n + ((t as { Keys?: unknown[] }).Keys?.length ?? 0), 0);
  if (op === 'BatchWriteItem') return tables.reduce<number>((n, t) => n + (t as unknown[]).length, 0);
  return 0;
}

/** Counts every request of the shared document client and every SQS message sent in this process into `current.tally` (when set). */
function instrument(doc: DynamoDBDocumentClient) {
  const current: { tally: Tally | undefined } = { tally: undefined };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const tally = current.tally;
      if (!tally) return next(args);
      const op = (context.commandName ?? '').replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      const t = tally.op(tally.byStage ? stageOfCaller() : '', op, kindOfRequest(op, input));
      t.requests++;
      t.keys += batchKeys(op, input);
      try {
        const result = await next({ ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } });
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { CapacityUnits?: number }[];
        t.units += list.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          t.conditionFailed++;
          t.units += 1; // DynamoDB bills a failed conditional write; dynalite reports nothing for it
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'benchTriggerCount', priority: 'high' },
  );
  // Every queue client in this process (each provider builds its own) is an SQSClient.
  const proto = SQSClient.prototype as unknown as { send: (this: SQSClient, command: unknown, ...rest: unknown[]) => Promise<unknown> };
  const send = proto.send;
  proto.send = function (command, ...rest) {
    const tally = current.tally;
    if (tally && (command instanceof SendMessageCommand || command instanceof SendMessageBatchCommand)) {
      const queue = (command.input.QueueUrl ?? '').split('/').pop() ?? '';
      const n = command instanceof SendMessageBatchCommand ? (command.input.Entries?.length ?? 0) : 1;
      tally.sqs.set(queue, (tally.sqs.get(queue) ?? 0) + n);
    }
    return send.call(this, command, ...rest);
  };
  return {
    start(byStage = false): Tally {
      current.tally = new Tally(byStage);
      return current.tally;
    },
    stop() {
      current.tally = undefined;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The workspace

type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

function apiOf(platform: Platform): Api {
  return async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

const address = (set: string, i: number) => `${set}${i}@example.com`;

/** `n` subscribed contacts with their email identity claims, written straight into dynalite (8 BatchWriteItems in flight). */
async function writeContacts(doc: DynamoDBDocumentClient, table: string, set: string, n: number) {
  const at = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const email = address(set, i);
    const contactId = derivedId('ct', tenantId, 'bench', email);
    items.push(
      {
        ...keys.contact({ tenantId, contactId }),
        ...gsi1.contacts({ tenantId, contactId }),
        entity: 'contact',
        tenantId,
        contactId,
        email,
        attributes: {},
        consent: { email: { status: 'subscribed', source: 'import', at }, sms: { status: 'unknown' } },
        createdAt: at,
        updatedAt: at,
        version: 1,
      },
      {
        ...keys.identity({ tenantId, kind: 'email', value: email }),
        ...gsi1.identities({ tenantId, kind: 'email', value: email }),
        entity: 'identity',
        tenantId,
        kind: 'email',
        value: email,
        contactId,
      },
    );
  }
  await bulkWrite(doc, table, items);
}

function purchase(set: string, i: number, eventId: string, category: string, at: string) {
  return {
    eventId,
    type: 'purchase',
    email: address(set, i),
    at,
    orderId: eventId,
    total: 60 + (i % 40),
    currency: 'EUR',
    items: [
      { sku: `${category}-${i % 97}`, name: `A ${category} item`, category, price: 60 + (i % 40), quantity: 1 },
      { sku: `socks-${i % 13}`, name: 'Socks', category: 'socks', price: 5, quantity: 2 },
    ],
  };
}

interface EventBatchResult {
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** POSTs the events in batches of 500, one batch at a time; milliseconds taken. */
async function postEvents(api: Api, events: object[]): Promise<{ ms: number; accepted: number }> {
  let accepted = 0;
  const started = perf.now();
  for (let i = 0; i < events.length; i += BATCH) {
    const r = await api<EventBatchResult>('POST', '/events', { events: events.slice(i, i + BATCH) });
    accepted += r.accepted;
    if (r.rejected > 0 || r.duplicates > 0) throw new Error(`events: ${JSON.stringify(r)}`);
  }
  return { ms: perf.now() - started, accepted };
}

/** Entries in the due-time index (all shards). */
async function dueEntries(doc: DynamoDBDocumentClient, table: string): Promise<number> {
  let n = 0;
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.duePartition(shard) },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      n += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return n;
}

async function queueDepth(platform: Platform, queue: string): Promise<number> {
  const body = (await (await fetch(platform.queuesUrl)).json()) as { queues: { name: string; depth: number }[] };
  return body.queues.find((q) => q.name === queue)?.depth ?? 0;
}

interface SendRecordRead {
  status: string;
  sentAt?: string;
  createdAt: string;
  data?: { firedAt?: string; event?: { at?: string; eventId?: string } };
}

/** Every send record of the campaign (its 16 shards). */
async function sendRecords(doc: DynamoDBDocumentClient, table: string, campaignId: string): Promise<SendRecordRead[]> {
  const parts = await Promise.all(
    Array.from({ length: SEND_SHARDS }, (_, shard) => queryAll(doc, table, { partition: keys.sendShard({ tenantId, campaignId, shard }) })),
  );
  return parts.flat() as unknown as SendRecordRead[];
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
function spread(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN, n: sorted.length };
}
const spreadText = (ms: number[]) => {
  const s = spread(ms);
  return `${s1(s.p50)} / ${s1(s.p99)} / ${s1(s.max)}`;
};

/** Bare conditional PutItems of firing-sized items, `inFlight` at a time: puts per second. */
async function rawPuts(doc: DynamoDBDocumentClient, table: string, inFlight: number, total: number, label: string): Promise<number> {
  const firingLike = (i: number) => ({
    pk: `T#${tenantId}#CONTACT#ct_rawput_${label}_${i}`,
    sk: `FIRING#cp_rawput#${String(i).padStart(12, '0')}`,
    entity: 'firing',
    tenantId,
    status: 'waiting',
    padding: 'x'.repeat(900),
  });
  const put = (i: number) =>
    doc.send(new PutCommand({ TableName: table, Item: firingLike(i), ConditionExpression: 'attribute_not_exists(pk)' }));
  for (let i = 0; i < 50; i++) await put(-1 - i); // warm the connection
  let next = 0;
  const started = perf.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) await put(next++);
    }),
  );
  return total / ((perf.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Main

const benchStarted = perf.now();
console.error(`[bench] starting the local platform (in memory); N = ${N}, steady = ${STEADY}`);
const platform = await startPlatform({ token: randomBytes(12).toString('hex'), tenantId, ses: { maxSendRate: 100_000 } });
const api = apiOf(platform);
const table = platform.tableName;
const own = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: platform.dynamoEndpoint, maxAttempts: 8 }), {
  marshallOptions: { removeUndefinedValues: true },
});
/** The platform's clock: moved ahead only by this bench. */
let clockAhead = 0;
const platformNow = () => Date.now() + clockAhead;
const moveClockTo = (at: number) => {
  const ms = at - platformNow();
  if (ms > 0) {
    platform.advanceClock(ms);
    clockAhead += ms;
  }
};

const output: { title: string; rows: Record<string, string | number>[] }[] = [];
try {
  const counter = instrument(documentClient());
  await api('PUT', '/settings/sending', { email: { from: 'news@shop.example', fromName: 'Shop' } });
  const template = await api<{ templateId: string }>('POST', '/templates', {
    name: 'Goes with your order',
    channel: 'email',
    email: {
      subject: 'Your {{ trigger.event.items[0].category }} need company',
      html: '<p>Thank you for order {{ trigger.event.orderId }}.</p><p><a href="{% unsubscribe_url %}">Unsubscribe</a></p>',
    },
  });
  const made = perf.now();
  for (const set of ['warm', 'base', 'trig', 'miss']) await writeContacts(own, table, set, set === 'warm' ? BATCH : N);
  console.error(`[bench] ${3 * N + BATCH} contacts written in ${s1(perf.now() - made)} s (not part of any figure)`);
  const { campaignId } = await api<{ campaignId: string }>('POST', '/campaigns', {
    name: 'Cross-sell shoes',
    channel: 'email',
    variants: [{ name: 'A', email: template.templateId }],
    trigger: { on: { event: 'purchase', where: [{ field: 'items.category', op: 'eq', value: 'shoes' }] }, delay: 'P1D' },
  });

  // -------------------------------------------------------------------------------------------
  // A. Evaluation cost per event
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  const events = (set: string, category: string) =>
    Array.from({ length: set === 'warm' ? BATCH : N }, (_, i) => purchase(set, i, `${set}-${i}`, category, t0));
  await postEvents(api, events('warm', 'shoes')); // loads the handler, warms the connections: not counted
  const passes: { label: string; tally: Tally; ms: number; accepted: number; dueAdded: number }[] = [];
  const pass = async (label: string, set: string, category: string) => {
    console.error(`[bench] A. ${label}`);
    const dueBefore = await dueEntries(own, table);
    const tally = counter.start();
    const r = await postEvents(api, events(set, category));
    counter.stop();
    passes.push({ label, tally, ...r, dueAdded: (await dueEntries(own, table)) - dueBefore });
  };
  await pass('no active trigger (baseline)', 'base', 'shoes');
  const launched = await api<{ status: string }>('POST', `/campaigns/${campaignId}/launch`);
  if (launched.status !== 'sending') throw new Error(`launch: ${launched.status}`);
  await pass('active trigger, every event matches (starts a firing)', 'trig', 'shoes');
  await pass('active trigger, no event matches (category books)', 'miss', 'books');

  const opsShown = ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'];
  const base = passes[0]!;
  output.push({
    title:
      `A. Trigger evaluation cost per incoming event: ${N} purchase events per pass, POST /events in batches of ${BATCH}, one batch at a time, ` +
      'one event per contact (contacts exist); DynamoDB requests counted in process on the shared document client',
    rows: passes.map((p) => {
      const t = p.tally.totals();
      const ops = p.tally.byOperation();
      const bt = base.tally.totals();
      return {
        pass: p.label,
        events: p.accepted,
        'events/s': Math.round(p.accepted / (p.ms / 1000)),
        ...Object.fromEntries(opsShown.map((op) => [op, f2((ops.get(op) ?? 0) / N)])),
        'reads/event': f2(t.reads / N),
        'writes/event': f2(t.writes / N),
        'RCU/event': f2(t.rcu / N),
        'WCU/event': f2(t.wcu / N),
        'requests vs baseline': p === base ? '' : `+${f2((t.reads + t.writes - bt.reads - bt.writes) / N)}`,
        'SQS msgs/event': f2(t.sqs / N),
        'firings indexed': p.dueAdded,
      };
    }),
  });
  // Which requests the trigger adds: per operation and item, per event, each pass.
  const allKeys = [...new Set(passes.flatMap((p) => [...p.tally.merged().keys()]))].sort();
  output.push({
    title: 'A (detail). DynamoDB requests per event by operation and item (condition failures billed 1 WCU)',
    rows: allKeys.map((key) => ({
      'operation, item': key,
      ...Object.fromEntries(
        passes.map((p, i) => {
          const t = p.tally.merged().get(key);
          const keysNote = t && t.keys > 0 ? ` (${f3(t.keys / N)} keys)` : '';
          return [['no trigger', 'trigger, matches', 'trigger, no match'][i]!, t ? `${f3(t.requests / N)}${keysNote}` : '0'];
        }),
      ),
    })),
  });

  // -------------------------------------------------------------------------------------------
  // B. Due firings per minute: all N due at once
  console.error(`[bench] B. baselines: ${BASELINE_PUTS} bare conditional PutItems at ${due.concurrency} and 64 in flight`);
  const raw8 = await rawPuts(own, table, due.concurrency, BASELINE_PUTS, 'c8');
  const raw64 = await rawPuts(own, table, 64, BASELINE_PUTS, 'c64');

  const dueAt = Date.parse(t0) + DAY;
  moveClockTo(dueAt);
  console.error(`[bench] B. clock moved to the due time (+${s1(clockAhead)} s); sweeping ${N} due firings`);
  platform.ses.resetStats();
  const tally = counter.start(true);
  const cpu0 = process.cpuUsage();
  const elu0 = perf.eventLoopUtilization();
  const started = perf.now();
  let sweptMs: number | undefined;
  let handed = 0;
  const sweep = platform.runSchedule('sweep-triggers').then((r) => {
    sweptMs = perf.now() - started;
    handed = (r as { handed: number }).handed;
  });
  let firedMs: number | undefined;
  let sentMs: number | undefined;
  let firstSentMs: number | undefined;
  while (perf.now() - started < PHASE_B_TIMEOUT_MS) {
    await sleep(POLL_MS);
    const accepted = platform.ses.stats().accepted;
    if (firstSentMs === undefined && accepted > 0) firstSentMs = perf.now() - started;
    if (firedMs === undefined && sweptMs !== undefined && (await queueDepth(platform, 'trigger-due')) === 0) firedMs = perf.now() - started;
    if (accepted >= N) {
      sentMs = perf.now() - started;
      break;
    }
  }
  await sweep;
  const cpu = process.cpuUsage(cpu0);
  const elu = perf.eventLoopUtilization(elu0).utilization;
  const endMs = perf.now() - started;
  if (sentMs === undefined) console.error(`[bench] B. stopped waiting after ${s1(endMs)} s`);
  else await platform.drainQueues(120_000);
  counter.stop();
  const records = (await sendRecords(own, table, campaignId)).filter((r) => r.data?.event?.eventId?.startsWith('trig-'));
  const statuses = new Map<string, number>();
  for (const r of records) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const firedLate = records.map((r) => Date.parse(r.data?.firedAt ?? '') - (Date.parse(r.data?.event?.at ?? '') + DAY));
  const sentLate = records.filter((r) => r.sentAt).map((r) => Date.parse(r.sentAt!) - (Date.parse(r.data?.event?.at ?? '') + DAY));
  const bTotals = tally.totals();
  const perFiring = (bTotals.reads + bTotals.writes) / N;
  const stepTotals = [tally.totals('sweep'), tally.totals('trigger-due')];
  /** DynamoDB requests per firing of the firing step alone (the sweep and the trigger-due worker). */
  const perFiringStep = stepTotals.reduce((n, t) => n + t.reads + t.writes, 0) / N;
  const met = (n: number) => (n >= GOAL_PER_MINUTE ? 'met' : 'NOT met');
  const firingRate = firedMs ? perMinute(N, firedMs) : Number.NaN;
  const e2eRate = sentMs ? perMinute(N, sentMs) : Number.NaN;
  output.push({
    title:
      `B. Due firings per minute, worst case: ${N} firings due at the same instant, one sweep (clock moved to the due time), ` +
      `trigger-due ${due.concurrency} workers × batches of ${due.batchSize} (one message at a time each), senders as wired; ` +
      'lateness = time after the due time in the platform clock (p50 / p99 / max, seconds)',
    rows: [
      {
        run: `baseline: bare conditional PutItem, ${due.concurrency} in flight (${BASELINE_PUTS})`,
        firings: '',
        seconds: s1((BASELINE_PUTS / raw8) * 1000),
        'per minute': perMinute(BASELINE_PUTS, (BASELINE_PUTS / raw8) * 1000),
        [`goal ≥ ${GOAL_PER_MINUTE}/min`]: '',
        'lateness p50 / p99 / max s': '',
      },
      {
        run: `baseline: bare conditional PutItem, 64 in flight (${BASELINE_PUTS})`,
        firings: '',
        seconds: s1((BASELINE_PUTS / raw64) * 1000),
        'per minute': perMinute(BASELINE_PUTS, (BASELINE_PUTS / raw64) * 1000),
        [`goal ≥ ${GOAL_PER_MINUTE}/min`]: '',
        'lateness p50 / p99 / max s': '',
      },
      {
        run: `ceiling, firing step: ${due.concurrency}-in-flight puts/min ÷ ${f2(perFiringStep)} DynamoDB requests per firing (sweep + trigger-due)`,
        firings: '',
        seconds: '',
        'per minute': Math.round((raw8 * 60) / perFiringStep),
        [`goal ≥ ${GOAL_PER_MINUTE}/min`]: met((raw8 * 60) / perFiringStep),
        'lateness p50 / p99 / max s': '',
      },
      {
        run: `ceiling, end to end: ${due.concurrency}-in-flight puts/min ÷ ${f2(perFiring)} DynamoDB requests per firing (with the senders)`,
        firings: '',
        seconds: '',
        'per minute': Math.round((raw8 * 60) / perFiring),
        [`goal ≥ ${GOAL_PER_MINUTE}/min`]: met((raw8 * 60) / perFiring),
        'lateness p50 / p99 / max s': '',
      },
      {
        run: 'sweep alone (query the index, hand to the queue, delete each entry)',
        firings: handed,
        seconds: sweptMs ? s1(sweptMs) : '',
        'per minute': sweptMs ? perMinute(handed, sweptMs) : '',
        [`goal ≥ ${GOAL_PER_MINUTE}/min`]: sweptMs ? met(perMinute(handed, sweptMs)) : '',
        'lateness p50 / p99 / max s': '',
      },
      {
        run: 'firing step: sweep start → trigger-due queue empty (every firing has its record, handed to the senders)',
        firings: records.length,
        seconds: firedMs ? s1(firedMs) : `> ${s1(endMs)}`,
        'per minute': firingRate,
        [`goal ≥ ${GOAL_PER_MINUTE}/min`]: met(firingRate),
        'lateness p50 / p99 / max s': `${spreadText(firedLate)} (data.firedAt)`,
      },
      {
        run: `end to end: sweep start → ${N} emails accepted by the local SES`,
        firings: platform.ses.stats().accepted,
        seconds: sentMs ? s1(sentMs) : `> ${s1(endMs)}`,
        'per minute': e2eRate,
        [`goal ≥ ${GOAL_PER_MINUTE}/min`]: met(e2eRate),
        'lateness p50 / p99 / max s': `${spreadText(sentLate)} (sentAt)`,
      },
    ],
  });
  output.push({
    title: 'B (detail). What happened during phase B',
    rows: [
      { measure: 'send records of these firings, by status', value: [...statuses].map(([k, v]) => `${k} ${v}`).join(', ') },
      { measure: 'first email accepted by SES (s after sweep start, seen at a poll)', value: firstSentMs ? s1(firstSentMs) : '' },
      ...tally.stages().map((stage) => {
        const t = tally.totals(stage);
        return {
          measure: `DynamoDB requests per firing: ${stage}`,
          value: `${f2((t.reads + t.writes) / N)} (${f2(t.reads / N)} reads, ${f2(t.writes / N)} writes; ${f2(t.rcu / N)} RCU, ${f2(t.wcu / N)} WCU)`,
        };
      }),
      {
        measure: 'DynamoDB requests per firing: whole pipeline',
        value: `${f2(perFiring)} (${f2(bTotals.reads / N)} reads, ${f2(bTotals.writes / N)} writes; ${f2(bTotals.rcu / N)} RCU, ${f2(bTotals.wcu / N)} WCU)`,
      },
      {
        measure: 'SQS messages per firing, by queue',
        value: [...tally.sqs].map(([q, n]) => `${q} ${f2(n / N)}`).join(', '),
      },
      { measure: 'main thread busy (event-loop utilisation)', value: `${(elu * 100).toFixed(0)}%` },
      {
        measure: 'process CPU (main thread + dynalite worker) per wall second',
        value: `${((cpu.user + cpu.system) / 1000 / endMs).toFixed(2)} cores`,
      },
      ...[...tally.ops]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([key, t]) => ({
          measure: `  ${key.replace('\t', ': ')}`,
          value: `${f2(t.requests / N)} per firing${t.keys ? ` (${f2(t.keys / N)} keys)` : ''}${t.conditionFailed ? `, ${t.conditionFailed} condition failed` : ''}`,
        })),
    ],
  });

  // -------------------------------------------------------------------------------------------
  // C. Steady state: firings due spread over 5 minutes, one sweep per simulated minute
  if (STEADY > 0) {
    console.error(`[bench] C. ${STEADY} firings due over ${STEADY_SPREAD_MS / 60_000} minutes, one sweep per simulated minute`);
    const startAt = platformNow() + 1000;
    const steadyEvents = Array.from({ length: STEADY }, (_, i) =>
      purchase('trig', i % N, `steady-${i}`, 'shoes', new Date(startAt + Math.floor((i * STEADY_SPREAD_MS) / STEADY)).toISOString()),
    );
    await postEvents(api, steadyEvents);
    const firstDue = startAt + DAY;
    const sweeps: number[] = [];
    const stepMs: number[] = [];
    platform.ses.resetStats();
    // The minute schedule's ticks: on the minute of the first due time and every minute after, until all are due.
    const firstTick = Math.ceil(firstDue / 60_000) * 60_000;
    for (let tick = firstTick; tick <= firstDue + STEADY_SPREAD_MS + 60_000; tick += 60_000) {
      moveClockTo(tick);
      sweeps.push(platformNow());
      const t = perf.now();
      await platform.runSchedule('sweep-triggers');
      await platform.drainQueues(120_000);
      stepMs.push(perf.now() - t);
    }
    const steady = (await sendRecords(own, table, campaignId)).filter((r) => r.data?.event?.eventId?.startsWith('steady-'));
    const dueOf = (r: SendRecordRead) => Date.parse(r.data?.event?.at ?? '') + DAY;
    const sweepOf = (r: SendRecordRead) => sweeps.find((s) => s >= dueOf(r)) ?? Number.NaN;
    const fired = steady.map((r) => Date.parse(r.data?.firedAt ?? '') - dueOf(r));
    const sent = steady.filter((r) => r.sentAt).map((r) => Date.parse(r.sentAt!) - dueOf(r));
    const afterSweep = steady.map((r) => Date.parse(r.data?.firedAt ?? '') - sweepOf(r));
    const sentAfterSweep = steady.filter((r) => r.sentAt).map((r) => Date.parse(r.sentAt!) - sweepOf(r));
    output.push({
      title:
        `C. Steady state: ${STEADY} firings due evenly over ${STEADY_SPREAD_MS / 60_000} minutes, the sweep once per simulated minute ` +
        `(${sweeps.length} sweeps, each followed by draining the queues: ${stepMs.map((m) => s1(m)).join(', ')} s); p50 / p99 / max, seconds`,
      rows: [
        {
          measure: 'firing lateness after its due time (data.firedAt)',
          'p50 / p99 / max s': spreadText(fired),
          firings: fired.length,
        },
        { measure: '  of which after the sweep that handed it', 'p50 / p99 / max s': spreadText(afterSweep), firings: afterSweep.length },
        { measure: 'email accepted by SES after the due time (sentAt)', 'p50 / p99 / max s': spreadText(sent), firings: sent.length },
        {
          measure: '  of which after the sweep that handed it',
          'p50 / p99 / max s': spreadText(sentAfterSweep),
          firings: sentAfterSweep.length,
        },
      ],
    });
  }
} finally {
  own.destroy();
  await platform.stop();
}

console.log(
  `\nTriggered campaigns on the local stack (startPlatform in process, in memory), Node ${process.version}, N = ${N}; ` +
    `whole bench ${s1(perf.now() - benchStarted)} s\n`,
);
for (const { title, rows } of output) {
  console.log(`${title}\n`);
  printTable(rows);
  console.log('');
}
