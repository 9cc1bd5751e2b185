/**
 * The one middy stack every HTTP function uses:
 *   logger context → request parsing and zod validation → the use case → JSON response,
 * with error mapping registered last. A handler supplies only its contract entry and a
 * function from validated input to result.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, PayloadTooLarge, Unauthorized, ValidationFailed, type FieldIssue } from '../domain/errors.ts';
import { TenantId } from '../domain/tenant.ts';
import type { Operation } from '../api/contract.ts';
import { HttpEnv, loadEnv } from '../config/env.ts';
import { provide, type Providers } from './provide.ts';
import { logger, metrics } from './logger.ts';
import type { Caller, Deps } from './ports.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface Request<O extends Operation, D> {
  path: Infer<O['path']>;
  query: Infer<O['query']>;
  headers: Infer<O['headers']>;
  body: Infer<O['body']>;
  /** The verified caller; reading it on a request without JWT claims is a 401 (public routes never read it). */
  caller: Caller;
  /** The HTTP method and the body as text, for routes that read forms rather than JSON. */
  method: string;
  rawBody: string;
  /** Request headers, lower-case names (all of them, not only the operation's). */
  allHeaders: Record<string, string | undefined>;
  deps: D & Pick<Deps, 'now' | 'newId' | 'sleep'>;
}

/**
 * A response that is not JSON: an HTML page, an image, a redirect (the recipient-facing routes).
 * `body` is text, or bytes sent base64-encoded as API Gateway expects.
 */
export class RawResponse {
  constructor(
    readonly statusCode: number,
    readonly headers: Record<string, string>,
    readonly body: string | Uint8Array = '',
  ) {}
}

/** A result with a status other than the operation's default (e.g. 200 instead of 201 on update). */
export class WithStatus<T> {
  constructor(
    readonly statusCode: number,
    readonly body: T,
  ) {}
}

/** Lambda's synchronous payload limit is 6 MB; refuse well before it with a clear 413. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * An HTTP function: `providers` names the ports the use case needs (`{ contacts: contactStore }`);
 * they and the configuration are built at cold start, not on the first request.
 */
export function httpHandler<O extends Operation, D>(
  operation: O,
  providers: Providers<D>,
  fn: (request: Request<O, D>) => Promise<unknown>,
) {
  const deps = provide(providers);
  const { DEFAULT_TENANT } = loadEnv(HttpEnv);
  const base = async (event: HttpEvent): Promise<HttpResult> => {
    const path = parsePart(operation.path, event.pathParameters ?? {}, 'path');
    const query = parsePart(operation.query, event.queryStringParameters ?? {}, 'query');
    const headers = parsePart(operation.headers, lowerCaseKeys(event.headers ?? {}), 'header');
    const body = operation.body ? parsePart(operation.body, readJsonBody(event), 'body') : undefined;
    const request = {
      path,
      query,
      headers,
      body,
      deps,
      get caller() {
        return callerOf(event, DEFAULT_TENANT);
      },
      method: event.requestContext.http.method,
      get rawBody() {
        return rawBodyOf(event);
      },
      get allHeaders() {
        return lowerCaseKeys(event.headers ?? {});
      },
    };
    const result = await fn(request as Request<O, D>);
    metrics.addMetric('Successes', 'Count', 1);
    if (result instanceof WithStatus) return json(result.statusCode, result.body);
    if (result instanceof RawResponse) {
      const binary = typeof result.body !== 'string';
      return {
        statusCode: result.statusCode,
        headers: result.headers,
        body: binary ? Buffer.from(result.body).toString('base64') : (result.body as string),
        ...(binary ? { isBase64Encoded: true } : {}),
      };
    }
    return result === undefined ? { statusCode: 204 } : json(operation.status ?? 200, result);
  };
  return middy<HttpEvent, HttpResult>(base, { timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use({ onError: mapError });
}

function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The tenant comes from the verified JWT (API Gateway's authorizer, or the local gateway's). */
function callerOf(event: HttpEvent, defaultTenant: string): Caller {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new Unauthorized();
  const tenant = claims['custom:tenant'];
  if (tenant === undefined || tenant === '') return { tenantId: defaultTenant };
  // The tenant leads every key: anything but a plain workspace id is refused, never stored.
  const parsed = TenantId.safeParse(tenant);
  if (!parsed.success) throw new Unauthorized("the token's custom:tenant claim is not a valid workspace id");
  return { tenantId: parsed.data };
}

/** The body as text (at most MAX_BODY_BYTES); empty when there is none. */
function rawBodyOf(event: HttpEvent): string {
  if (event.body === undefined) return '';
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLarge(`body: at most ${MAX_BODY_BYTES} bytes`);
  return text;
}

function readJsonBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === '') throw new ValidationFailed([{ field: 'body', message: 'a JSON body is required' }]);
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw new PayloadTooLarge(`body: at most ${MAX_BODY_BYTES} bytes; send large imports in batches`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationFailed([{ field: 'body', message: 'is not valid JSON' }]);
  }
}

const lowerCaseKeys = (headers: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

function parsePart(schema: z.ZodType | undefined, value: unknown, part: 'path' | 'query' | 'header' | 'body'): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationFailed(zodIssues(parsed.error, part));
}

/** zod issues as `{ field: 'body.consent.email.status', message }`, the field named by its full path. */
export function zodIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({ field: [prefix, ...issue.path.map(String)].join('.'), message: issue.message }));
}

/** Error mapping, registered last: domain errors keep their status and message; anything else is a bare 500. */
async function mapError(request: middy.Request<HttpEvent, HttpResult, Error, Context>): Promise<HttpResult> {
  const { error } = request;
  const requestId = request.context?.awsRequestId;
  metrics.addMetric(error instanceof DomainError && error.statusCode < 500 ? 'ClientErrors' : 'ServerErrors', 'Count', 1);
  if (error instanceof DomainError) {
    if (error.statusCode >= 500) logger.error('request failed', { error });
    request.response = json(error.statusCode, { error: { message: error.message, ...(error.details ? { details: error.details } : {}) } });
  } else {
    logger.error('unhandled error', { error: error ?? undefined });
    request.response = json(500, { error: { message: 'internal error', requestId } });
  }
  return request.response;
}
