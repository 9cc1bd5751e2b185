/** Property: whatever a caller sends, the API answers below 500 and names what is wrong. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/wiring.ts';
import { usePlatform } from '../helpers/platform.ts';

const t = usePlatform();

/** JSON values shaped a little like our bodies, so validation is exercised deep down. */
const field = fc.constantFrom(
  'email',
  'phone',
  'externalId',
  'attributes',
  'consent',
  'name',
  'contactIds',
  'records',
  'firstRow',
  'mapping',
  'timezone',
  'locale',
  'preferredChannel',
  'topics',
  'topic',
  'url',
  'events',
  'enabled',
);
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    field,
    fc.oneof(fc.jsonValue(), fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue())),
  ),
);
const pathValue = fc.oneof(
  fc.constant('ct_x'),
  fc
    .string({ maxLength: 20 })
    .map(encodeURIComponent)
    .filter((s) => s.length > 0),
);

describe('bad input', () => {
  // JSON routes; the recipient routes (public, forms and pages) have their own property below.
  const writable = routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.method !== 'DELETE' && r.access !== 'public');

  it.each(writable.map((r) => [`${r.method} ${r.path}`, r] as const))('%s never answers 5xx to random bodies', async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(body, pathValue, async (value, id) => {
        const path = route.path.replace(/\{\w+\}/g, id);
        const res = await t.api(route.method, path, value);
        expect(res.status, JSON.stringify(value)).toBeLessThan(500);
        if (res.status === 400) expect(res.body.error.details.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });

  it.each(routes.filter((r) => r.access === 'public').map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s never answers 5xx and never redirects for random tokens and bodies',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 300 }), fc.string({ maxLength: 200 }), async (token, form) => {
          const res = await fetch(`${t.platform.apiUrl}${route.path.replace('{token}', encodeURIComponent(token) || 'x')}`, {
            method: route.method,
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            ...(route.method === 'POST' ? { body: form } : {}),
          });
          expect(res.status, token).toBeLessThan(500);
          expect(res.headers.get('location'), token).toBeNull();
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
      );
    },
  );

  it('never answers 5xx to topics shaped almost right, and what it keeps reads back the same', async () => {
    const topic = fc.record(
      {
        name: fc.constantFrom('news', 'offers', 'news', 'bad-name', '__proto__', 'toString', ''),
        displayName: fc.string({ maxLength: 110 }),
        description: fc.string({ maxLength: 310 }),
        defaultStatus: fc.constantFrom('subscribed', 'unsubscribed', 'unknown'),
        labels: fc.dictionary(fc.constantFrom('de', 'fr', 'DE', 'deu', 'german', 'constructor'), fc.record({ displayName: fc.string() })),
      },
      { requiredKeys: ['name', 'displayName', 'defaultStatus'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(topic, { maxLength: 22 }), async (topics) => {
        const res = await t.api('PUT', '/settings/sending', { topics });
        expect(res.status, JSON.stringify(topics)).toBeLessThan(500);
        if (res.status === 400) expect(res.body.error.details.issues.length).toBeGreaterThan(0);
        if (res.status === 200) expect((await t.api('GET', '/settings/sending')).body).toEqual(res.body);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });

  it('never answers 5xx to random query strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('limit', 'cursor', 'email', 'phone'), fc.string({ maxLength: 30 })), async (query) => {
        const res = await t.api('GET', `/contacts?${new URLSearchParams(query)}`);
        expect(res.status, JSON.stringify(query)).toBeLessThan(500);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
  });
});
