/** The HTTP stack derives the tenant from the verified JWT claims, and refuses odd ones. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { httpHandler } from '../../../shared/runtime/http-handler.ts';
import { httpEventFor } from '../../helpers/http-event.ts';

const whoAmI = httpHandler({ summary: 'test', query: z.object({}) }, {}, async ({ caller }) => caller);
const call = async (claims?: Record<string, string>) => {
  const res = await whoAmI(httpEventFor('listSegments', claims ? { claims } : {}), { awsRequestId: 'r' } as never);
  return { status: res.statusCode, body: JSON.parse(res.body ?? '{}') };
};

describe('tenant from the JWT', () => {
  it('uses the custom:tenant claim, or the default tenant without one', async () => {
    expect(await call({ sub: 'u', 'custom:tenant': 'acme-eu' })).toEqual({ status: 200, body: { tenantId: 'acme-eu' } });
    expect(await call({ sub: 'u' })).toEqual({ status: 200, body: { tenantId: 'default' } });
  });

  it.each(['ACME', 'a#b', 'x'.repeat(41), '../t'])('refuses the claim %j with 401', async (tenant) => {
    expect((await call({ sub: 'u', 'custom:tenant': tenant })).status).toBe(401);
  });

  it('answers 401 when no authorizer claims reach the function', async () => {
    expect((await call()).status).toBe(401);
  });
});
