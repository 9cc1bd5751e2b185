/**
 * Local HTTP gateway: turns each request into an API Gateway HTTP API (payload v2) event for the
 * route's handler, as AWS would. Management routes need `Authorization: Bearer <token>`; the
 * verified caller is passed as JWT claims, exactly where the Cognito authorizer puts them.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import type { Route } from '../functions/wiring.ts';
import type { HttpEvent, HttpResult } from '../shared/runtime/http-handler.ts';
import { close, listen, readBody, send } from './http-util.ts';

export type HttpFunction = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export interface WiredRoute {
  route: Route;
  handler: HttpFunction;
}

/** What a browser may send cross-origin (the console's calls): the preflight's answer. */
const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const CORS_HEADERS = 'authorization, content-type, idempotency-key';

/** API Gateway's payload limit. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export function lambdaContext(functionName: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 29_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function compile(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const pattern = path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${pattern}$`), names };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface LocalGateway {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(options: {
  port?: number;
  routes: WiredRoute[];
  token: string;
  tenantId: string;
  /**
   * Origins allowed to call from a browser (the console's), as the HTTP API's CORS configuration
   * does on AWS: those get Access-Control-Allow-Origin and an answered preflight; no `*`.
   */
  corsOrigins?: readonly string[];
}): Promise<LocalGateway> {
  const table = options.routes.map((wired) => ({ ...wired, ...compile(wired.route.path) }));

  const server = createServer(async (req, res) => {
    try {
      if (options.corsOrigins && cors(req, res, options.corsOrigins)) return;
      const url = new URL(req.url ?? '/', 'http://local');
      const candidates = table.filter((r) => r.regex.test(url.pathname));
      const match = candidates.find((r) => r.route.method === req.method);
      if (!match) {
        if (candidates.length > 0) return send(res, 405, { error: { message: `${req.method} is not allowed on ${url.pathname}` } });
        return send(res, 404, { error: { message: `no route for ${req.method} ${url.pathname}` } });
      }
      const authorized = match.route.access === 'none' || match.route.access === 'public' || sameToken(bearer(req), options.token);
      if (!authorized) return send(res, 401, { error: { message: 'missing or invalid bearer token' } });
      const body = await readBody(req, MAX_REQUEST_BYTES);
      const values = match.regex.exec(url.pathname)?.slice(1) ?? [];
      const event = toEvent(
        req,
        url,
        match.route,
        Object.fromEntries(match.names.map((n, i) => [n, decodePathValue(values[i] ?? '')])),
        body,
        options.tenantId,
      );
      const result = await match.handler(event, lambdaContext(match.route.operation));
      res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
      res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      send(res, status, { error: { message: status === 413 ? 'request body too large (limit 10 MB)' : 'internal error' } });
    }
  });
  const port = await listen(server, options.port ?? 0);
  return { url: `http://127.0.0.1:${port}`, close: () => close(server) };
}

/**
 * CORS for the allowed origins: the allow-origin header on every answer to one of them (errors
 * included, so the console can read the API's message), and preflights answered here, before
 * routing and the token check (a browser sends no Authorization on a preflight). A preflight from
 * another origin gets no CORS headers, so the browser refuses the call. True when it answered.
 */
function cors(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): boolean {
  const origin = req.headers.origin;
  res.setHeader('vary', 'Origin');
  const allowed = origin !== undefined && origins.includes(origin);
  if (allowed) res.setHeader('access-control-allow-origin', origin);
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  res.writeHead(
    204,
    allowed
      ? { 'access-control-allow-methods': CORS_METHODS, 'access-control-allow-headers': CORS_HEADERS, 'access-control-max-age': '600' }
      : {},
  );
  res.end();
  return true;
}

/** A path value as API Gateway passes it: percent-decoded, or as sent when it does not decode (`%ZZ`). */
function decodePathValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function bearer(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  route: Route,
  pathParameters: Record<string, string>,
  body: Buffer,
  tenantId: string,
): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return makeHttpEvent({
    route,
    url,
    headers,
    pathParameters,
    body: body.length > 0 ? body.toString('utf8') : undefined,
    claims: { sub: 'local-developer', 'custom:tenant': tenantId },
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  });
}

/**
 * An API Gateway HTTP API (payload v2) event for a route, as AWS builds it; `claims` are the
 * verified JWT's (none: no authorizer context). The gateway and the handler tests both use it.
 */
export function makeHttpEvent(input: {
  route: Pick<Route, 'method' | 'path'>;
  url: URL;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: string;
  claims?: Record<string, string>;
  sourceIp?: string;
}): HttpEvent {
  const { route, url } = input;
  const headers = input.headers ?? {};
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const pathParameters = input.pathParameters ?? {};
  const now = Date.now();
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    body: input.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      // Without claims there is no authorizer context, as for a route with no authorizer.
      authorizer: (input.claims
        ? { principalId: '', integrationLatency: 0, jwt: { claims: input.claims, scopes: [] } }
        : undefined) as HttpEvent['requestContext']['authorizer'],
    },
  };
}
