/** The Auth in React: the instance, and whether it holds a token (re-rendered on sign-in/out). */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Auth } from '../auth/auth.ts';

export const AuthContext = createContext<Auth | undefined>(undefined);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <AuthContext>');
  return auth;
}

export function useSignedIn(): boolean {
  const auth = useAuth();
  return useSyncExternalStore(auth.subscribe, () => auth.signedIn());
}
