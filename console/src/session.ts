/** The login: token and API address, in sessionStorage only (gone when the tab closes). */
export interface Session {
  readonly token: string;
  readonly apiUrl: string;
}

const KEY = 'hub.console.session';

export function loadSession(): Session | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s && typeof s.token === 'string' && typeof s.apiUrl === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
