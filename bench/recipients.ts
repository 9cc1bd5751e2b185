/**
 * The recipient side on the local stack (startPlatform in this process, in memory), each figure
 * next to a baseline taken in the same run:
 * 1. Tracked-link redirects (GET /r/{token}) through the local gateway, which turns each request
 *    into an API Gateway event for the same handler Lambda runs: a campaign (email template with
 *    3 tracked links) to `contacts` subscribed contacts of one list is launched and drained, and
 *    every tracked /r/ URL is read from the mailbox (GET /store, emails[].body.html). Then 50
 *    keep-alive connections (node:http Agent, maxSockets 50) request them in a shuffled round
 *    robin, a real browser's user agent, 1 s of warm-up then `seconds` measured; each request's
 *    latency by process.hrtime.bigint. Baseline: a bare node:http server answering 302 with a
 *    Location header, hammered by the same loop. Also a row for tokens that do not verify (the
 *    404 page: signature check only, no DynamoDB) and, with the same loop, the open pixel
 *    (GET /o/{token}). Checked afterwards: every answer 302 (or 404 / 200), each Location starting
 *    with one of the 3 targets, and the campaign's counters: clicks + machineClicks (and
 *    opens + machineOpens) equal to the requests the server answered, warm-up included; the size
 *    of the campaign's counters item, which every click, open and SES event rewrites.
 *    The load loop runs in a child process (its own event loop and core): on one event loop with
 *    the gateway it would take CPU from what it measures. Clicks wait until 1.5 s after the last
 *    send, so they count as a person's (a click within 1 s of the send counts as a scanner's).
 * 2. SES feedback: recordSesEvent (the use case behind the ses-* EventBridge rules) called in
 *    process on the platform's dynalite (allDeps() after startPlatform set the environment), the
 *    event detail parsed by SesEventDetail as the handler does: N Delivery events of N distinct
 *    `sent` records (written with the send repository's createMany under a draft campaign), then
 *    the same N events again (repeats: must count nothing), at concurrency 1 and 16. Baseline: a
 *    bare UpdateItem (SET of one attribute, same keys) on the same dynalite at the same
 *    concurrency. Checked: counts delivered = records with deliveredAt = N, unchanged by repeats.
 * DynamoDB requests per HTTP request or event come from a middleware on the document clients; CPU
 * per thread (main thread: gateway, handlers, SDK clients; other threads: dynalite's worker, libuv,
 * GC) and of the whole machine (other processes included: a shared machine shows here) from /proc.
 * `npm run bench:recipients -- [contacts=200] [feedbackEvents=5000] [seconds=8]`
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { performance as perf } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '../local/platform.ts';
import { documentClient } from '../shared/db/client.ts';
import { keys } from '../shared/db/keys.ts';
import { type SendRecord, sendIdOf, shardOf } from '../shared/domain/campaign.ts';
import { mapConcurrent } from '../shared/lib/concurrency.ts';
import { printTable } from './table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Handlers log errors and warnings only (they are loaded after this line runs).
process.env.LOG_LEVEL ??= 'WARN';

const CHILD_FLAG = '--load-child';
const CONNECTIONS = 50;
const WARMUP_MS = 1000;
const FEEDBACK_CONCURRENCY = [1, 16];
/** A desktop Chrome: a person, not a scanner, a prefetcher or an image proxy (shared/domain/tracking.ts). */
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const LINKS = ['https://shop.example/spring', 'https://shop.example/linen?size=m', 'https://shop.example/trainers#new'];
const HTML = `<!doctype html><html><body>
<h1>Hi {{ contact.firstName | default: "there" }},</h1>
<p><a href="${LINKS[0]}">See the collection</a></p>
<p><a href="${LINKS[1]}">Linen shirts</a> and <a href="${LINKS[2]}">the trainers you asked about</a>.</p>
<p style="font-size:11px"><a href="{% unsubscribe_url %}">Unsubscribe</a></p>
</body></html>`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const ms = (n: number) => n.toFixed(2);

// ---------------------------------------------------------------------------------------------
// The load loop (in the child process)

interface LoadSpec {
  urls: string[];
  connections: number;
  warmupMs: number;
  measureMs: number;
  userAgent: string;
  /** The status every answer must have. */
  expect: number;
  /** A 302's Location must start with one of these. */
  locations?: string[];
}

interface LoadResult {
  /** Requests answered in the measured phase, and over the whole run (warm-up included). */
  measured: number;
  total: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Answers with another status than `expect`, by status. */
  unexpected: Record<string, number>;
  badLocation: number;
  errors: number;
  lastError: string;
  /** The load loop's own event-loop utilisation and CPU (cores) in the measured phase. */
  loaderElu: number;
  loaderCores: number;
}

type ChildMessage = { type: 'measuring' } | { type: 'result'; result: LoadResult };

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function runLoad(spec: LoadSpec, onMeasuring: () => void): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const targets = spec.urls.map((u) => {
    const url = new URL(u);
    return { hostname: url.hostname, port: Number(url.port), path: `${url.pathname}${url.search}` };
  });
  const unexpected: Record<string, number> = {};
  let next = 0;
  let total = 0;
  let errors = 0;
  let badLocation = 0;
  let lastError = '';
  const once = (t: (typeof targets)[number]) =>
    new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      const req = request(
        { agent, hostname: t.hostname, port: t.port, path: t.path, method: 'GET', headers: { 'user-agent': spec.userAgent } },
        (res) => {
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
          res.resume();
        },
      );
      req.on('error', reject);
      req.end();
    });
  const phase = async (durationMs: number, latencies: number[] | undefined) => {
    const end = performance.now() + durationMs;
    await Promise.all(
      Array.from({ length: spec.connections }, async () => {
        while (performance.now() < end) {
          const target = targets[next++ % targets.length]!;
          const started = process.hrtime.bigint();
          try {
            const { status, location } = await once(target);
            latencies?.push(Number(process.hrtime.bigint() - started) / 1e6);
            total++;
            if (status !== spec.expect) unexpected[status] = (unexpected[status] ?? 0) + 1;
            else if (status === 302 && !spec.locations?.some((l) => location?.startsWith(l))) badLocation++;
          } catch (error) {
            errors++;
            lastError = String(error);
          }
        }
      }),
    );
  };
  await phase(spec.warmupMs, undefined);
  onMeasuring();
  const latencies: number[] = [];
  const elu0 = perf.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await phase(spec.measureMs, latencies);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const loaderElu = perf.eventLoopUtilization(elu0).utilization;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    measured: latencies.length,
    total,
    seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    unexpected,
    badLocation,
    errors,
    lastError,
    loaderElu,
    loaderCores: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

/** The child's side: one load run per message from the parent. */
function loadChild(): void {
  const send = (m: ChildMessage) => process.send?.(m);
  process.on('message', (spec: LoadSpec) => {
    void runLoad(spec, () => send({ type: 'measuring' })).then((result) => send({ type: 'result', result }));
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// The parent's side of a load run: what the server process spent meanwhile

/** DynamoDB requests made through the shared document client (handlers and allDeps()), by command. */
const dynamoCalls = new Map<string, number>();
const dynamoTotal = () => [...dynamoCalls.values()].reduce((s, n) => s + n, 0);
function countDynamoCalls(doc: DynamoDBDocumentClient): void {
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? '?').replace(/Command$/, '');
      dynamoCalls.set(name, (dynamoCalls.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCountCalls', priority: 'high' },
  );
}

/**
 * Where the CPU went, from /proc (Linux; elsewhere only the main thread's figures): this
 * process's main thread (gateway, handlers, SDK clients) and its other threads (dynalite's worker,
 * libuv's pool, GC), and the whole machine, other processes included.
 */
interface UsageMark {
  t: number;
  elu: ReturnType<typeof perf.eventLoopUtilization>;
  cpu: NodeJS.CpuUsage;
  threads: { main: number; others: number } | undefined;
  machine: { busy: number; total: number } | undefined;
  calls: number;
}
/** Clock ticks per second of /proc's figures (USER_HZ, 100 on Linux). */
const USER_HZ = 100;
function threadTicks(): UsageMark['threads'] {
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      if (Number(tid) === process.pid) main += ticks;
      else others += ticks;
    }
    return { main, others };
  } catch {
    return undefined;
  }
}
function machineTicks(): UsageMark['machine'] {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - cpu[3]! - cpu[4]!, total };
  } catch {
    return undefined;
  }
}
const mark = (): UsageMark => ({
  t: performance.now(),
  elu: perf.eventLoopUtilization(),
  cpu: process.cpuUsage(),
  threads: threadTicks(),
  machine: machineTicks(),
  calls: dynamoTotal(),
});
interface Usage {
  seconds: number;
  mainElu: number;
  /** CPU cores used: this process's main thread, its other threads, and the machine as a whole (all processes). */
  mainCores: number | undefined;
  otherCores: number | undefined;
  processCores: number;
  machineCores: number | undefined;
  dynamoCalls: number;
}
function since(a: UsageMark): Usage {
  const b = mark();
  const seconds = (b.t - a.t) / 1000;
  const cpu = process.cpuUsage(a.cpu);
  return {
    seconds,
    mainElu: perf.eventLoopUtilization(b.elu, a.elu).utilization,
    mainCores: a.threads && b.threads ? (b.threads.main - a.threads.main) / USER_HZ / seconds : undefined,
    otherCores: a.threads && b.threads ? (b.threads.others - a.threads.others) / USER_HZ / seconds : undefined,
    processCores: (cpu.user + cpu.system) / 1e6 / seconds,
    machineCores:
      a.machine && b.machine
        ? ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * availableParallelism()
        : undefined,
    dynamoCalls: b.calls - a.calls,
  };
}
const cores = (n: number | undefined) => (n === undefined ? '?' : n.toFixed(2));
/** "main 99% busy, 0.95 + 0.40 other threads; machine 1.9 of 2" */
const usageCell = (u: Usage, loaderCores?: number) =>
  `main ${(u.mainElu * 100).toFixed(0)}% busy ${cores(u.mainCores)}, other threads ${cores(u.otherCores)}` +
  `${loaderCores === undefined ? '' : `, load loop ${cores(loaderCores)}`}; machine ${cores(u.machineCores)} of ${availableParallelism()}`;

interface LoadRun extends LoadResult {
  usage: Usage;
  dynamoPerRequest: number;
}

function loadVia(child: ChildProcess, spec: LoadSpec): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    let at: UsageMark | undefined;
    const onMessage = (m: ChildMessage) => {
      if (m.type === 'measuring') {
        at = mark();
        return;
      }
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (!at) return reject(new Error('the load child never started measuring'));
      const usage = since(at);
      resolve({ ...m.result, usage, dynamoPerRequest: usage.dynamoCalls / Math.max(1, m.result.measured) });
    };
    const onExit = (code: number | null) => reject(new Error(`the load child exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(spec);
  });
}

/** A bare node:http server answering every request 302 with a Location header (the redirect baseline). */
async function bareRedirectServer(location: string) {
  const server = createServer((_req, res) => {
    res.writeHead(302, { location, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store, max-age=0' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The workspace: API helper, settings, template, contacts, campaign

type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

function apiOf(platform: Platform): Api {
  return async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

interface VariantCounts {
  sent: number;
  delivered: number;
  clicks: number;
  clicked: number;
  machineClicks: number;
  opens: number;
  opened: number;
  machineOpens: number;
  links: Record<string, number>;
}
interface CampaignView {
  status: string;
  counts: { audience: number; variants: Record<string, Partial<VariantCounts>> };
}

async function variantA(api: Api, campaignId: string): Promise<VariantCounts> {
  const view = await api<CampaignView>('GET', `/campaigns/${campaignId}`);
  const a = view.counts.variants.A ?? {};
  return {
    sent: a.sent ?? 0,
    delivered: a.delivered ?? 0,
    clicks: a.clicks ?? 0,
    clicked: a.clicked ?? 0,
    machineClicks: a.machineClicks ?? 0,
    opens: a.opens ?? 0,
    opened: a.opened ?? 0,
    machineOpens: a.machineOpens ?? 0,
    links: a.links ?? {},
  };
}

/** Sending settings, the 3-link template, `n` subscribed contacts in a list, and a draft campaign to it. */
async function setUp(api: Api, n: number) {
  await api('PUT', '/settings/sending', { email: { from: 'news@shop.example', fromName: 'Shop' } });
  const { templateId } = await api<{ templateId: string }>('POST', '/templates', {
    name: 'Three links',
    channel: 'email',
    email: { subject: 'Spring, {{ contact.firstName | default: "friend" }}', html: HTML },
  });
  const { listId } = await api<{ listId: string }>('POST', '/lists', { name: `Readers (${n})` });
  const indexes = Array.from({ length: n }, (_, i) => i);
  const contactIds = await mapConcurrent(
    indexes,
    8,
    async (i) =>
      (
        await api<{ contactId: string }>('POST', '/contacts', {
          email: `reader${i}@example.com`,
          firstName: `Reader${i}`,
          consent: { email: { status: 'subscribed' } },
        })
      ).contactId,
  );
  for (let i = 0; i < contactIds.length; i += 1000) {
    await api('POST', `/lists/${listId}/members`, { contactIds: contactIds.slice(i, i + 1000) });
  }
  const campaign = (name: string) =>
    api<{ campaignId: string }>('POST', '/campaigns', {
      name,
      channel: 'email',
      variants: [{ name: 'A', email: templateId }],
      audience: { lists: [listId] },
    }).then((c) => c.campaignId);
  return { campaign };
}

/** Every tracked click URL and open pixel URL in the mailbox, with the contact each belongs to. */
async function trackedUrls(platform: Platform) {
  const store = (await (await fetch(`${platform.mailboxUrl}/store`)).json()) as { emails: { body: { html?: string } }[] };
  const clicks: string[] = [];
  const opens: string[] = [];
  for (const email of store.emails) {
    const html = email.body.html ?? '';
    for (const m of html.matchAll(/href="(http:\/\/127\.0\.0\.1:\d+\/r\/[^"]+)"/g)) clicks.push(m[1]!);
    for (const m of html.matchAll(/src="(http:\/\/127\.0\.0\.1:\d+\/o\/[^"]+)"/g)) opens.push(m[1]!);
  }
  return { emails: store.emails.length, clicks, opens };
}

/** A token altered in one character of its payload: well-formed, but its signature does not verify. */
function tampered(url: string): string {
  const at = url.lastIndexOf('/') + 6;
  const c = url[at]!;
  return `${url.slice(0, at)}${c === 'A' ? 'B' : 'A'}${url.slice(at + 1)}`;
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A campaign's counters item (keys.campaignCounts) sized roughly as DynamoDB bills it: attribute
 * names, a number about 1 byte per 2 digits + 1, strings and string sets by their UTF-8 bytes.
 * Every click, open and SES event ADDs to this one item, and DynamoDB bills a write by the item's size.
 */
async function countsItemSize(tableName: string, tenantId: string, campaignId: string) {
  const out = await documentClient().send(
    new GetCommand({ TableName: tableName, Key: keys.campaignCounts({ tenantId, campaignId }), ConsistentRead: true }),
  );
  const item = (out.Item ?? {}) as Record<string, unknown>;
  const sizeOf = (v: unknown): number => {
    if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.-]/g, '').length / 2) + 1;
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (v instanceof Set) return [...v].reduce((sum: number, x) => sum + sizeOf(x), 0);
    return Buffer.byteLength(JSON.stringify(v ?? null));
  };
  const bytes = Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + sizeOf(value), 0);
  return { attributes: Object.keys(item).length, bytes, wcu: Math.max(1, Math.ceil(bytes / 1024)) };
}

// ---------------------------------------------------------------------------------------------
// 2. SES feedback

async function feedbackBench(platform: Platform, api: Api, campaign: (name: string) => Promise<string>, n: number, tenantId: string) {
  const { allDeps } = await import('../shared/runtime/deps.ts');
  const { recordSesEvent, SesEventDetail } = await import('../shared/services/campaign-feedback.ts');
  const deps = allDeps();
  const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: platform.dynamoEndpoint, maxAttempts: 8 }));
  countDynamoCalls(raw);

  /** `count` distinct `sent` records under a new draft campaign, and their Delivery events. */
  const sentRecords = async (name: string, count: number) => {
    const campaignId = await campaign(name);
    const at = new Date().toISOString();
    const records: SendRecord[] = Array.from({ length: count }, (_, i) => {
      const contactId = `ct_${deps.newId()}`;
      return {
        sendId: sendIdOf(campaignId, contactId),
        campaignId,
        contactId,
        status: 'sent',
        variant: 'A',
        channel: 'email',
        messageId: `bench-${campaignId}-${i}`,
        sentAt: at,
        createdAt: at,
        updatedAt: at,
      };
    });
    await deps.sends.createMany(tenantId, records);
    const events = records.map((r) => ({
      eventType: 'Delivery',
      mail: {
        messageId: r.messageId,
        timestamp: at,
        tags: { workspace: [tenantId], campaign: [campaignId], variant: ['A'], send: [r.sendId] },
      },
      delivery: { timestamp: new Date().toISOString(), recipients: [`${r.contactId}@example.com`], smtpResponse: '250 OK' },
    }));
    return { campaignId, records, events };
  };

  const timed = async <T>(items: T[], concurrency: number, fn: (item: T) => Promise<string>) => {
    const at = mark();
    const outcomes = await mapConcurrent(items, concurrency, fn);
    const usage = since(at);
    const tally: Record<string, number> = {};
    for (const o of outcomes) tally[o] = (tally[o] ?? 0) + 1;
    return { seconds: usage.seconds, rate: items.length / usage.seconds, tally, usage, dynamoPerItem: usage.dynamoCalls / items.length };
  };
  const record = (e: unknown) => recordSesEvent(deps, SesEventDetail.parse(e));
  const bareUpdate = (r: SendRecord) =>
    raw
      .send(
        new UpdateCommand({
          TableName: platform.tableName,
          Key: keys.send({ tenantId, campaignId: r.campaignId, shard: shardOf(r.contactId), contactId: r.contactId }),
          UpdateExpression: 'SET benchTouchedAt = :at',
          ExpressionAttributeValues: { ':at': new Date().toISOString() },
        }),
      )
      .then(() => 'updated');

  console.error(`[bench] 2. warm-up: 300 events and 300 bare updates`);
  const warm = await sentRecords('Feedback warm-up', 300);
  await timed(warm.events, 8, record);
  await timed(warm.records, 8, bareUpdate);

  const rows: Record<string, string | number>[] = [];
  const checks: Record<string, string | number>[] = [];
  for (const c of FEEDBACK_CONCURRENCY) {
    console.error(`[bench] 2. ${n} sent records, then ${n} Delivery events at concurrency ${c}, repeats, and bare UpdateItems`);
    const set = await sentRecords(`Feedback ${c}`, n);
    const base = await timed(set.records, c, bareUpdate);
    const first = await timed(set.events, c, record);
    const countsAfterFirst = Number((await deps.campaigns.counts(tenantId, set.campaignId))['delivered#A'] ?? 0);
    const repeat = await timed(set.events, c, record);
    const countsAfterRepeat = Number((await deps.campaigns.counts(tenantId, set.campaignId))['delivered#A'] ?? 0);
    const stored = await deps.sends.getMany(
      tenantId,
      set.campaignId,
      set.records.map((r) => r.contactId),
    );
    const withDeliveredAt = [...stored.values()].filter((r) => r.deliveredAt !== undefined).length;
    const viaApi = (await variantA(api, set.campaignId)).delivered;
    const outcome = (t: Record<string, number>) =>
      Object.entries(t)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
    rows.push(
      {
        run: `baseline: bare UpdateItem (SET one attribute) on the ${n} records`,
        concurrency: c,
        items: n,
        seconds: base.seconds.toFixed(2),
        'per second': Math.round(base.rate),
        'vs baseline': '1.00',
        'DynamoDB requests / item': base.dynamoPerItem.toFixed(2),
        'CPU cores (this process; machine, all processes)': usageCell(base.usage),
        outcomes: outcome(base.tally),
      },
      {
        run: 'recordSesEvent, Delivery of a sent record (first time)',
        concurrency: c,
        items: n,
        seconds: first.seconds.toFixed(2),
        'per second': Math.round(first.rate),
        'vs baseline': (first.rate / base.rate).toFixed(2),
        'DynamoDB requests / item': first.dynamoPerItem.toFixed(2),
        'CPU cores (this process; machine, all processes)': usageCell(first.usage),
        outcomes: outcome(first.tally),
      },
      {
        run: 'recordSesEvent, the same events again (repeats)',
        concurrency: c,
        items: n,
        seconds: repeat.seconds.toFixed(2),
        'per second': Math.round(repeat.rate),
        'vs baseline': (repeat.rate / base.rate).toFixed(2),
        'DynamoDB requests / item': repeat.dynamoPerItem.toFixed(2),
        'CPU cores (this process; machine, all processes)': usageCell(repeat.usage),
        outcomes: outcome(repeat.tally),
      },
    );
    const ok =
      first.tally.recorded === n &&
      repeat.tally.repeat === n &&
      countsAfterFirst === n &&
      countsAfterRepeat === n &&
      withDeliveredAt === n &&
      viaApi === n;
    checks.push({
      concurrency: c,
      'distinct sent records': n,
      'recorded (first pass)': first.tally.recorded ?? 0,
      'repeat (second pass)': repeat.tally.repeat ?? 0,
      'counts delivered after first / after repeats': `${countsAfterFirst} / ${countsAfterRepeat}`,
      'GET /campaigns delivered': viaApi,
      'records with deliveredAt': withDeliveredAt,
      'all as expected': ok ? 'yes' : 'NO',
    });
  }
  raw.destroy();
  return { rows, checks };
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const benchStarted = performance.now();
  const contacts = Number(process.argv[2] ?? 200);
  const feedbackEvents = Number(process.argv[3] ?? 5000);
  const measureMs = Number(process.argv[4] ?? 8) * 1000;
  const tenantId = 'default';

  const child = fork(new URL(import.meta.url).pathname, [CHILD_FLAG], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  console.error('[bench] starting the local platform (in memory)');
  const { startPlatform } = await import('../local/platform.ts');
  const platform = await startPlatform({ token: randomBytes(12).toString('hex'), tenantId, ses: { maxSendRate: 100_000 } });
  const api = apiOf(platform);
  countDynamoCalls(documentClient());
  try {
    // ---- 1. set-up: a campaign with 3 tracked links per email
    const { campaign } = await setUp(api, contacts);
    const campaignId = await campaign('Spring links');
    console.error(`[bench] 1. campaign to ${contacts} contacts: launch and drain`);
    const launchedAt = performance.now();
    await api('POST', `/campaigns/${campaignId}/launch`);
    await platform.drainQueues(120_000);
    const sentIn = (performance.now() - launchedAt) / 1000;
    const view = await api<CampaignView>('GET', `/campaigns/${campaignId}`);
    const sent = (await variantA(api, campaignId)).sent;
    if (view.status !== 'completed' || sent !== contacts) throw new Error(`campaign ${view.status} with ${sent} sent of ${contacts}`);
    const mail = await trackedUrls(platform);
    const distinctClickUrls = new Set(mail.clicks).size;
    if (mail.emails !== contacts || distinctClickUrls !== contacts * LINKS.length || mail.opens.length !== contacts)
      throw new Error(`mailbox: ${mail.emails} emails, ${distinctClickUrls} click URLs, ${mail.opens.length} pixels`);
    // A click within 1 s of the send is a scanner's: wait until the last send is well past that.
    await sleep(1500);
    const clickUrls = shuffle(mail.clicks);
    const locations = LINKS.map((l) => l.split('#')[0]!);

    const runs: { label: string; run: LoadRun; expect: number }[] = [];
    const load = async (label: string, urls: string[], expect: number, locationPrefixes?: string[]) => {
      console.error(`[bench] 1. ${label}: ${CONNECTIONS} connections, ${WARMUP_MS / 1000} s warm-up, ${measureMs / 1000} s measured`);
      const run = await loadVia(child, {
        urls,
        connections: CONNECTIONS,
        warmupMs: WARMUP_MS,
        measureMs,
        userAgent: BROWSER,
        expect,
        ...(locationPrefixes ? { locations: locationPrefixes } : {}),
      });
      runs.push({ label, run, expect });
      return run;
    };

    const bare = await bareRedirectServer(`${LINKS[0]}?utm_source=herald&utm_medium=email&utm_campaign=Spring%20links&utm_content=A`);
    try {
      const gatewayOrigin = new URL(platform.apiUrl).origin;
      await load(
        'baseline: bare node:http server, 302 + Location',
        clickUrls.map((u) => u.replace(gatewayOrigin, bare.url)),
        302,
        [LINKS[0]!],
      );
    } finally {
      await bare.close();
    }
    const before = await variantA(api, campaignId);
    const clickRun = await load(`GET /r/{token} (${clickUrls.length} tracked links of ${contacts} recipients)`, clickUrls, 302, locations);
    const afterClicks = await variantA(api, campaignId);
    await load('GET /r/{token}, a token that does not verify (404 page)', clickUrls.map(tampered), 404);
    const afterInvalid = await variantA(api, campaignId);
    const openRun = await load(`GET /o/{token} (open pixel of ${contacts} recipients)`, shuffle(mail.opens), 200);
    const afterOpens = await variantA(api, campaignId);

    const baseRate = runs[0]!.run.measured / runs[0]!.run.seconds;
    const httpRows = runs.map(({ label, run, expect }) => {
      const rate = run.measured / run.seconds;
      const unexpected = Object.entries(run.unexpected)
        .map(([s, k]) => `${k}×${s}`)
        .join(' ');
      return {
        run: label,
        requests: run.measured,
        'requests/s': Math.round(rate),
        'vs baseline': (rate / baseRate).toFixed(3),
        'p50 ms': ms(run.p50),
        'p90 ms': ms(run.p90),
        'p99 ms': ms(run.p99),
        'max ms': ms(run.max),
        'not the expected status': `${unexpected || '0'} (expected ${expect})`,
        'bad Location': run.badLocation,
        errors: run.errors,
        'DynamoDB req / request': run.dynamoPerRequest.toFixed(2),
        'CPU cores (server process; load loop; machine, all processes)': usageCell(run.usage, run.loaderCores),
      };
    });
    const lastError = runs.find((r) => r.run.errors > 0)?.run.lastError;

    const clicked = (c: VariantCounts) => c.clicks + c.machineClicks;
    const linkSum = (c: VariantCounts) => Object.values(c.links).reduce((s, v) => s + v, 0);
    const clickDelta = clicked(afterClicks) - clicked(before);
    const humanDelta = afterClicks.clicks - before.clicks;
    const machineDelta = afterClicks.machineClicks - before.machineClicks;
    const openDelta = afterOpens.opens + afterOpens.machineOpens - (afterInvalid.opens + afterInvalid.machineOpens);
    const checkRows = [
      {
        check: 'clicks (GET /r/, warm-up included)',
        'requests answered': clickRun.total,
        'counted (people + machines)': `${clickDelta} (${humanDelta} + ${machineDelta})`,
        'counted = answered': clickDelta === clickRun.total ? 'yes' : 'NO',
        'per link (sum of links = people)': `${Object.entries(afterClicks.links)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')} (${linkSum(afterClicks) === afterClicks.clicks ? 'yes' : 'NO'})`,
        'unique (clicked / opened)': `${afterClicks.clicked} of ${contacts}`,
      },
      {
        check: 'invalid tokens (404)',
        'requests answered': runs[2]!.run.total,
        'counted (people + machines)': `${clicked(afterInvalid) - clicked(afterClicks)}`,
        'counted = answered': clicked(afterInvalid) === clicked(afterClicks) ? 'yes (0 counted)' : 'NO',
        'per link (sum of links = people)': '',
        'unique (clicked / opened)': '',
      },
      {
        check: 'opens (GET /o/, warm-up included)',
        'requests answered': openRun.total,
        'counted (people + machines)': `${openDelta} (${afterOpens.opens - afterInvalid.opens} + ${afterOpens.machineOpens - afterInvalid.machineOpens})`,
        'counted = answered': openDelta === openRun.total ? 'yes' : 'NO',
        'per link (sum of links = people)': '',
        'unique (clicked / opened)': `${afterOpens.opened} of ${contacts}`,
      },
    ];

    const countsItem = await countsItemSize(platform.tableName, tenantId, campaignId);

    // ---- 2. SES feedback
    const feedback = await feedbackBench(platform, api, campaign, feedbackEvents, tenantId);

    console.log(
      `\nRecipient side on the local stack (startPlatform in process, in memory), Node ${process.version}, ` +
        `${CONNECTIONS} keep-alive connections from a child process, ${WARMUP_MS / 1000} s warm-up + ${measureMs / 1000} s measured per row; ` +
        `campaign of ${contacts} emails × ${LINKS.length} tracked links sent in ${sentIn.toFixed(1)} s; a browser user agent, clicks 1.5 s or more after the send\n`,
    );
    printTable(httpRows);
    if (lastError) console.log(`\nlast load-loop error: ${lastError}`);
    console.log('\nChecks after the HTTP runs (campaign counters, GET /campaigns/{id})\n');
    printTable(checkRows);
    console.log(
      `\nThe campaign's counters item (every click, open and SES event ADDs to it): ${countsItem.attributes} attributes, ` +
        `≈ ${countsItem.bytes} bytes, so ${countsItem.wcu} WCU per ADD on DynamoDB`,
    );
    console.log(
      `\nSES feedback: recordSesEvent in process (SesEventDetail.parse + the use case, as the ses-* rules' handler), ` +
        `${feedbackEvents} Delivery events of distinct sent records, on the platform's dynalite\n`,
    );
    printTable(feedback.rows);
    console.log('\nChecks after the feedback runs\n');
    printTable(feedback.checks);
    console.log(
      `\nDynamoDB requests over the whole bench, by command: ${[...dynamoCalls.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    console.log(`\nWhole bench: ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);
  } finally {
    child.disconnect();
    await platform.stop();
  }
}

if (process.argv[2] === CHILD_FLAG) loadChild();
else await main();
