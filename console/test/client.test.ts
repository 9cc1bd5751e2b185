/** The API client: bodies checked with the API's schemas, errors with the API's message, 401 signs out, paths encoded. */
import { contactApi } from '@shared/api/contract/contacts.ts';
import { listApi } from '@shared/api/contract/lists.ts';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, apiOf, configureApi } from '../src/api/client.ts';

function setup(answer: () => Response) {
  const auth = {
    kind: 'local' as const,
    ready: async () => undefined,
    signedIn: () => true,
    token: async () => 't',
    rejected: vi.fn(),
    signOut: vi.fn(),
    notice: () => undefined,
    subscribe: () => () => undefined,
  };
  const fetch = vi.fn(async (_url: string, _init: RequestInit) => answer());
  configureApi({ apiUrl: 'http://api.test', auth, fetch: fetch as unknown as typeof globalThis.fetch });
  return { auth, fetch };
}

describe('api client', () => {
  it('checks a body with the API schema and names the field as the API does', async () => {
    const { fetch } = setup(() => new Response('{}'));
    const error = await apiOf(listApi)
      .createList({ body: { name: '  ' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('body.name: must not be empty');
    expect((error as ApiError).fieldErrors()).toEqual({ name: 'must not be empty' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("builds the route's method and path from the wiring table, encoding path values", async () => {
    const { fetch } = setup(() => new Response(null, { status: 204 }));
    await apiOf(contactApi).eraseContact({ path: { contactId: 'ct_a/b' } });
    expect(fetch.mock.calls[0]?.[0]).toBe('http://api.test/contacts/ct_a%2Fb');
    expect(fetch.mock.calls[0]?.[1].method).toBe('DELETE');
  });

  it("turns an error answer into the API's message and issues; a 401 tells the Auth", async () => {
    const { auth } = setup(() => new Response(JSON.stringify({ error: { message: 'missing or invalid bearer token' } }), { status: 401 }));
    const error = (await apiOf(contactApi)
      .listContacts({ query: {} })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(401);
    expect(error.message).toBe('missing or invalid bearer token');
    expect(auth.rejected).toHaveBeenCalled();
  });

  it('fails loudly when an answer does not match the response schema', async () => {
    setup(() => new Response(JSON.stringify({ items: [{ nope: true }] })));
    await expect(apiOf(contactApi).listContacts({ query: {} })).rejects.toThrow(/does not match the console's schema/);
  });
});
