// Tokens live in sessionStorage, and the open tabs of one browser share them over a BroadcastChannel: a new
// tab asks the others (`joinSession`), a login, a refresh or a logout in one tab reaches them all. Nothing is
// written where it would outlive the tabs: once the last one is closed, the session is gone, and it ends
// as the tokens do (a refresh refused logs every tab out).
const KEY = 'consores.session';
const channel: BroadcastChannel | null = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(KEY);

type Message = { type: 'ask' } | { type: 'tokens'; tokens: Tokens } | { type: 'logout' };

/** A session as the API gives it (a message of another tab is checked before it is believed). */
function isTokens(value: unknown): value is Tokens {
  const t = value as Partial<Tokens> | null;
  return (
    typeof t === 'object' && t !== null && typeof t.id_token === 'string' && typeof t.access_token === 'string' &&
    typeof t.refresh_token === 'string' && typeof t.expires_at === 'number'
  );
}

channel?.addEventListener('message', (event: MessageEvent<Message>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  if (message.type === 'ask') {
    const mine = getTokens();
    if (mine) channel.postMessage({ type: 'tokens', tokens: mine } satisfies Message);
  } else if (message.type === 'tokens' && isTokens(message.tokens)) {
    store(message.tokens);
  } else if (message.type === 'logout') {
    drop();
  }
});

/** In a tab opened without a session, ask the other tabs for theirs (resolves at once when there is one,
 * or once an answer or ``waitMs`` comes). Call before the first render. */
export function joinSession(waitMs = 250): Promise<void> {
  if (!channel || getTokens() !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(finish, waitMs);
    const unsubscribe = onSessionChange(finish);
    function finish() {
      clearTimeout(timer);
      unsubscribe();
      done();
    }
    channel.postMessage({ type: 'ask' } satisfies Message);
  });
}

export interface Tokens {
  id_token: string;
  access_token: string;
  refresh_token: string;
  /** epoch milliseconds */
  expires_at: number;
}

type Listener = () => void;
const listeners = new Set<Listener>();

export function getTokens(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

export function setTokens(tokens: Tokens): void {
  store(tokens);
  channel?.postMessage({ type: 'tokens', tokens } satisfies Message);
}

export function clearTokens(): void {
  drop();
  channel?.postMessage({ type: 'logout' } satisfies Message);
}

function store(tokens: Tokens): void {
  const before = getTokens();
  sessionStorage.setItem(KEY, JSON.stringify(tokens));
  // A login (in this tab or another) changes the refresh token; a refresh keeps it, and nobody needs telling.
  if (before?.refresh_token !== tokens.refresh_token) notify();
}

function drop(): void {
  if (getTokens() === null) return;
  sessionStorage.removeItem(KEY);
  notify();
}

export function isLoggedIn(): boolean {
  return getTokens() !== null;
}

/** Called when the user logs in or out; returns an unsubscribe function. */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  listeners.forEach((l) => l());
}
