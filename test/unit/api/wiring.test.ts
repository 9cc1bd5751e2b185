import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { queueConsumers, queues, routes, schedules, functionId } from '../../../functions/wiring.ts';
import { contract } from '../../../shared/api/contract.ts';
import { openApiDocument } from '../../../shared/api/openapi.ts';

describe('wiring table', () => {
  it('routes every contract operation exactly once, to a handler file that exists', () => {
    expect(routes.map((r) => r.operation).sort()).toEqual(Object.keys(contract).sort());
    for (const entry of [...routes.map((r) => r.entry), ...queueConsumers.map((q) => q.entry), ...schedules.map((s) => s.entry)]) {
      expect(existsSync(entry), entry).toBe(true);
    }
  });

  it('has no two routes on the same method and path, and unique function ids', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = [...routes, ...queueConsumers, ...schedules].map((r) => functionId(r.entry));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares a path schema with exactly the parameters in each route path', () => {
    for (const route of routes) {
      const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const op: { path?: { shape?: Record<string, unknown> } } = contract[route.operation] as never;
      expect(Object.keys(op.path?.shape ?? {}).sort(), route.path).toEqual(inPath);
    }
  });

  it('leaves only the OpenAPI document open; everything else needs the token', () => {
    expect(routes.filter((r) => r.access === 'none').map((r) => r.path)).toEqual(['/openapi.json']);
  });
});

describe('queue timing', () => {
  it('redelivers a segment-count message only after a part counts as stalled', async () => {
    const { STALL_MS } = await import('../../../shared/services/segments.ts');
    expect(queues['segment-count'].visibilityTimeoutSeconds * 1000).toBeGreaterThan(STALL_MS);
  });
});

describe('OpenAPI document', () => {
  const doc = openApiDocument(routes);

  it('describes every route with its operation id, parameters and schemas', () => {
    for (const route of routes) {
      const op = (doc.paths[route.path] as Record<string, any>)[route.method.toLowerCase()];
      expect(op.operationId).toBe(route.operation);
      const c = contract[route.operation] as { body?: unknown; response?: unknown };
      if (c.body) expect(op.requestBody.content['application/json'].schema.type).toBe('object');
      if (c.response) expect(Object.values(op.responses as Record<string, any>)[0].content['application/json'].schema).toBeTruthy();
    }
  });

  it('carries validation rules from the zod schemas (required fields, enums, limits)', () => {
    const upsert = (doc.paths['/contacts'] as any).post.requestBody.content['application/json'].schema;
    expect(upsert.properties.preferredChannel.enum).toEqual(['email', 'sms']);
    const batch = (doc.paths['/imports/{importId}/batches'] as any).post.requestBody.content['application/json'].schema;
    expect(batch.required).toContain('firstRow');
    expect(batch.properties.records.maxItems).toBe(5000);
    const list = (doc.paths['/contacts'] as any).get.parameters.find((p: any) => p.name === 'limit');
    expect(list.schema.maximum).toBe(500);
  });
});

describe('docs/openapi.json', () => {
  it('is the document the code generates (run `npm run openapi` after changing a schema)', async () => {
    const { readFileSync } = await import('node:fs');
    const { OPENAPI_FILE, renderOpenApi } = await import('../../../scripts/write-openapi.ts');
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });
});
