/**
 * The typed API client. It is built from the API's own contract (shared/api/contract/*.ts: the
 * zod schemas the handlers validate with) and route table (functions/wiring.ts: method and path
 * per operation), so the console and the API cannot disagree about a field, a path or a shape:
 *
 *   const contacts = apiOf(contactApi);
 *   const page = await contacts.listContacts({ query: { email: 'ada' } });
 *
 * Each page imports only its capability's contract module, so its schemas load with its route.
 * A request body is checked with the operation's schema before it is sent (the same message the
 * API would answer), and a response is parsed with the response schema (a drift fails loudly).
 */
import type { Operation } from '@shared/api/contract/common.ts';
import { ErrorBody } from '@shared/api/contract/common.ts';
import type { FieldIssue } from '@shared/domain/errors.ts';
import { routes } from '@functions/wiring.ts';
import type * as z from 'zod';
import type { Auth } from '../auth/auth.ts';

/** An error the API answered (its message names the field), or a failure to reach it (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field issues with the prefix removed (`body.email` → `email`), for a form's inputs. */
  fieldErrors(prefix = 'body.'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const issue of this.issues) {
      const field = issue.field.startsWith(prefix) ? issue.field.slice(prefix.length) : issue.field;
      out[field] ??= issue.message;
    }
    return out;
  }
}

type Present<Op, K extends string> = Op extends { [P in K]: infer S extends z.ZodType } ? S : never;

/** What a call takes: path values, query, body and headers, each typed by the operation's schema. */
export type InputOf<Op> = ([Present<Op, 'path'>] extends [never] ? unknown : { path: z.input<Present<Op, 'path'>> }) &
  ([Present<Op, 'query'>] extends [never] ? unknown : { query?: Partial<z.input<Present<Op, 'query'>>> }) &
  ([Present<Op, 'body'>] extends [never] ? unknown : { body: z.input<Present<Op, 'body'>> }) &
  ([Present<Op, 'headers'>] extends [never] ? unknown : { headers?: z.input<Present<Op, 'headers'>> });

export type OutputOf<Op> = [Present<Op, 'response'>] extends [never] ? undefined : z.output<Present<Op, 'response'>>;

export interface CallOptions {
  signal?: AbortSignal;
  /** Another token source for this call (the sign-in page checks a token before keeping it). */
  auth?: Pick<Auth, 'token' | 'rejected'>;
}

/** One operation as a function, carrying its operation id (query keys, invalidation). */
export type Endpoint<Op> = ((input: InputOf<Op>, options?: CallOptions) => Promise<OutputOf<Op>>) & { operationId: string };

export type ApiOf<Ops> = { [K in keyof Ops]: Endpoint<Ops[K]> };

export interface Transport {
  apiUrl: string;
  auth: Auth;
  fetch?: typeof fetch;
}

let transport: Transport | undefined;

/** Set once at start (main.tsx), or by a test. */
export function configureApi(next: Transport): void {
  transport = next;
}

const issuesOf = (error: z.ZodError, where: string): FieldIssue[] =>
  error.issues.map((issue) => ({ field: [where, ...issue.path.map(String)].join('.'), message: issue.message }));

function pathOf(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => encodeURIComponent(String(values[name] ?? '')));
}

function queryOf(query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function call(
  operationId: string,
  op: Operation,
  input: Record<string, unknown>,
  options: CallOptions = {},
  raw = false,
): Promise<unknown> {
  if (!transport) throw new Error('configureApi() was not called');
  const route = routes.find((r) => r.operation === operationId);
  if (!route) throw new Error(`no route for operation ${operationId}`);
  const { apiUrl } = transport;
  const auth = options.auth ?? transport.auth;
  const doFetch = transport.fetch ?? fetch;
  if (op.body && 'body' in input) {
    const checked = op.body.safeParse(input.body);
    if (!checked.success) {
      const issues = issuesOf(checked.error, 'body');
      throw new ApiError(400, issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
    }
  }
  const token = await auth.token();
  let res: Response;
  try {
    res = await doFetch(
      `${apiUrl}${pathOf(route.path, (input.path ?? {}) as Record<string, unknown>)}${queryOf(input.query as Record<string, unknown>)}`,
      {
        method: route.method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...('body' in input ? { 'content-type': 'application/json' } : {}),
          ...(input.headers as Record<string, string> | undefined),
        },
        body: 'body' in input ? JSON.stringify(input.body) : undefined,
        signal: options.signal,
      },
    );
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, `Cannot reach the API at ${apiUrl}: ${(error as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(safeJson(text));
    const message = parsed.success ? parsed.data.error.message : `${route.method} ${route.path} answered ${res.status}`;
    const details = parsed.success ? (parsed.data.error.details as { issues?: FieldIssue[] } | undefined) : undefined;
    if (res.status === 401) auth.rejected(`The API refused the token: ${message}. Sign in again.`);
    throw new ApiError(res.status, message, details?.issues ?? [], parsed.success ? parsed.data.error.requestId : undefined);
  }
  if (raw) return text;
  if (!op.response || res.status === 204) return undefined;
  const parsed = op.response.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new ApiError(
      res.status,
      `The API's answer to ${operationId} does not match the console's schema: ${parsed.error.issues[0]?.message ?? ''}`,
      issuesOf(parsed.error, 'response'),
    );
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An operation's answer as text, unparsed: a report as CSV (`query: { format: 'csv' }`), which a
 * plain link cannot fetch because the API wants the bearer token. Same token and errors as a call.
 */
export async function textOf<Op>(endpoint: Endpoint<Op>, input: InputOf<Op>, options?: CallOptions): Promise<string> {
  return (await call(endpoint.operationId, { summary: endpoint.operationId }, input as Record<string, unknown>, options, true)) as string;
}

/** The typed client of one capability's operations (`contactApi`, `listApi`, …). */
export function apiOf<Ops extends Record<string, Operation>>(operations: Ops): ApiOf<Ops> {
  const out: Record<string, unknown> = {};
  for (const [operationId, op] of Object.entries(operations)) {
    const endpoint = (input: Record<string, unknown>, options?: CallOptions) => call(operationId, op, input ?? {}, options);
    out[operationId] = Object.assign(endpoint, { operationId });
  }
  return out as ApiOf<Ops>;
}
