import { useState } from 'preact/hooks';
import { Api, ApiError, describeError } from '../api.js';
import { Notice } from '../components.js';
import type { Session } from '../session.js';

/**
 * Log in with a hub token. The token is checked with one cheap read: 401 refuses it; 403 or 404
 * still mean a valid token whose ACL is narrow. It is kept in sessionStorage only.
 */
export function Login(p: { defaultApiUrl: string; notice?: string; onLogin(s: Session): void }) {
  const [token, setToken] = useState('');
  const [apiUrl, setApiUrl] = useState(p.defaultApiUrl);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) return setError('Enter a token.');
    setBusy(true);
    setError(undefined);
    const session = { token: t, apiUrl: apiUrl.trim().replace(/\/+$/, '') };
    try {
      await new Api(session).get('/gw/devices/all', { fields: 'id', count: 1 });
      p.onLogin(session);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 403 || (err.status === 404 && !err.noRoute))) p.onLogin(session);
      else if (err instanceof ApiError && err.status === 401) setError(`The hub refused this token: ${err.message}.`);
      else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="card login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">Telematics Hub</h1>
        <p class="muted">Diagnostics console. Log in with an API token; it stays in this browser tab only.</p>
        {p.notice ? <Notice>{p.notice}</Notice> : null}
        <div class="field">
          <label for="login-token">Access token</label>
          <input id="login-token" type="password" autocomplete="off" spellcheck={false} value={token} onInput={(e) => setToken(e.currentTarget.value)} aria-invalid={error !== undefined} aria-describedby={error ? 'login-error' : undefined} />
        </div>
        <details class="advanced">
          <summary>Hub address</summary>
          <div class="field">
            <label for="login-api">API base URL</label>
            <input id="login-api" type="url" placeholder={location.origin} value={apiUrl} onInput={(e) => setApiUrl(e.currentTarget.value)} />
            <small class="hint">Empty: this page's own address (the hub serving the console).</small>
          </div>
        </details>
        {error ? (
          <div id="login-error" class="notice notice-error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
