/**
 * Local sign-in: the bearer token `npm start` prints, pasted on the sign-in page or carried by the
 * link it prints (`http://127.0.0.1:4016/#token=…`). The fragment never reaches a server (browsers
 * do not send it) and is removed from the address bar at once, so it stays out of the history.
 * The token lives in sessionStorage: it survives a reload, not the closing of the tab.
 */
import { type Auth, listeners, type TokenSignIn } from './auth.ts';

const KEY = 'herald.token';
const NOTICE_KEY = 'herald.signin-notice';

export function createLocalAuth(win: Window = window): Auth & TokenSignIn {
  const storage = win.sessionStorage;
  const { subscribe, emit } = listeners();
  const fromFragment = new URLSearchParams(win.location.hash.slice(1)).get('token');
  if (fromFragment) {
    storage.setItem(KEY, fromFragment.trim());
    storage.removeItem(NOTICE_KEY);
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${win.location.search}`);
  }
  return {
    kind: 'local',
    ready: () => Promise.resolve(),
    signedIn: () => storage.getItem(KEY) !== null,
    token: async () => storage.getItem(KEY) ?? undefined,
    notice: () => storage.getItem(NOTICE_KEY) ?? undefined,
    signIn(token) {
      storage.setItem(KEY, token.trim());
      storage.removeItem(NOTICE_KEY);
      emit();
    },
    rejected(message) {
      storage.removeItem(KEY);
      storage.setItem(NOTICE_KEY, message);
      emit();
    },
    signOut() {
      storage.removeItem(KEY);
      storage.removeItem(NOTICE_KEY);
      emit();
    },
    subscribe,
  };
}
