/**
 * Pacing a sender against a shared rate limit (shared/db/pacer-repo.ts implements the limiter).
 * Pure: the limiter and the sleep are passed in.
 */

/** What takeAll needs of a limiter: PacerPort's `take` (shared/runtime/ports.ts). */
export interface TokenTaker {
  take(bucket: string, want: number, perSecond: number): Promise<{ granted: number; waitMs: number }>;
}

/**
 * Takes tokens from `bucket` until `want` have been granted, sleeping `waitMs` whenever the
 * limiter says the window is full. Returns once all are granted; a sender then sends `want`
 * messages. Waits as long as the rate requires (want / perSecond seconds, and more under
 * contention), so callers size `want` to what they can send before their own deadline.
 */
export async function takeAll(
  pacer: TokenTaker,
  bucket: string,
  want: number,
  perSecond: number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  let missing = Math.floor(want);
  while (missing > 0) {
    const { granted, waitMs } = await pacer.take(bucket, missing, perSecond);
    missing -= granted;
    // A limiter that grants nothing and names no wait still gets a pause, never a busy loop.
    if (missing > 0 && (waitMs > 0 || granted <= 0)) await sleep(Math.max(1, waitMs));
  }
}
