/**
 * How handlers get their ports: a handler names a provider per port it needs, and `provide`
 * calls them at cold start. Kept apart from the providers themselves (deps.ts), so a function
 * that needs no port (the OpenAPI document) bundles no adapter at all.
 */
import { ulid } from 'ulid';
import type { Deps } from './ports.ts';

/** A value computed on first call, then kept. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

/**
 * How far the local platform has moved its clock ahead (its `advanceClock`, for end-to-end tests
 * of delays measured in days). Always 0 on AWS: nothing else sets it.
 */
let clockAheadMs = 0;
export const moveClockAhead = (ms: number) => {
  clockAheadMs += ms;
};

/** What every use case may use without asking: the clock and fresh ids. */
export const baseDeps: Pick<Deps, 'now' | 'newId' | 'sleep'> = {
  now: () => new Date(Date.now() + clockAheadMs),
  newId: () => ulid().toLowerCase(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Providers for a handler's ports: `{ contacts: contactStore }`. */
export type Providers<D> = { [K in keyof D]: () => D[K] };

/** Calls every provider (at cold start, so bad configuration fails before the first request). */
export function provide<D>(providers: Providers<D>): D & Pick<Deps, 'now' | 'newId' | 'sleep'> {
  const built = Object.fromEntries(Object.entries(providers).map(([name, provider]) => [name, (provider as () => unknown)()]));
  return { ...baseDeps, ...(built as D) };
}
