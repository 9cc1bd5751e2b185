/**
 * The console on loopback: builds console/dist when it is missing or older than its sources (so
 * `npm ci && npm start` needs no extra step; console/build.ts, which `cdk synth` uses too), and
 * serves it on its own port, as CloudFront serves it on AWS: a different origin from the API,
 * which therefore must allow it (CORS, local/gateway.ts). `/config.json` tells the console where
 * the API is and how to sign in.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { close, listen, send } from './http-util.ts';
import { consoleCsp } from '../console/build.ts';

export { consoleBuildStale, consoleSources, ensureConsoleBuilt } from '../console/build.ts';

export interface ConsoleServer {
  url: string;
  /** The origins the API must allow: the console's, as 127.0.0.1 and as localhost. */
  origins: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Static files from `dir` with the single-page fallback (any other path is index.html, so a
 * reload on /contacts/ct_… works), long caching for hashed assets, none for the rest, and
 * security headers (the API's origin is the only one scripts may call).
 */
export async function startConsoleServer(options: { port?: number; dir: string; apiUrl: () => string }): Promise<ConsoleServer> {
  const root = resolve(options.dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: { message: `${req.method} is not allowed` } });
    const headers = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': consoleCsp([options.apiUrl()]),
    };
    if (url.pathname === '/config.json') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify({ apiUrl: options.apiUrl(), auth: { kind: 'local' } }));
    }
    let path = normalize(join(root, safeDecode(url.pathname)));
    if (!path.startsWith(root + sep) || !existsSync(path) || statSync(path).isDirectory()) path = join(root, 'index.html');
    if (!existsSync(path)) return send(res, 503, 'The console is not built: run npm run build.', 'text/plain; charset=utf-8');
    const hashed = path.startsWith(join(root, 'assets') + sep);
    res.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(path));
  });
  const port = await listen(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    origins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    close: () => close(server),
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '/';
  }
}
