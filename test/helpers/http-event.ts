/** API Gateway events for handler tests, built from the wiring table's route for an operation. */
import { routes } from '../../functions/wiring.ts';
import { makeHttpEvent } from '../../local/gateway.ts';
import type { OperationId } from '../../shared/api/contract.ts';
import type { HttpEvent } from '../../shared/runtime/http-handler.ts';

export function httpEventFor(
  operation: OperationId,
  input: {
    path?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
    claims?: Record<string, string>;
  } = {},
): HttpEvent {
  const route = routes.find((r) => r.operation === operation);
  if (!route) throw new Error(`no route for ${operation}`);
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(input.path?.[name] ?? ''));
  const url = new URL(`http://local${path}`);
  for (const [name, value] of Object.entries(input.query ?? {})) url.searchParams.set(name, value);
  return makeHttpEvent({
    route,
    url,
    headers: { 'content-type': 'application/json', ...input.headers },
    ...(input.path ? { pathParameters: input.path } : {}),
    ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
    ...(input.claims ? { claims: input.claims } : {}),
  });
}
