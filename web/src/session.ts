// Tokens live in sessionStorage: they disappear when the tab is closed.
const KEY = 'consores.session';

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
  const wasLoggedIn = getTokens() !== null;
  sessionStorage.setItem(KEY, JSON.stringify(tokens));
  if (!wasLoggedIn) notify();
}

export function clearTokens(): void {
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
