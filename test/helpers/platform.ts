/** Starts the whole local platform on free ports, in memory, for one test file, in a workspace of its own. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { startPlatform, type Platform, type PlatformOptions } from '../../local/platform.ts';
import { randomTenant } from './builders.ts';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface TestPlatform {
  platform: Platform;
  /** Calls the API with the bearer token (or the one given, or none with `token: null`). */
  api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string | null; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
}

export function usePlatform(options: Partial<PlatformOptions> = {}): TestPlatform {
  const handle = {} as TestPlatform;
  beforeAll(async () => {
    // Each test file works in a workspace of its own unless it names one.
    const platform = await startPlatform({ token: randomBytes(12).toString('hex'), retryBaseMs: 10, tenantId: randomTenant(), ...options });
    handle.platform = platform;
    handle.api = async (method, path, body, opts = {}) => {
      const token = opts.token === undefined ? platform.token : opts.token;
      const res = await fetch(`${platform.apiUrl}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...opts.headers },
        body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
  });
  afterAll(async () => {
    await handle.platform?.stop();
  });
  return handle;
}
