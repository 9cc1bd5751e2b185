/**
 * Campaign email end to end on the local stack (startPlatform in this process, in memory), four
 * measurements, each next to a baseline taken in the same run:
 * 1. A campaign to N (default 20,000) subscribed contacts of one list, from POST /launch to status
 *    `completed` (GET /campaigns/{id} every 250 ms), with the SES account rate at 100,000/s so the
 *    pacer is not the limit; audience resolution timed apart (when counts.audienceResolved turns
 *    true). Baseline: bare SESv2 SendEmailCommand calls with the same content against the same
 *    platform's SES endpoint, 5,000 of them, at the email senders' concurrency from the wiring
 *    (workers, and workers × batch size in flight). Checked afterwards: one email per address in
 *    the mailbox, no recipient left queued, counts.sent = N.
 * 2. Throttling stand-in: a campaign of 1,500 with GetAccount saying 50/s and the local SES
 *    answering 429 above 50 calls in a second (then 4,000 at 200/s if the run is still short);
 *    the steady rate counts the emails accepted in the whole calendar seconds (the windows of the
 *    pacer and of the local SES) between 20% and 80% of the campaign's emails. It runs in
 *    a child process with its own platform: the SES adapter keeps the account rate it read for 5
 *    minutes, so a rate changed on a running platform would not reach the senders in time.
 * 3. DynamoDB write units per recipient during the campaign of (1): a middleware on the shared
 *    document client (shared/db/client.ts) asks every write for ReturnConsumedCapacity INDEXES and
 *    adds up what comes back, by kind of item (how each figure is made: the comment on WriteKind).
 * 4. LiquidJS renders per second on one core of the campaign's template, next to a template
 *    literal producing the same text.
 * Contacts are written straight into dynalite with BatchWriteItem in the repositories' item shape
 * (contact with its list id, email identity claim, list membership), as bench/segments.ts does:
 * creating them is not part of any figure.
 * `npm run bench:campaigns -- [recipients=20000] [throttleRecipients=1500] [throttle200Recipients=4000]`
 */
import { bulkWrite } from './bulk-write.ts';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance as perf } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queues } from '../functions/wiring.ts';
import { type Platform, startPlatform } from '../local/platform.ts';
import { documentClient } from '../shared/db/client.ts';
import { gsi1, keys } from '../shared/db/keys.ts';
import type { Contact } from '../shared/domain/contact.ts';
import { derivedId } from '../shared/domain/ids.ts';
import { renderData, renderTemplate } from '../shared/domain/template-render.ts';
import type { Template } from '../shared/domain/template.ts';
import { printTable } from './table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Handlers log errors and warnings only (they are loaded after this line runs).
process.env.LOG_LEVEL ??= 'WARN';

const CHILD_FLAG = '--throttle-child';
const BASELINE_SENDS = 5_000;
const RENDER_SECONDS = 3;
const POLL_MS = 250;
const FAST_RATE = 100_000;
/** The second throttle run (N=200) only starts if the run so far took less than this. */
const SECOND_THROTTLE_IF_UNDER_S = 240;
const email = queues['campaign-email'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => (ms / 1000).toFixed(1);

// ---------------------------------------------------------------------------------------------
// The campaign template

const SUBJECT = '{{ contact.firstName | default: "Hello" }}, our spring collection is here';
const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>Spring collection</title>
<style>body{font-family:Arial,sans-serif;color:#222}a.button{background:#0a6;color:#fff;padding:10px 16px;text-decoration:none}</style></head>
<body><table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<h1>Hi {{ contact.firstName }},</h1>
<p>The new season has arrived: light jackets, linen shirts and the trainers you asked us about.</p>
<p>As a subscriber you get <strong>15% off</strong> everything until Sunday with the code SPRING15.</p>
<p><a class="button" href="https://shop.example/spring">See the collection</a></p>
<p style="font-size:11px;color:#888">You receive this because you subscribed at shop.example.
<a href="{% unsubscribe_url %}">Unsubscribe</a></p>
</td></tr></table></body></html>`;

/** The same text as a template literal (the render baseline). */
const literal = (
  firstName: string | undefined,
  unsubscribe: string,
) => `<!doctype html><html><head><meta charset="utf-8"><title>Spring collection</title>
<style>body{font-family:Arial,sans-serif;color:#222}a.button{background:#0a6;color:#fff;padding:10px 16px;text-decoration:none}</style></head>
<body><table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<h1>Hi ${firstName ?? ''},</h1>
<p>The new season has arrived: light jackets, linen shirts and the trainers you asked us about.</p>
<p>As a subscriber you get <strong>15% off</strong> everything until Sunday with the code SPRING15.</p>
<p><a class="button" href="https://shop.example/spring">See the collection</a></p>
<p style="font-size:11px;color:#888">You receive this because you subscribed at shop.example.
<a href="${unsubscribe}">Unsubscribe</a></p>
</td></tr></table></body></html>`;

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Niklaus'];

// ---------------------------------------------------------------------------------------------
// 4. Renders per second

async function renderBench(): Promise<Record<string, string | number>[]> {
  const template: Pick<Template, 'templateId' | 'version' | 'channel' | 'email'> = {
    templateId: 'tp_bench',
    version: 1,
    channel: 'email',
    email: { subject: SUBJECT, html: HTML },
  };
  const data = Array.from({ length: 1000 }, (_, i) => {
    const contact: Contact = {
      contactId: `ct_${i}`,
      email: `reader${i}@example.com`,
      ...(i % 9 === 0 ? {} : { firstName: FIRST_NAMES[i % FIRST_NAMES.length] }),
      attributes: {},
      consent: { email: { status: 'subscribed' }, sms: { status: 'unknown' } },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      version: 1,
    };
    return renderData(
      contact,
      undefined,
      { id: 'bench' },
      { unsubscribe: `https://t.example/u/${i}`, preferences: `https://t.example/p/${i}` },
    );
  });
  let sink = 0;
  const loop = async (label: string, run: (i: number) => Promise<number> | number) => {
    for (let i = 0; i < 500; i++) sink += await run(i); // warm-up
    let n = 0;
    const started = performance.now();
    const end = started + RENDER_SECONDS * 1000;
    while (performance.now() < end) {
      for (let j = 0; j < 100; j++) sink += await run(n++);
    }
    const s = (performance.now() - started) / 1000;
    return { run: label, renders: n, seconds: s.toFixed(2), 'renders/s (one core)': Math.round(n / s) };
  };
  const base = await loop('baseline: template literal (HTML only, same text)', (i) => {
    const d = data[i % data.length]!;
    return literal(d.contact.firstName, d.links.unsubscribe).length;
  });
  const liquid = await loop('renderTemplate (subject, HTML, text from HTML; cached parse)', async (i) => {
    const r = await renderTemplate(template, data[i % data.length]!);
    return r.channel === 'email' ? r.html.length : 0;
  });
  const htmlOnly = await renderTemplate(template, data[1]!);
  if (htmlOnly.channel !== 'email' || htmlOnly.html !== literal(data[1]!.contact.firstName, data[1]!.links.unsubscribe))
    throw new Error('the template literal does not produce the rendered HTML');
  if (sink < 0) console.log(sink);
  const ratio = Number(liquid['renders/s (one core)']) / Number(base['renders/s (one core)']);
  return [
    { ...base, 'vs baseline': '1' },
    { ...liquid, 'vs baseline': `${ratio.toFixed(4)} (1/${Math.round(1 / ratio)})` },
  ];
}

// ---------------------------------------------------------------------------------------------
// 3. Write units: a middleware on the shared document client

/**
 * How the write figures are made. Table WCU: what dynalite reports in ConsumedCapacity for each
 * successful write (it sizes the item as DynamoDB does: the larger of before and after, 1 KB a
 * unit). A write whose condition fails gets an error and no ConsumedCapacity from dynalite, but
 * DynamoDB bills it (1 WCU for the small items here): counted as 1. GSI WCU: dynalite reports none
 * for an index, so they are computed: a write to an item that carries gsi1pk (in the item put, or
 * by its key: the kinds of item keys.ts gives GSI1 keys) costs the same units again on GSI1
 * (projection ALL).
 */
type WriteKind = 'audience records (put)' | 'sender: claims (send log)' | 'sender: status' | 'counters' | 'pacer' | 'other';
const KINDS: WriteKind[] = ['audience records (put)', 'sender: claims (send log)', 'sender: status', 'counters', 'pacer', 'other'];
interface WriteTally {
  requests: number;
  conditionFailed: number;
  tableWcu: number;
  gsiWcu: number;
}
interface Tally {
  writes: Record<WriteKind, WriteTally>;
  reads: { getItem: number; batchGetItem: number; batchGetKeys: number; query: number };
  withCapacity: number;
  withoutCapacity: number;
}
const emptyTally = (): Tally => ({
  writes: Object.fromEntries(KINDS.map((k) => [k, { requests: 0, conditionFailed: 0, tableWcu: 0, gsiWcu: 0 }])) as Record<
    WriteKind,
    WriteTally
  >,
  reads: { getItem: 0, batchGetItem: 0, batchGetKeys: 0, query: 0 },
  withCapacity: 0,
  withoutCapacity: 0,
});

type Key = { pk?: unknown; sk?: unknown; gsi1pk?: unknown };
function kindOf(command: string, key: Key): WriteKind {
  const pk = String(key.pk ?? '');
  const sk = String(key.sk ?? '');
  if (pk.startsWith('PACER#')) return 'pacer';
  if (sk === 'SENDLOG') return 'sender: claims (send log)';
  if (sk === 'COUNTS') return 'counters';
  if (pk.includes('#SENDS#')) return command === 'PutItemCommand' ? 'audience records (put)' : 'sender: status';
  return 'other';
}
/** Items that keys.ts gives GSI1 keys, by their key (for updates and deletes, whose request does not show the item). */
function carriesGsi1(key: Key): boolean {
  if (key.gsi1pk !== undefined) return true;
  const pk = String(key.pk ?? '');
  const sk = String(key.sk ?? '');
  return (
    ['PROFILE', 'IDENT', 'LIST', 'SEGMENT', 'TEMPLATE', 'CAMPAIGN'].includes(sk) ||
    sk.startsWith('LIST#') ||
    (sk === 'JOB' && pk.includes('#IMPORT#'))
  );
}

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

function instrument(doc: DynamoDBDocumentClient): { tally: Tally; reset(): void } {
  const state = { tally: emptyTally(), counting: true };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const tally = state.tally;
      const input = args.input as Record<string, unknown>;
      if (command === 'GetItemCommand') tally.reads.getItem++;
      else if (command === 'QueryCommand') tally.reads.query++;
      else if (command === 'BatchGetItemCommand') {
        tally.reads.batchGetItem++;
        for (const t of Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>))
          tally.reads.batchGetKeys += t.Keys?.length ?? 0;
      }
      if (!WRITE_COMMANDS.has(command)) return next(args);

      // What each write touches: one key (or item) per request, several for batches and transactions.
      type Part = { key: Key; put: boolean };
      let parts: Part[];
      if (command === 'BatchWriteItemCommand') {
        const requests = Object.values(
          (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }[]>,
        ).flat();
        parts = requests.map((r) =>
          r.PutRequest ? { key: r.PutRequest.Item, put: true } : { key: r.DeleteRequest?.Key ?? {}, put: false },
        );
      } else if (command === 'TransactWriteItemsCommand') {
        const items = (input.TransactItems ?? []) as { Put?: { Item: Key }; Update?: { Key: Key }; Delete?: { Key: Key } }[];
        parts = items.map((t) => (t.Put ? { key: t.Put.Item, put: true } : { key: (t.Update ?? t.Delete)?.Key ?? {}, put: false }));
      } else {
        const put = command === 'PutItemCommand';
        parts = [{ key: ((put ? input.Item : input.Key) ?? {}) as Key, put }];
      }
      const kinds = parts.map((p) => kindOf(p.put ? 'PutItemCommand' : command, p.key));
      for (const k of new Set(kinds)) tally.writes[k].requests++;
      try {
        const result = await next({ ...args, input: { ...input, ReturnConsumedCapacity: 'INDEXES' } });
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { CapacityUnits?: number }[];
        if (list.length > 0) tally.withCapacity++;
        else tally.withoutCapacity++;
        const units = list.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
        // A batch reports one figure for all its items: shared out evenly over them.
        parts.forEach((p, i) => {
          const share = units / parts.length;
          const w = tally.writes[kinds[i]!];
          w.tableWcu += share;
          if (carriesGsi1(p.key)) w.gsiWcu += share;
        });
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          parts.forEach((p, i) => {
            const w = tally.writes[kinds[i]!];
            w.conditionFailed++;
            w.tableWcu += 1;
            if (carriesGsi1(p.key)) w.gsiWcu += 1;
          });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'benchConsumedCapacity', priority: 'high' },
  );
  return {
    get tally() {
      return state.tally;
    },
    reset() {
      state.tally = emptyTally();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The workspace: API helper, settings, template, list, contacts

type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;

function apiOf(platform: Platform): Api {
  return async (method, path, body) => {
    const res = await fetch(`${platform.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

async function expectOk<T>(call: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const res = await call;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Sending settings and the template (once per platform). */
async function setUpSending(api: Api): Promise<string> {
  await expectOk(api('PUT', '/settings/sending', { email: { from: 'news@shop.example', fromName: 'Shop' } }), 'sending settings');
  const template = await expectOk<{ templateId: string }>(
    api('POST', '/templates', { name: 'Spring', channel: 'email', email: { subject: SUBJECT, html: HTML } }),
    'template',
  );
  return template.templateId;
}

/**
 * A list of `n` new subscribed contacts, written straight into dynalite: the contact item (with
 * the list id, as list-repo's markContact leaves it), its email identity claim and its list
 * membership, in the repositories' shapes; then the list's member count. Returns the list id and
 * the addresses.
 */
async function makeAudience(platform: Platform, api: Api, tenantId: string, n: number, label: string) {
  const list = await expectOk<{ listId: string }>(api('POST', '/lists', { name: `${label} (${n})` }), 'list');
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: platform.dynamoEndpoint, maxAttempts: 8 }));
  const at = new Date().toISOString();
  const addresses: string[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const address = `${label}${i}@example.com`;
    addresses.push(address);
    const contactId = derivedId('ct', tenantId, 'bench', address);
    const firstName = i % 9 === 0 ? undefined : FIRST_NAMES[i % FIRST_NAMES.length];
    items.push(
      {
        ...keys.contact({ tenantId, contactId }),
        ...gsi1.contacts({ tenantId, contactId }),
        entity: 'contact',
        tenantId,
        contactId,
        email: address,
        ...(firstName ? { firstName } : {}),
        attributes: {},
        consent: { email: { status: 'subscribed', source: 'import', at }, sms: { status: 'unknown' } },
        createdAt: at,
        updatedAt: at,
        version: 1,
        lists: new Set([list.listId]),
      },
      {
        ...keys.identity({ tenantId, kind: 'email', value: address }),
        ...gsi1.identities({ tenantId, kind: 'email', value: address }),
        entity: 'identity',
        tenantId,
        kind: 'email',
        value: address,
        contactId,
      },
      {
        ...keys.membership({ tenantId, contactId, listId: list.listId }),
        ...gsi1.members({ tenantId, listId: list.listId, contactId }),
        entity: 'membership',
        tenantId,
        listId: list.listId,
        contactId,
        addedAt: at,
      },
    );
  }
  await bulkWrite(doc, platform.tableName, items);
  await doc.send(
    new UpdateCommand({
      TableName: platform.tableName,
      Key: keys.list({ tenantId, listId: list.listId }),
      UpdateExpression: 'ADD memberCount :n',
      ExpressionAttributeValues: { ':n': n },
    }),
  );
  doc.destroy();
  // The API reads them back as it wrote them.
  const one = await expectOk<{ email: string }>(api('GET', `/contacts/${derivedId('ct', tenantId, 'bench', addresses[1]!)}`), 'contact');
  const read = await expectOk<{ memberCount: number }>(api('GET', `/lists/${list.listId}`), 'list');
  if (one.email !== addresses[1] || read.memberCount !== n) throw new Error('the contacts written do not read back');
  return { listId: list.listId, addresses };
}

async function createCampaign(api: Api, templateId: string, listId: string, name: string): Promise<string> {
  const c = await expectOk<{ campaignId: string }>(
    api('POST', '/campaigns', { name, channel: 'email', variants: [{ name: 'A', email: templateId }], audience: { lists: [listId] } }),
    'campaign',
  );
  return c.campaignId;
}

interface CampaignView {
  status: string;
  counts: {
    audience: number;
    audienceResolved: boolean;
    variants: Record<string, { queued: number; sent: number; failed: number; unknown: number }>;
    skipped: Record<string, number>;
  };
}

/** Launches and polls until the campaign ends: when its audience was resolved, when it ended. */
async function launchAndWait(platform: Platform, api: Api, campaignId: string, timeoutMs: number, onPoll?: () => void) {
  const started = performance.now();
  await expectOk(api('POST', `/campaigns/${campaignId}/launch`), 'launch');
  const launchedMs = performance.now() - started;
  let resolvedMs: number | undefined;
  let firstAcceptMs: number | undefined;
  const acceptedAtLaunch = platform.ses.stats().accepted;
  for (;;) {
    await sleep(POLL_MS);
    onPoll?.();
    const view = await expectOk<CampaignView>(api('GET', `/campaigns/${campaignId}`), 'poll');
    const elapsed = performance.now() - started;
    if (firstAcceptMs === undefined && platform.ses.stats().accepted > acceptedAtLaunch) firstAcceptMs = elapsed;
    if (resolvedMs === undefined && view.counts.audienceResolved) resolvedMs = elapsed;
    if (view.status !== 'sending') return { view, launchedMs, resolvedMs, firstAcceptMs, endMs: elapsed };
    if (elapsed > timeoutMs)
      throw new Error(`campaign ${campaignId} still sending after ${seconds(elapsed)} s: ${JSON.stringify(view.counts)}`);
  }
}

/** The campaign's emails in the mailbox, and what its records say. */
async function verify(platform: Platform, api: Api, campaignId: string, since: number, expected: number) {
  const res = await fetch(`${platform.mailboxUrl}/messages?since=${since}`);
  const { emails } = (await res.json()) as { emails: { destination: { to: string[] }; tags: Record<string, string> }[] };
  const mine = emails.filter((e) => e.tags.campaign === campaignId);
  const addresses = mine.map((e) => e.destination.to.join(','));
  const unique = new Set(addresses).size;
  const queued = await expectOk<{ items: unknown[] }>(api('GET', `/campaigns/${campaignId}/recipients?status=queued&limit=500`), 'queued');
  const deferred = await expectOk<{ items: unknown[] }>(
    api('GET', `/campaigns/${campaignId}/recipients?status=deferred&limit=500`),
    'deferred',
  );
  const view = await expectOk<CampaignView>(api('GET', `/campaigns/${campaignId}`), 'view');
  const a = view.counts.variants.A ?? { queued: 0, sent: 0, failed: 0, unknown: 0 };
  return {
    status: view.status,
    mailbox: mine.length,
    unique,
    duplicates: mine.length - unique,
    pending: queued.items.length + deferred.items.length,
    audience: view.counts.audience,
    sent: a.sent,
    failed: a.failed,
    unknown: a.unknown,
    skipped: Object.values(view.counts.skipped).reduce((s, v) => s + v, 0),
    lost: expected - (a.sent + a.failed + a.unknown) - Object.values(view.counts.skipped).reduce((s, v) => s + v, 0),
    ok: view.status === 'completed' && mine.length === expected && unique === expected && a.sent === expected,
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Baseline: bare SendEmail calls against the same endpoint

async function rawSends(inFlight: number, total: number, message: { subject: string; html: string; text: string }) {
  const client = new SESv2Client({ maxAttempts: 1 });
  const send = (i: number) =>
    client.send(
      new SendEmailCommand({
        FromEmailAddress: '"Shop" <news@shop.example>',
        Destination: { ToAddresses: [`raw${inFlight}-${i}@example.com`] },
        ConfigurationSetName: process.env.EMAIL_CONFIGURATION_SET,
        EmailTags: [
          { Name: 'workspace', Value: 'default' },
          { Name: 'campaign', Value: 'cp_baseline' },
          { Name: 'variant', Value: 'A' },
          { Name: 'send', Value: `cp_baseline.ct_${String(i).padStart(26, '0')}` },
        ],
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: message.html, Charset: 'UTF-8' }, Text: { Data: message.text, Charset: 'UTF-8' } },
            Headers: [
              {
                Name: 'List-Unsubscribe',
                Value: `<http://127.0.0.1/u/cp_baseline.ct_${i}>, <mailto:unsubscribe@shop.example?subject=unsubscribe>`,
              },
              { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
            ],
          },
        },
      }),
    );
  for (let i = 0; i < 50; i++) await send(-1 - i); // warm-up: connections, the emulator
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const i = next++;
        await send(i).catch(() => failed++);
      }
    }),
  );
  const s = (performance.now() - started) / 1000;
  client.destroy();
  return { seconds: s, rate: total / s, failed };
}

// ---------------------------------------------------------------------------------------------
// 2. Throttling stand-in (child process)

interface ThrottleResult {
  rate: number;
  recipients: number;
  seconds: number;
  resolvedS: number;
  firstToLastS: number;
  acceptedRate: number;
  middleRate: number;
  middleS: number;
  throttled: number;
  throttledAfterResolved: number;
  sendCalls: number;
  mailbox: number;
  duplicates: number;
  lost: number;
  pending: number;
  sent: number;
  unknown: number;
  failed: number;
  ok: boolean;
  writeRequestsPerRecipient: number;
  wcuPerRecipient: number;
  pacerWcuPerRecipient: number;
}

async function throttleChild(rate: number, n: number): Promise<ThrottleResult> {
  const tenantId = 'default';
  const platform = await startPlatform({
    token: randomBytes(12).toString('hex'),
    tenantId,
    ses: { maxSendRate: rate, throttlePerSecond: rate },
  });
  try {
    const counter = instrument(documentClient());
    const api = apiOf(platform);
    const templateId = await setUpSending(api);
    const { listId } = await makeAudience(platform, api, tenantId, n, `throttle${rate}-`);
    const campaignId = await createCampaign(api, templateId, listId, `Throttled at ${rate}/s`);
    const since = Math.floor(Date.now() / 1000);
    platform.ses.resetStats();
    counter.reset();
    // SES's counts sampled every 20 ms: when each share of the emails was accepted, and when 429s came
    const samples: { t: number; wall: number; accepted: number; throttled: number }[] = [];
    const started = performance.now();
    const sampler = setInterval(() => {
      const st = platform.ses.stats();
      samples.push({ t: performance.now() - started, wall: Date.now(), accepted: st.accepted, throttled: st.throttled });
    }, 20);
    const run = await launchAndWait(platform, api, campaignId, 10 * 60_000);
    clearInterval(sampler);
    const tally = counter.tally;
    const stats = platform.ses.stats();
    const v = await verify(platform, api, campaignId, since, n);
    /** When the accepted count first reached `count` (ms after launch). */
    const when = (count: number) => (samples.find((s) => s.accepted >= count) ?? samples.at(-1)!).t;
    const firstToLastS = (when(stats.accepted) - when(1)) / 1000;
    // The steady part: whole calendar seconds (the windows of the pacer and of the local SES) from
    // when 20% of the emails had been accepted to when 80% had.
    const wallWhen = (count: number) => (samples.find((s) => s.accepted >= count) ?? samples.at(-1)!).wall;
    const fromSecond = Math.ceil(wallWhen(Math.ceil(stats.accepted * 0.2)) / 1000);
    const toSecond = Math.floor(wallWhen(Math.floor(stats.accepted * 0.8)) / 1000);
    const acceptedAt = (second: number) => (samples.find((s) => s.wall >= second * 1000) ?? samples.at(-1)!).accepted;
    const middleS = toSecond - fromSecond;
    const atResolved = samples.findLast((s) => s.t <= (run.resolvedMs ?? 0))?.throttled ?? 0;
    const requests = KINDS.reduce((s, k) => s + tally.writes[k].requests, 0);
    const wcu = KINDS.reduce((s, k) => s + tally.writes[k].tableWcu + tally.writes[k].gsiWcu, 0);
    return {
      rate,
      recipients: n,
      seconds: run.endMs / 1000,
      resolvedS: (run.resolvedMs ?? Number.NaN) / 1000,
      firstToLastS,
      acceptedRate: (stats.accepted - 1) / firstToLastS,
      middleRate: middleS > 0 ? (acceptedAt(toSecond) - acceptedAt(fromSecond)) / middleS : Number.NaN,
      middleS,
      throttled: stats.throttled,
      throttledAfterResolved: stats.throttled - atResolved,
      sendCalls: stats.sendCalls,
      mailbox: v.mailbox,
      duplicates: v.duplicates,
      lost: v.lost,
      pending: v.pending,
      sent: v.sent,
      unknown: v.unknown,
      failed: v.failed,
      ok: v.ok,
      writeRequestsPerRecipient: requests / n,
      wcuPerRecipient: wcu / n,
      pacerWcuPerRecipient: (tally.writes.pacer.tableWcu + tally.writes.pacer.gsiWcu) / n,
    };
  } finally {
    await platform.stop();
  }
}

function runThrottleChild(rate: number, n: number): Promise<ThrottleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, CHILD_FLAG, String(rate), String(n)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`throttle child (${rate}/s) exited ${code}: ${out.slice(-2000)}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as ThrottleResult);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const benchStarted = performance.now();
  const recipients = Number(process.argv[2] ?? 20_000);
  const throttleRecipients = Number(process.argv[3] ?? 1_500);
  /** N=50 with 1,500 recipients (30 s of sending); N=200 with 20 s of sending too, so it has a steady part. */
  const THROTTLE_RUNS: [number, number][] = [
    [50, throttleRecipients],
    [200, Number(process.argv[4] ?? 4_000)],
  ];
  const tenantId = 'default';

  console.error(`[bench] 4. renders per second (${RENDER_SECONDS} s each)`);
  const renderRows = await renderBench();

  console.error('[bench] starting the local platform (in memory)');
  const platform = await startPlatform({ token: randomBytes(12).toString('hex'), tenantId, ses: { maxSendRate: FAST_RATE } });
  const api = apiOf(platform);
  let e2eRows: Record<string, string | number>[] = [];
  let verifyRows: Record<string, string | number>[] = [];
  let wcuRows: Record<string, string | number>[] = [];
  let readRows: Record<string, string | number>[] = [];
  let method = '';
  try {
    const counter = instrument(documentClient());
    const templateId = await setUpSending(api);
    const madeAt = performance.now();
    const { listId, addresses } = await makeAudience(platform, api, tenantId, recipients, 'reader');
    console.error(`[bench] ${recipients} contacts written in ${seconds(performance.now() - madeAt)} s (not part of any figure)`);

    // The message the senders will send, rendered as they render it, for the baseline.
    const message = await renderTemplate(
      { templateId: 'tp_x', version: 1, channel: 'email', email: { subject: SUBJECT, html: HTML } },
      renderData(
        {
          contactId: 'ct_x',
          email: addresses[1]!,
          firstName: 'Grace',
          attributes: {},
          consent: { email: { status: 'subscribed' }, sms: { status: 'unknown' } },
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          version: 1,
        },
        undefined,
        { id: tenantId },
        { unsubscribe: `${platform.apiUrl}/u/cp_01hx.ct_01hx`, preferences: `${platform.apiUrl}/p/cp_01hx.ct_01hx` },
      ),
    );
    if (message.channel !== 'email') throw new Error('not an email');
    const workers = email.concurrency;
    const inFlight = [workers, workers * email.batchSize];
    const raw: { inFlight: number; seconds: number; rate: number; failed: number }[] = [];
    for (const c of inFlight) {
      console.error(`[bench] baseline: ${BASELINE_SENDS} bare SendEmail calls, ${c} in flight`);
      raw.push({ inFlight: c, ...(await rawSends(c, BASELINE_SENDS, message)) });
    }
    await fetch(`${platform.mailboxUrl}/clear-store`, { method: 'POST' });

    console.error(`[bench] 1. campaign to ${recipients} recipients`);
    const campaignId = await createCampaign(api, templateId, listId, `Spring (${recipients})`);
    const since = Math.floor(Date.now() / 1000);
    platform.ses.resetStats();
    counter.reset();
    const elu0 = perf.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const run = await launchAndWait(platform, api, campaignId, 30 * 60_000);
    const elu = perf.eventLoopUtilization(elu0).utilization;
    const cpu = process.cpuUsage(cpu0);
    const tally = structuredClone(counter.tally);
    const stats = platform.ses.stats();
    console.error(`[bench] completed in ${seconds(run.endMs)} s; checking the mailbox and records`);
    const v = await verify(platform, api, campaignId, since, recipients);

    const e2eRate = recipients / (run.endMs / 1000);
    const sendingS = (run.endMs - (run.firstAcceptMs ?? 0)) / 1000;
    e2eRows = [
      ...raw.map((r) => ({
        run: `baseline: bare SESv2 SendEmailCommand, ${r.inFlight} in flight (${BASELINE_SENDS} sends)`,
        emails: BASELINE_SENDS - r.failed,
        seconds: r.seconds.toFixed(1),
        'emails/s': Math.round(r.rate),
        'campaign / this baseline (goal ≥ 0.50)': `${(e2eRate / r.rate).toFixed(2)} ${e2eRate / r.rate >= 0.5 ? 'met' : 'NOT met'}`,
      })),
      {
        run: `campaign, POST /launch to completed (${workers} workers × batches of ${email.batchSize})`,
        emails: stats.accepted,
        seconds: seconds(run.endMs),
        'emails/s': Math.round(e2eRate),
        'campaign / this baseline (goal ≥ 0.50)': '',
      },
    ];
    const phases = [
      { phase: 'POST /launch answered', 'seconds after launch': seconds(run.launchedMs) },
      { phase: 'first email accepted by SES (seen at a poll)', 'seconds after launch': seconds(run.firstAcceptMs ?? Number.NaN) },
      {
        phase: 'audience resolved (counts.audienceResolved, seen at a poll)',
        'seconds after launch': seconds(run.resolvedMs ?? Number.NaN),
      },
      { phase: 'status completed (seen at a poll)', 'seconds after launch': seconds(run.endMs) },
      {
        phase: `sending rate from first accepted to completed`,
        'seconds after launch': `${Math.round(stats.accepted / sendingS)} emails/s`,
      },
      {
        phase: 'main thread busy (event-loop utilisation), launch to completed',
        'seconds after launch': `${(elu * 100).toFixed(0)}%`,
      },
      {
        phase: 'process CPU (all threads: main + dynalite worker) per wall second',
        'seconds after launch': `${((cpu.user + cpu.system) / 1000 / run.endMs).toFixed(2)} cores`,
      },
      {
        phase: 'audience resolution rate',
        'seconds after launch': run.resolvedMs ? `${Math.round(recipients / (run.resolvedMs / 1000))} records/s` : 'n/a',
      },
    ];
    e2eRows.push(
      ...phases.map((p) => ({
        run: `  ${p.phase}`,
        emails: '',
        seconds: p['seconds after launch'],
        'emails/s': '',
        'campaign / this baseline (goal ≥ 0.50)': '',
      })),
    );
    verifyRows = [
      {
        check: `campaign ${campaignId}`,
        status: v.status,
        'mailbox emails': v.mailbox,
        'unique addresses': v.unique,
        duplicates: v.duplicates,
        'queued or deferred left': v.pending,
        'counts.audience': v.audience,
        'counts sent': v.sent,
        failed: v.failed,
        unknown: v.unknown,
        skipped: v.skipped,
        'SES calls / accepted / throttled / failed': `${stats.sendCalls} / ${stats.accepted} / ${stats.throttled} / ${stats.failed}`,
        'all as expected': v.ok ? 'yes' : 'NO',
      },
    ];

    // 3. write units
    method =
      tally.withCapacity > 0
        ? `dynalite returned ConsumedCapacity on ${tally.withCapacity} of ${tally.withCapacity + tally.withoutCapacity} successful write requests`
        : 'dynalite returned no ConsumedCapacity';
    let totals = { requests: 0, conditionFailed: 0, tableWcu: 0, gsiWcu: 0 };
    wcuRows = KINDS.map((k) => {
      const w = tally.writes[k];
      totals = {
        requests: totals.requests + w.requests,
        conditionFailed: totals.conditionFailed + w.conditionFailed,
        tableWcu: totals.tableWcu + w.tableWcu,
        gsiWcu: totals.gsiWcu + w.gsiWcu,
      };
      return {
        writes: k,
        requests: w.requests,
        'condition failed': w.conditionFailed,
        'table WCU': w.tableWcu.toFixed(0),
        'GSI WCU': w.gsiWcu.toFixed(0),
        'requests / recipient': (w.requests / recipients).toFixed(3),
        'WCU / recipient': ((w.tableWcu + w.gsiWcu) / recipients).toFixed(3),
      };
    });
    wcuRows.push({
      writes: `total (goal ≤ 3 WCU / recipient: ${(totals.tableWcu + totals.gsiWcu) / recipients <= 3 ? 'met' : 'NOT met'})`,
      requests: totals.requests,
      'condition failed': totals.conditionFailed,
      'table WCU': totals.tableWcu.toFixed(0),
      'GSI WCU': totals.gsiWcu.toFixed(0),
      'requests / recipient': (totals.requests / recipients).toFixed(3),
      'WCU / recipient': ((totals.tableWcu + totals.gsiWcu) / recipients).toFixed(3),
    });
    const r = tally.reads;
    readRows = [
      {
        reads: 'GetItem',
        requests: r.getItem,
        'per recipient': (r.getItem / recipients).toFixed(3),
      },
      {
        reads: `BatchGetItem (${r.batchGetKeys} keys)`,
        requests: r.batchGetItem,
        'per recipient': (r.batchGetItem / recipients).toFixed(3),
      },
      { reads: 'Query', requests: r.query, 'per recipient': (r.query / recipients).toFixed(3) },
      {
        reads: 'all DynamoDB requests (writes and reads)',
        requests: totals.requests + r.getItem + r.batchGetItem + r.query,
        'per recipient': ((totals.requests + r.getItem + r.batchGetItem + r.query) / recipients).toFixed(3),
      },
    ];
  } finally {
    await platform.stop();
  }

  const throttleRows: Record<string, string | number>[] = [];
  for (const [rate, n] of THROTTLE_RUNS) {
    if (rate !== THROTTLE_RUNS[0]![0] && (performance.now() - benchStarted) / 1000 > SECOND_THROTTLE_IF_UNDER_S) {
      console.error(`[bench] skipping the ${rate}/s throttle run: the bench has run for over ${SECOND_THROTTLE_IF_UNDER_S} s`);
      continue;
    }
    console.error(`[bench] 2. throttled campaign: ${n} recipients at ${rate}/s (child process)`);
    const t = await runThrottleChild(rate, n);
    const deviation = (t.middleRate / rate - 1) * 100;
    throttleRows.push({
      'N /s': rate,
      recipients: t.recipients,
      'launch to completed s': t.seconds.toFixed(1),
      'audience resolved s': t.resolvedS.toFixed(1),
      'first to last accepted s': t.firstToLastS.toFixed(1),
      'accepted/s first to last': t.acceptedRate.toFixed(1),
      'accepted/s, steady (whole seconds, 20%-80% of emails)': `${t.middleRate.toFixed(1)} over ${t.middleS} s`,
      'steady vs N': `${deviation >= 0 ? '+' : ''}${deviation.toFixed(1)}%`,
      'within ±5%': Math.abs(deviation) <= 5 ? 'yes' : 'NO',
      'SES calls': t.sendCalls,
      '429s (after audience resolved)': `${t.throttled} (${t.throttledAfterResolved})`,
      'mailbox emails': t.mailbox,
      duplicates: t.duplicates,
      'lost (left pending)': `${t.lost} (${t.pending})`,
      'sent / unknown / failed': `${t.sent} / ${t.unknown} / ${t.failed}`,
      'write req / recipient': t.writeRequestsPerRecipient.toFixed(2),
      'WCU / recipient (pacer)': `${t.wcuPerRecipient.toFixed(2)} (${t.pacerWcuPerRecipient.toFixed(2)})`,
    });
  }

  console.log(
    `\nCampaign email on the local stack (startPlatform in process, in memory), Node ${process.version}, ${recipients} recipients; ` +
      `email senders: ${email.concurrency} workers, batches of ${email.batchSize}; SES MaxSendRate ${FAST_RATE}\n`,
  );
  printTable(e2eRows);
  console.log('\nChecks after the campaign\n');
  printTable(verifyRows);
  console.log(
    `\nDynamoDB writes during the campaign (launch to completed). ${method}; GSI units computed, failed conditions billed 1 WCU\n`,
  );
  printTable(wcuRows);
  console.log(
    '\nDynamoDB reads during the campaign (requests, for context; includes the bench polling GET /campaigns/{id} every 250 ms)\n',
  );
  printTable(readRows);
  console.log(`\nThrottling stand-in: GetAccount MaxSendRate N, the local SES answers 429 above N SendEmail calls in a second\n`);
  printTable(throttleRows);
  console.log(`\nLiquidJS renders of the campaign template, one core, ${RENDER_SECONDS} s each\n`);
  printTable(renderRows);
  console.log(`\nWhole bench: ${seconds(performance.now() - benchStarted)} s`);
}

if (process.argv[2] === CHILD_FLAG) {
  const result = await throttleChild(Number(process.argv[3]), Number(process.argv[4]));
  console.log(`RESULT ${JSON.stringify(result)}`);
} else {
  await main();
}
