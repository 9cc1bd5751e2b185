/**
 * API latency and throughput under 50 concurrent connections (autocannon), for GET /contacts/{id}
 * and POST /contacts through the local stack (`npm start` in a child process, data on disk),
 * next to a bare node:http server on the same machine.
 * `npm run bench:api -- [seconds=10]`
 */
import autocannon from 'autocannon';
import { startChild, startLocalStack } from './local-stack.ts';
import { printTable } from './table.ts';

const seconds = Number(process.argv[2] ?? 10);
const CONNECTIONS = 50;

async function load(title: string, options: autocannon.Options) {
  const result = await autocannon({ connections: CONNECTIONS, duration: seconds, ...options });
  return {
    target: title,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'non-2xx': result.non2xx,
    errors: result.errors,
  };
}

const stack = await startLocalStack(4110);
const bare = await startChild(
  process.execPath,
  [
    '-e',
    `require('http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{"ok":true}'); }).listen(4120, '127.0.0.1', () => console.log('ready'))`,
  ],
  {},
  /ready/,
);

const api = stack.apiUrl;
const headers = { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' };
const seeded = (await (await fetch(`${api}/contacts?limit=48`, { headers })).json()) as { items: { contactId: string }[] };
const ids = seeded.items.map((c) => c.contactId);
let n = 0;

const rows = [
  await load('bare node:http (JSON reply)', { url: 'http://127.0.0.1:4120/' }),
  await load('GET /contacts/{id}', {
    url: api,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, method: 'GET', path: `/contacts/${ids[n++ % ids.length]}` }) }],
  }),
  await load('POST /contacts (new contact each)', {
    url: api,
    headers,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          method: 'POST',
          path: '/contacts',
          body: JSON.stringify({ email: `bench${n++}@example.com`, attributes: { source: 'bench' } }),
        }),
      },
    ],
  }),
];
bare.kill();
await stack.stop();
printTable(rows);
