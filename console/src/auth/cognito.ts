/**
 * Cognito sign-in for a deployment, through the user pool's hosted UI: OAuth 2.0 authorization
 * code with PKCE (RFC 7636), the flow for a public client in a browser. Cognito's own pages ask for
 * the password and the TOTP code (MFA is required by the pool), so the console never sees either.
 *
 * 1. signInWithRedirect: a random verifier and state are kept in sessionStorage, and the browser
 *    goes to <domain>/oauth2/authorize with the verifier's SHA-256 as the challenge.
 * 2. Cognito sends the browser back to <console>/auth/callback?code&state; ready() checks the
 *    state, trades the code (and the verifier) for tokens at <domain>/oauth2/token, and replaces
 *    the address with the page the user came from.
 * 3. token() gives the ID token (the API's JWT authorizer reads `custom:tenant` from it), renewed
 *    with the refresh token a minute before it expires; a refused refresh signs out.
 *
 * The tokens live in sessionStorage (this tab only, gone when it closes). What the deployment
 * must provide (docs/console.md): a user pool domain, the app client's OAuth settings (code flow,
 * scopes openid email profile, callback <console>/auth/callback, sign-out URL <console>/), and
 * `domain` in /config.json. Without `domain`, sign-in is refused with a notice that says so.
 */
import type { AuthConfig } from '../app/config.ts';
import { type Auth, listeners, type RedirectSignIn } from './auth.ts';

type CognitoConfig = Extract<AuthConfig, { kind: 'cognito' }>;

const TOKENS = 'herald.cognito.tokens';
const PENDING = 'herald.cognito.pending';
const NOTICE = 'herald.signin-notice';
export const CALLBACK_PATH = '/auth/callback';
/** Renew this long before the ID token expires (clock skew, a slow request). */
const EARLY_MS = 60_000;

interface Tokens {
  idToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = (bytes = 32) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** The PKCE challenge of a verifier: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** A JWT's `exp` in epoch milliseconds (the token is not verified here: the API does that). */
function expiryOf(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function createCognitoAuth(
  config: CognitoConfig,
  win: Window = window,
  doFetch: typeof fetch = (...a) => fetch(...a),
): Auth & RedirectSignIn {
  const storage = win.sessionStorage;
  const { subscribe, emit } = listeners();
  const redirectUri = `${win.location.origin}${CALLBACK_PATH}`;
  const read = (): Tokens | undefined => {
    const raw = storage.getItem(TOKENS);
    return raw ? (JSON.parse(raw) as Tokens) : undefined;
  };
  const keep = (tokens: Tokens | undefined) => {
    if (tokens) storage.setItem(TOKENS, JSON.stringify(tokens));
    else storage.removeItem(TOKENS);
    emit();
  };

  /** One call to the token endpoint (form-encoded, as OAuth wants it). */
  async function tokenRequest(params: Record<string, string>): Promise<Tokens> {
    const res = await doFetch(`${config.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: config.clientId, ...params }).toString(),
    });
    const body = (await res.json().catch(() => ({}))) as { id_token?: string; refresh_token?: string; expires_in?: number; error?: string };
    if (!res.ok || !body.id_token) throw new Error(`Cognito refused the sign-in: ${body.error ?? res.status}`);
    return {
      idToken: body.id_token,
      refreshToken: body.refresh_token ?? params.refresh_token,
      expiresAt: expiryOf(body.id_token) ?? Date.now() + (body.expires_in ?? 3600) * 1000,
    };
  }

  /** Step 2: back from the hosted UI with a code. */
  async function finishRedirect(): Promise<void> {
    if (win.location.pathname !== CALLBACK_PATH) return;
    const params = new URLSearchParams(win.location.search);
    const pending = JSON.parse(storage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
    storage.removeItem(PENDING);
    const code = params.get('code');
    try {
      if (params.get('error')) throw new Error(`Cognito refused the sign-in: ${params.get('error_description') ?? params.get('error')}`);
      if (!code || !pending || params.get('state') !== pending.state)
        throw new Error('The sign-in answer did not match a sign-in started here; sign in again.');
      keep(await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pending.verifier }));
      storage.removeItem(NOTICE);
    } catch (error) {
      storage.setItem(NOTICE, (error as Error).message);
    }
    win.history.replaceState(null, '', pending?.returnTo ?? '/');
  }
  const started = config.domain ? finishRedirect() : Promise.resolve();

  let refreshing: Promise<string | undefined> | undefined;
  return {
    kind: 'cognito',
    ready: () => started,
    signedIn: () => read() !== undefined,
    async token() {
      const tokens = read();
      if (!tokens) return undefined;
      if (tokens.expiresAt - EARLY_MS > Date.now()) return tokens.idToken;
      if (!tokens.refreshToken) {
        keep(undefined);
        return undefined;
      }
      // One refresh at a time, however many calls are waiting for it.
      refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken })
        .then((fresh) => {
          keep(fresh);
          return fresh.idToken;
        })
        .catch((error: Error) => {
          storage.setItem(NOTICE, `Your session ended: ${error.message}`);
          keep(undefined);
          return undefined;
        })
        .finally(() => {
          refreshing = undefined;
        });
      return refreshing;
    },
    async signInWithRedirect(returnTo) {
      if (!config.domain) return;
      const verifier = randomString();
      const state = randomString(16);
      storage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state,
        code_challenge: await challengeOf(verifier),
        code_challenge_method: 'S256',
      });
      win.location.assign(`${config.domain}/oauth2/authorize?${query}`);
    },
    notice: () =>
      config.domain
        ? (storage.getItem(NOTICE) ?? undefined)
        : `This deployment's /config.json names no Cognito hosted UI domain for the user pool ${config.userPoolId}, so the console cannot sign in (docs/console.md, "Sign-in").`,
    rejected(message) {
      storage.setItem(NOTICE, message);
      keep(undefined);
    },
    signOut() {
      storage.removeItem(NOTICE);
      keep(undefined);
      if (config.domain)
        win.location.assign(
          `${config.domain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: `${win.location.origin}/` })}`,
        );
    },
    subscribe,
  };
}
