/**
 * The sign-in seam. The API client asks an `Auth` for the bearer token and tells it when the API
 * refused one; the shell shows the sign-in page whenever it is signed out. Two kinds plug in here:
 * `local` (the token `npm start` prints, auth/local.ts) and `cognito` (a deployment's user pool
 * through its hosted UI, auth/cognito.ts). Nothing else in the console knows which one runs.
 */
export interface Auth {
  readonly kind: 'local' | 'cognito';
  /** Resolves once a sign-in in progress (a redirect back from the identity provider) is finished. */
  ready(): Promise<void>;
  /** Whether there is a session (for the shell; the token itself may still need a refresh). */
  signedIn(): boolean;
  /** The bearer token for the next API call (refreshed first when it is about to expire), or undefined. */
  token(): Promise<string | undefined>;
  /** Called when the API answered 401 to `token`: forget it and show why on the sign-in page. */
  rejected(message: string): void;
  signOut(): void;
  /** Why the last session ended (a refused token), or why sign-in cannot work, for the sign-in page. */
  notice(): string | undefined;
  /** For useSyncExternalStore: called after every sign-in and sign-out. */
  subscribe(listener: () => void): () => void;
}

/** Local sign-in: a pasted token. */
export interface TokenSignIn {
  signIn(token: string): void;
}

/** Sign-in through a page of the identity provider (Cognito's hosted UI): a redirect. */
export interface RedirectSignIn {
  /** Leaves the console for the provider's page; `returnTo` is where to come back to. */
  signInWithRedirect(returnTo: string): Promise<void>;
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
