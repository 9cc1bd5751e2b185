/**
 * API latency and throughput under 50 concurrent connections (autocannon), for GET /contacts/{id}
 * and POST /contacts through the local stack (`npm start` in a child process, data on disk),
 * next to a bare node:http server on the same machine.
 * `npm run bench:api -- [seconds=10]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { printTable } from './table.ts';

const seconds = Number(process.argv[2] ?? 10);
const CONNECTIONS = 50;

function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${output}`)));
  });
}

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

const dir = mkdtempSync(join(tmpdir(), 'herald-api-bench-'));
const port = 4110;
const platform = await startChild(process.execPath, ['--import', 'tsx', 'local/start.ts'], { HERALD_DATA_DIR: dir, HERALD_PORT: String(port), LOG_LEVEL: 'silent' }, /Press Ctrl-C/);
const bare = await startChild(process.execPath, ['-e', `require('http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{"ok":true}'); }).listen(4120, '127.0.0.1', () => console.log('ready'))`], {}, /ready/);

const { token } = JSON.parse(readFileSync(join(dir, 'local.json'), 'utf8')) as { token: string };
const api = `http://127.0.0.1:${port}`;
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
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
    requests: [{ setupRequest: (req) => ({ ...req, method: 'POST', path: '/contacts', body: JSON.stringify({ email: `bench${n++}@example.com`, attributes: { source: 'bench' } }) }) }],
  }),
];
platform.kill('SIGINT');
bare.kill();
await new Promise((resolve) => platform.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
printTable(rows);
