/**
 * WebhookClient over Node's global fetch (undici), the same on AWS and locally. Lambda functions
 * are not in a VPC, so they reach the internet directly. Redirects are not followed (a 3xx counts
 * as a failure, as with Stripe): the receiver's URL is the one the workspace registered. Only the
 * status is read; the response body is discarded unread.
 */
import type { WebhookClient } from '../runtime/ports.ts';

export function createWebhookClient(): WebhookClient {
  return {
    async post(url, body, headers, timeoutMs) {
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw new Error(describe(error, timeoutMs));
      }
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    },
  };
}

/** A short reason a receiver gave no answer: `timed out after 10000 ms`, `fetch failed: ECONNREFUSED`. */
function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(error)}${cause ? `: ${cause}` : ''}`.slice(0, 500);
}
