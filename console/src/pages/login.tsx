import { useState } from 'preact/hooks';
import { Api, ApiError, describeError } from '../api.js';
import { ErrorNote, Notice } from '../components.js';
import { Field, Form, InputField } from '../fields.js';
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
  const submit = async () => {
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
      <Form class="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Telematics Hub</h1>
        <p class="muted">Diagnostics console. Log in with an API token; it stays in this browser tab only.</p>
        {p.notice ? <Notice>{p.notice}</Notice> : null}
        <InputField
          id="login-token"
          label="Access token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onValue={setToken}
          aria-invalid={error !== undefined}
          aria-describedby={error ? 'login-error' : undefined}
        />
        <details class="advanced">
          <summary>Hub address</summary>
          <Field id="login-api" label="API base URL">
            <input id="login-api" type="url" placeholder={location.origin} value={apiUrl} onInput={(e) => setApiUrl(e.currentTarget.value)} />
            <small class="hint">Empty: this page's own address (the hub serving the console).</small>
          </Field>
        </details>
        <ErrorNote id="login-error">{error}</ErrorNote>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </Form>
    </main>
  );
}
