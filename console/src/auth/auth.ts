/**
 * The sign-in seam. The API client asks an `Auth` for the bearer token and tells it when the API
 * refused one; the shell shows the sign-in page whenever it has none. Two kinds plug in here:
 * `local` (the token `npm start` prints, auth/local.ts) and `cognito` (a deployment's user pool,
 * auth/cognito.ts). Nothing else in the console knows which one runs.
 */
export interface Auth {
  readonly kind: 'local' | 'cognito';
  /** The bearer token for the next API call, or undefined when signed out. */
  token(): string | undefined;
  /** Called when the API answered 401 to `token`: forget it and show why on the sign-in page. */
  rejected(message: string): void;
  signOut(): void;
  /** Why the last session ended (a refused token), for the sign-in page; cleared on sign-in. */
  notice(): string | undefined;
  /** For useSyncExternalStore: called after every sign-in and sign-out. */
  subscribe(listener: () => void): () => void;
}

/** The part of an Auth that the local sign-in page uses. */
export interface TokenSignIn {
  signIn(token: string): void;
}

/** A tiny listener set shared by the Auth implementations. */
export function listeners() {
  const set = new Set<() => void>();
  return {
    subscribe(listener: () => void) {
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit() {
      for (const listener of set) listener();
    },
  };
}
