/**
 * Event ingest throughput through the local stack: purchase events POSTed to /events, 500 a batch,
 * one batch at a time, to `npm start`'s entry point in a child process (gateway, handlers,
 * dynalite on disk). Two passes over the same emails: first every event names an unknown email
 * (each creates a prospect), then new eventIds for the same emails (the contacts exist).
 *
 * Baseline in the same run, against the same child's dynalite (DynamoDB listens on basePort + 4,
 * as local/start.ts assigns it): as many bare conditional PutItems (attribute_not_exists(pk)) as
 * there are events, from this process with the real SDK document client, 16 in flight (the
 * service's per-batch concurrency), on items the size of a stored purchase event; once before
 * the passes (near-empty store) and once after them (the store holding what they wrote).
 *
 * DynamoDB requests per event, from shared/services/events.ts and contacts.ts:
 * - new contact (pass 1): writes = identity claim (conditional put) + contact (conditional put)
 *   + event (conditional put) + aggregates (conditional update) = 4; reads = identity BatchGet
 *   in upsertContact + contact GetItem (choosing the derived id) + events Query (the fold) = 3;
 *   plus per batch one identity BatchGet per 100 events and one tenant put.
 * - known contact (pass 2): writes = event + aggregates = 2; reads = events Query = 1; plus the
 *   same per-batch BatchGets and tenant put.
 * The table is counted after each pass (items added: identity + contact + event per new
 * contact, event only per known one) to check the writes landed.
 * `npm run bench:events -- [events=20000]`
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from './local-stack.ts';
import { printTable } from './table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const total = Number(process.argv[2] ?? 20_000);
const BATCH = 500;
const IN_FLIGHT = 16;
const PORT = 4170;
const TABLE = 'herald-local';

/** Requests per event (see above), the per-batch ones spread over the batch's 500 events. */
const PER_EVENT = {
  new: { writes: 4 + 1 / BATCH, reads: 3 + Math.ceil(BATCH / 100) / BATCH },
  known: { writes: 2 + 1 / BATCH, reads: 1 + Math.ceil(BATCH / 100) / BATCH },
};

const CATEGORIES = ['shoes', 'shirts', 'bags', 'hats', 'socks', 'jackets'];
function purchase(i: number, pass: number) {
  const items = [
    { sku: `sku-${i % 97}`, category: CATEGORIES[i % CATEGORIES.length], price: 20 + (i % 50), quantity: 1 },
    { sku: `sku-${(i * 7) % 97}`, category: CATEGORIES[(i + pass) % CATEGORIES.length], price: 5 + (i % 13), quantity: 2 },
  ];
  return {
    eventId: `bench-${pass}-${i}`,
    type: 'purchase',
    email: `buyer${i}@example.com`,
    at: new Date(Date.now() - ((i % 300) + pass) * 86_400_000).toISOString(),
    orderId: `order-${pass}-${i}`,
    total: items.reduce((s, x) => s + x.price * x.quantity, 0),
    currency: 'EUR',
    items,
  };
}

const stack = await startLocalStack(PORT);
const dynamoEndpoint = `http://127.0.0.1:${PORT + 4}`;
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 8,
  }),
  { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
);
const headers = { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' };

async function countItems(): Promise<number> {
  const parts = await Promise.all(
    Array.from({ length: 4 }, async (_, segment) => {
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new ScanCommand({ TableName: TABLE, Select: 'COUNT', Segment: segment, TotalSegments: 4, ExclusiveStartKey: start }),
        );
        n += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return n;
    }),
  );
  return parts.reduce((s, n) => s + n, 0);
}

/** Bare conditional puts, IN_FLIGHT at a time, on event-sized items in partitions of their own. */
async function rawPuts(round: number): Promise<number> {
  const sample = purchase(0, 0);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < total) {
        const i = next++;
        const { email: _e, ...event } = purchase(i, 9);
        await doc.send(
          new PutCommand({
            TableName: TABLE,
            Item: {
              pk: `T#bench#CONTACT#raw${round}-${i}`,
              sk: `EVENT#${event.eventId}`,
              entity: 'event',
              tenantId: 'bench',
              contactId: `raw${round}-${i}`,
              ...event,
              receivedAt: sample.at,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function ingestPass(pass: number) {
  let accepted = 0;
  let created = 0;
  let other = 0;
  const started = performance.now();
  for (let first = 0; first < total; first += BATCH) {
    const events = Array.from({ length: Math.min(BATCH, total - first) }, (_, k) => purchase(first + k, pass));
    const res = await fetch(`${stack.apiUrl}/events`, { method: 'POST', headers, body: JSON.stringify({ events }) });
    if (!res.ok) throw new Error(`POST /events answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { accepted: number; duplicates: number; rejected: number; results: { createdContact?: boolean }[] };
    accepted += body.accepted;
    other += body.duplicates + body.rejected;
    created += body.results.filter((r) => r.createdContact).length;
  }
  return { seconds: (performance.now() - started) / 1000, accepted, created, other };
}

async function measure() {
  const before = await countItems();
  const rawSeconds = await rawPuts(1);
  const afterRaw = await countItems();
  const first = await ingestPass(1);
  const afterFirst = await countItems();
  const second = await ingestPass(2);
  const afterSecond = await countItems();
  const rawAfterSeconds = await rawPuts(2);
  const afterRawAgain = await countItems();
  return { before, rawSeconds, afterRaw, first, afterFirst, second, afterSecond, rawAfterSeconds, afterRawAgain };
}
let result: Awaited<ReturnType<typeof measure>>;
try {
  result = await measure();
} finally {
  await stack.stop(); // also when a step failed, so no child is left running
}
const { before, rawSeconds, afterRaw, first, afterFirst, second, afterSecond, rawAfterSeconds, afterRawAgain } = result;

const rawRate = total / rawSeconds;
const rawAfterRate = total / rawAfterSeconds;
const row = (run: string, seconds: number, perEvent: { writes: number; reads: number } | undefined, added: number, extra: string) => ({
  run,
  'events or writes': total,
  seconds: seconds.toFixed(1),
  'per second': Math.round(total / seconds),
  'vs raw puts (before)': (total / seconds / rawRate).toFixed(3),
  'vs raw puts (after)': (total / seconds / rawAfterRate).toFixed(3),
  'writes/event': perEvent ? perEvent.writes.toFixed(2) : '1',
  'reads/event': perEvent ? perEvent.reads.toFixed(2) : '0',
  'DynamoDB req/s': Math.round((total / seconds) * (perEvent ? perEvent.writes + perEvent.reads : 1)),
  'items added': added,
  outcome: extra,
});
printTable([
  row('baseline: raw conditional PutItem, 16 in flight (before)', rawSeconds, undefined, afterRaw - before, 'all written'),
  row(
    'POST /events, new contacts (prospects)',
    first.seconds,
    PER_EVENT.new,
    afterFirst - afterRaw,
    `${first.accepted} accepted, ${first.created} created, ${first.other} dup/rejected`,
  ),
  row(
    'POST /events, known contacts',
    second.seconds,
    PER_EVENT.known,
    afterSecond - afterFirst,
    `${second.accepted} accepted, ${second.created} created, ${second.other} dup/rejected`,
  ),
  row('baseline: raw conditional PutItem, 16 in flight (after)', rawAfterSeconds, undefined, afterRawAgain - afterSecond, 'all written'),
]);
