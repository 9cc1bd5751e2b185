/**
 * The API a script talks to: the running `npm start` (its .herald/local.json), or the deployment
 * named by HERALD_API_URL and HERALD_TOKEN; and a JSON call that throws the API's own message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ApiTarget {
  apiUrl: string;
  token: string;
}

export function apiTarget(flags: { api?: string | undefined; token?: string | undefined } = {}): ApiTarget {
  const localState = join(process.env.HERALD_DATA_DIR ?? join(process.cwd(), '.herald'), 'local.json');
  const local = existsSync(localState) ? (JSON.parse(readFileSync(localState, 'utf8')) as { apiUrl?: string; token?: string }) : {};
  const apiUrl = flags.api ?? process.env.HERALD_API_URL ?? local.apiUrl;
  const token = flags.token ?? process.env.HERALD_TOKEN ?? local.token;
  if (!apiUrl || !token) {
    console.error('No API to talk to: run `npm start` first, or set HERALD_API_URL and HERALD_TOKEN.');
    process.exit(2);
  }
  return { apiUrl, token };
}

export async function call<T = unknown>(target: ApiTarget, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((error: unknown) => {
    throw new Error(
      `${method} ${path}: cannot reach ${target.apiUrl} (${error instanceof Error ? error.message : String(error)}); is npm start running?`,
    );
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? text;
    throw new Error(`${method} ${path}: ${res.status} ${message}`);
  }
  return parsed as T;
}

/** Asks for an evaluation run and waits for it to finish (the local queue workers run it within seconds). */
export async function evaluateNow(
  target: ApiTarget,
  timeoutMs = 600_000,
): Promise<{ runId: string; durationMs?: number; campaigns?: number; contacts?: number }> {
  const run = await call<{ runId: string }>(target, 'POST', '/reports/run');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await call<{ runId: string; status: string; error?: string; durationMs?: number; campaigns?: number; contacts?: number }>(
      target,
      'GET',
      `/reports/runs/${run.runId}`,
    );
    if (state.status === 'completed') return state;
    if (state.status === 'failed') throw new Error(`evaluation run ${run.runId} failed: ${state.error ?? 'no reason given'}`);
    if (Date.now() > until) throw new Error(`evaluation run ${run.runId} still ${state.status} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
