/**
 * TanStack Query glue: one query key shape for every call, `[operationId, input]`, so a page
 * invalidates what a change touched by operation id (`invalidate(contacts.getContact)`).
 */
import { type QueryClient, queryOptions } from '@tanstack/react-query';
import type { Endpoint, InputOf } from './client.ts';

export function query<Op>(endpoint: Endpoint<Op>, input: InputOf<Op>) {
  return queryOptions({
    queryKey: [endpoint.operationId, input] as const,
    queryFn: ({ signal }) => endpoint(input, { signal }),
  });
}

/** Marks every cached answer of these operations stale (refetched where shown). */
export function invalidate(client: QueryClient, ...endpoints: { operationId: string }[]): Promise<void> {
  return Promise.all(endpoints.map((e) => client.invalidateQueries({ queryKey: [e.operationId] }))).then(() => undefined);
}
