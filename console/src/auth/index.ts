/** Picks the Auth for the configuration (the one place that knows both kinds). */
import type { AuthConfig } from '../app/config.ts';
import type { Auth } from './auth.ts';
import { createCognitoAuth } from './cognito.ts';
import { createLocalAuth } from './local.ts';

export type { Auth, TokenSignIn } from './auth.ts';

export function createAuth(config: AuthConfig): Auth {
  return config.kind === 'local' ? createLocalAuth() : createCognitoAuth(config);
}

export const canSignInWithToken = (auth: Auth): auth is Auth & import('./auth.ts').TokenSignIn => 'signIn' in auth;
