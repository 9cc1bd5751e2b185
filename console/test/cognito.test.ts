/** Cognito's hosted UI with PKCE: the authorize URL, the code exchange on the way back, refresh, a forged answer. */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { CALLBACK_PATH, challengeOf, createCognitoAuth } from '../src/auth/cognito.ts';

const CONFIG = {
  kind: 'cognito' as const,
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_abc',
  clientId: 'client1',
  domain: 'https://herald.auth.eu-west-1.amazoncognito.com',
};

/** An unsigned JWT whose `exp` is `seconds` from now (the console does not verify tokens: the API does). */
const jwt = (seconds: number, sub = 'u1') =>
  `h.${btoa(JSON.stringify({ sub, exp: Math.floor(Date.now() / 1000) + seconds })).replace(/=+$/, '')}.s`;

function fakeWindow(path: string) {
  const url = new URL(path, 'https://console.example');
  const assigned: string[] = [];
  const win = {
    location: {
      get origin() {
        return url.origin;
      },
      get pathname() {
        return url.pathname;
      },
      get search() {
        return url.search;
      },
      assign: (to: string) => assigned.push(to),
    },
    history: { replaceState: (_s: unknown, _t: string, to: string) => Object.assign(url, { href: new URL(to, url).href }) },
    sessionStorage,
  };
  return { win: win as unknown as Window, assigned, url };
}

describe('cognito sign-in', () => {
  it('sends the browser to the hosted UI with an S256 challenge of a kept verifier', async () => {
    const { win, assigned } = fakeWindow('/sign-in');
    const auth = createCognitoAuth(CONFIG, win, vi.fn());
    await auth.signInWithRedirect('/lists');
    const to = new URL(assigned[0]!);
    expect(to.origin + to.pathname).toBe(`${CONFIG.domain}/oauth2/authorize`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client1',
      redirect_uri: `https://console.example${CALLBACK_PATH}`,
      code_challenge_method: 'S256',
    });
    const pending = JSON.parse(sessionStorage.getItem('herald.cognito.pending')!);
    expect(to.searchParams.get('state')).toBe(pending.state);
    const expected = createHash('sha256').update(pending.verifier).digest('base64url');
    expect(to.searchParams.get('code_challenge')).toBe(expected);
    expect(await challengeOf(pending.verifier)).toBe(expected);
  });

  it('trades the code for tokens on the way back, then refreshes the ID token before it expires', async () => {
    sessionStorage.setItem('herald.cognito.pending', JSON.stringify({ verifier: 'v', state: 's1', returnTo: '/lists' }));
    const { win, url } = fakeWindow(`${CALLBACK_PATH}?code=c1&state=s1`);
    const first = jwt(30); // expires within the minute: the next token() refreshes
    const fresh = jwt(3600);
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response(JSON.stringify({ id_token: first, refresh_token: 'r1', expires_in: 30 })))
      .mockResolvedValueOnce(new Response(JSON.stringify({ id_token: fresh, expires_in: 3600 })));
    const auth = createCognitoAuth(CONFIG, win, fetch);
    await auth.ready();
    expect(auth.signedIn()).toBe(true);
    expect(url.pathname).toBe('/lists');
    expect(Object.fromEntries(new URLSearchParams(fetch.mock.calls[0]![1].body))).toEqual({
      client_id: 'client1',
      grant_type: 'authorization_code',
      code: 'c1',
      redirect_uri: `https://console.example${CALLBACK_PATH}`,
      code_verifier: 'v',
    });
    const [a, b] = await Promise.all([auth.token(), auth.token()]);
    expect(a).toBe(fresh);
    expect(b).toBe(fresh);
    expect(fetch).toHaveBeenCalledTimes(2); // one refresh for both callers
    expect(Object.fromEntries(new URLSearchParams(fetch.mock.calls[1]![1].body))).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'r1',
    });
    expect(await auth.token()).toBe(fresh);
  });

  it('refuses an answer whose state it did not send', async () => {
    sessionStorage.setItem('herald.cognito.pending', JSON.stringify({ verifier: 'v', state: 's1', returnTo: '/' }));
    const { win } = fakeWindow(`${CALLBACK_PATH}?code=c1&state=forged`);
    const fetch = vi.fn();
    const auth = createCognitoAuth(CONFIG, win, fetch);
    await auth.ready();
    expect(fetch).not.toHaveBeenCalled();
    expect(auth.signedIn()).toBe(false);
    expect(auth.notice()).toMatch(/did not match a sign-in started here/);
  });

  it('says what is missing when the configuration names no hosted UI domain', () => {
    const { win } = fakeWindow('/sign-in');
    const auth = createCognitoAuth({ ...CONFIG, domain: undefined }, win, vi.fn());
    expect(auth.notice()).toMatch(/no Cognito hosted UI domain/);
  });
});
