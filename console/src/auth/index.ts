/** Picks the Auth for the configuration (the one place that knows both kinds). */
import type { AuthConfig } from '../app/config.ts';
import type { Auth, RedirectSignIn, TokenSignIn } from './auth.ts';
import { createCognitoAuth } from './cognito.ts';
import { createLocalAuth } from './local.ts';

export type { Auth, RedirectSignIn, TokenSignIn } from './auth.ts';

export function createAuth(config: AuthConfig): Auth {
  return config.kind === 'local' ? createLocalAuth() : createCognitoAuth(config);
}

export const canSignInWithToken = (auth: Auth): auth is Auth & TokenSignIn => 'signIn' in auth;
export const canSignInWithRedirect = (auth: Auth): auth is Auth & RedirectSignIn => 'signInWithRedirect' in auth;
