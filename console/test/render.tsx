/**
 * Renders console routes in jsdom against a fake API: `api` answers by "METHOD /path" (query
 * strings ignored unless the key has one), recording each call; the real client, schemas, router
 * and providers run around it.
 */
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { configureApi } from '../src/api/client.ts';
import { AppProviders, createQueryClient } from '../src/app/providers.tsx';
import { routeObjects } from '../src/app/router.tsx';
import { createLocalAuth } from '../src/auth/local.ts';

export type Answer = { status?: number; body?: unknown } | ((request: { url: URL; body: unknown }) => { status?: number; body?: unknown });

export interface Call {
  method: string;
  url: URL;
  body: unknown;
  headers: Record<string, string>;
}

export function renderConsole(path: string, answers: Record<string, Answer>, options: { signedIn?: boolean } = {}) {
  if (options.signedIn !== false) sessionStorage.setItem('herald.token', 'test-token');
  const auth = createLocalAuth(window);
  const calls: Call[] = [];
  const fakeFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body, headers: init.headers as Record<string, string> });
    const answer = answers[`${method} ${url.pathname}${url.search}`] ?? answers[`${method} ${url.pathname}`];
    if (!answer) return new Response(JSON.stringify({ error: { message: `no route for ${method} ${url.pathname}` } }), { status: 404 });
    const { status = 200, body: out } = typeof answer === 'function' ? answer({ url, body }) : answer;
    return new Response(out === undefined ? null : JSON.stringify(out), { status, headers: { 'content-type': 'application/json' } });
  };
  configureApi({ apiUrl: 'http://api.test', auth, fetch: fakeFetch as typeof fetch });
  const router = createMemoryRouter(routeObjects(), { initialEntries: [path] });
  const view = render(
    <AppProviders auth={auth} queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...view, calls, router, auth };
}

const NOW = '2026-11-20T10:00:00.000Z';

export const contact = (overrides: Record<string, unknown> = {}) => ({
  contactId: 'ct_1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  attributes: { plan: 'gold' },
  consent: { email: { status: 'subscribed', source: 'signup', at: NOW }, sms: { status: 'unknown' } },
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
  ...overrides,
});

export const value = {
  orders: 2,
  revenue: 120.5,
  averageOrderValue: 60.25,
  refunds: 0,
  firstPurchaseAt: NOW,
  lastPurchaseAt: NOW,
  categories: { shoes: { count: 2, lastAt: NOW } },
  events: {},
  rfm: { r: 5, f: 3, m: 4 },
  tier: 'A',
  lifecycle: 'active',
};

export const exported = (overrides: Record<string, unknown> = {}) => ({
  contact: contact(),
  consentHistory: [{ channel: 'email', from: 'unknown', to: 'subscribed', source: 'signup', at: NOW }],
  lists: ['ls_1'],
  events: [
    {
      eventId: 'e1',
      type: 'purchase',
      at: NOW,
      receivedAt: NOW,
      orderId: 'o-1',
      total: 60.25,
      currency: 'EUR',
      items: [{ sku: 'RUN-42', category: 'shoes', price: 60.25, quantity: 1 }],
    },
  ],
  messages: [{ campaignId: 'cp_1', channel: 'email', status: 'delivered', sentAt: NOW, deliveredAt: NOW, openedAt: NOW }],
  exportedAt: NOW,
  ...overrides,
});

export const list = (overrides: Record<string, unknown> = {}) => ({
  listId: 'ls_1',
  name: 'VIP',
  description: 'Best customers',
  memberCount: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});
