import { useState } from 'preact/hooks';
import { ActionStatus, ErrorNotice, Notice, Time, useConfirm } from '../components.js';
import { useApp } from '../context.js';
import { fromLocalInput } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import type { AclEntryInput, Token, TokenCreate, TokenWithKey } from '../types.js';

function describeAcl(acl: readonly AclEntryInput[] | undefined): string {
  if (!acl) return 'full access';
  return acl.map((e) => `${e.methods.join('/')} ${e.uri}${e.ids ? ` [${e.ids.join(',')}]` : ''}`).join('; ');
}

/** API tokens: create (the key is shown once), list with ACL, revoke. */
export function TokensPage() {
  const { api } = useApp();
  const tokens = useLoad(() => api.list<Token>('/platform/tokens/all'), [api]);
  const action = useAction();
  const [ask, dialog] = useConfirm();
  const revoke = async (t: Token) => {
    if (!(await ask({ title: 'Revoke the token?', body: <p>Token {t.id} ({t.info || 'no description'}) stops working at once.</p>, confirm: 'Revoke', danger: true }))) return;
    await action.run(async () => {
      await api.del(`/platform/tokens/${t.id}`);
      return `Token ${t.id} revoked.`;
    });
    tokens.reload();
  };
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">Tokens</h1>
      <NewToken onCreated={tokens.reload} />
      <ActionStatus action={action} />
      <ErrorNotice error={tokens.error} feature="Tokens" />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Description</th>
              <th scope="col">Access</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(tokens.data ?? []).map((t) => (
              <tr key={t.id}>
                <td>{t.id}</td>
                <td>{t.info}</td>
                <td class="mono small wrap">{describeAcl(t.acl)}</td>
                <td>{t.expire ? <Time ts={t.expire} /> : 'never'}</td>
                <td>
                  <button type="button" class="small-btn danger" aria-label={`Revoke token ${t.id}`} onClick={() => revoke(t)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dialog}
    </section>
  );
}

function NewToken(p: { onCreated(): void }) {
  const { api } = useApp();
  const [info, setInfo] = useState('');
  const [devices, setDevices] = useState('');
  const [readOnly, setReadOnly] = useState(false);
  const [expire, setExpire] = useState('');
  const [created, setCreated] = useState<TokenWithKey | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ids = devices
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map(Number);
    if (ids.some((n) => !Number.isInteger(n) || n <= 0)) return setProblem('Device ids must be positive integers, comma-separated.');
    setProblem(undefined);
    const methods: AclEntryInput['methods'] = readOnly ? ['GET'] : ['GET', 'POST', 'PUT', 'DELETE'];
    const acl: AclEntryInput[] | undefined = ids.length > 0 || readOnly ? [{ uri: 'gw/devices', methods, ...(ids.length > 0 ? { ids } : {}) }] : undefined;
    const exp = fromLocalInput(expire);
    const body: TokenCreate = { info: info.trim(), ...(exp ? { expire: Math.floor(exp) } : {}), ...(acl ? { acl } : {}) };
    const ok = await action.run(async () => {
      const [t] = await api.post<TokenWithKey>('/platform/tokens', [body]);
      setCreated(t);
    });
    if (ok) p.onCreated();
  };
  return (
    <form class="card form-grid" onSubmit={submit} aria-labelledby="new-token-title" noValidate>
      <h2 id="new-token-title">New token</h2>
      <div class="field">
        <label for="token-info">Description</label>
        <input id="token-info" value={info} onInput={(e) => setInfo(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="token-devices">Limit to device ids (empty: no limit)</label>
        <input id="token-devices" value={devices} placeholder="12,13" onInput={(e) => setDevices(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="token-expire">Expires (empty: never)</label>
        <input id="token-expire" type="datetime-local" value={expire} onInput={(e) => setExpire(e.currentTarget.value)} />
      </div>
      <div class="field field-check">
        <input id="token-readonly" type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.currentTarget.checked)} />
        <label for="token-readonly">Read only (devices)</label>
      </div>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <ActionStatus action={action} feature="Tokens" />
      {created ? (
        <Notice kind="ok">
          Token {created.id} created. Copy its key now, it is not shown again: <code class="wrap" data-testid="new-token-key">{created.key}</code>
        </Notice>
      ) : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Create token
        </button>
      </div>
    </form>
  );
}
