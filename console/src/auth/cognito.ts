/**
 * Cognito sign-in for a deployment: NOT BUILT YET (docs/console.md, "Sign-in on AWS").
 *
 * What it needs: the Platform stack's user pool client allows only USER_SRP_AUTH and MFA (TOTP)
 * is required, so the console must run SRP (InitiateAuth USER_SRP_AUTH → PASSWORD_VERIFIER →
 * SOFTWARE_TOKEN_MFA, and MFA_SETUP for a first sign-in) against cognito-idp, keep the ID token
 * (the API's JWT authorizer reads `custom:tenant` from it) and refresh it with REFRESH_TOKEN_AUTH
 * before it expires. The alternative, the hosted UI (authorization code + PKCE), needs a user
 * pool domain and callback URLs on the client, which the stack does not configure yet.
 * Until then this Auth is signed out and its sign-in page says why.
 */
import type { AuthConfig } from '../app/config.ts';
import { type Auth, listeners } from './auth.ts';

export function createCognitoAuth(config: Extract<AuthConfig, { kind: 'cognito' }>): Auth {
  const { subscribe } = listeners();
  return {
    kind: 'cognito',
    token: () => undefined,
    notice: () =>
      `Signing in with the Cognito user pool ${config.userPoolId} is not built into the console yet (docs/console.md explains what is missing).`,
    rejected: () => undefined,
    signOut: () => undefined,
    subscribe,
  };
}
