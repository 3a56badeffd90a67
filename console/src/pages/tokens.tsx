import { useState } from 'preact/hooks';
import { ActionStatus, ConfirmButton, DataTable, Notice, PageSection, Time } from '../components.js';
import { useApp } from '../context.js';
import { CheckField, Form, FormFooter, InputField } from '../fields.js';
import { fromLocalInput, splitList } from '../format.js';
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
  const revoke = async (t: Token) => {
    await action.run(async () => {
      await api.del(`/platform/tokens/${t.id}`);
      return `Token ${t.id} revoked.`;
    });
    tokens.reload();
  };
  return (
    <PageSection id="tokens" title="Tokens">
      <NewToken onCreated={tokens.reload} />
      <ActionStatus action={action} />
      <DataTable
        class="tokens"
        columns={['Id', 'Description', 'Access', 'Expires']}
        actions
        rows={tokens.data}
        error={tokens.error}
        feature="Tokens"
        empty="No tokens yet."
        row={(t) => (
          <tr key={t.id}>
            <td>{t.id}</td>
            <td>{t.info}</td>
            <td class="mono small wrap">{describeAcl(t.acl)}</td>
            <td>{t.expire ? <Time ts={t.expire} /> : 'never'}</td>
            <td>
              <ConfirmButton
                class="small-btn danger"
                label={`Revoke token ${t.id}`}
                ask={{
                  title: 'Revoke the token?',
                  body: (
                    <p>
                      Token {t.id} ({t.info || 'no description'}) stops working at once.
                    </p>
                  ),
                  confirm: 'Revoke',
                  danger: true,
                }}
                onConfirm={() => revoke(t)}
              >
                Revoke
              </ConfirmButton>
            </td>
          </tr>
        )}
      />
    </PageSection>
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
  const submit = async () => {
    const ids = splitList(devices).map(Number);
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
    <Form class="card form-grid" onSubmit={submit} heading="New token" headingId="new-token-title">
      <InputField id="token-info" label="Description" value={info} onValue={setInfo} />
      <InputField id="token-devices" label="Limit to device ids (empty: no limit)" value={devices} placeholder="12,13" onValue={setDevices} />
      <InputField id="token-expire" label="Expires (empty: never)" type="datetime-local" value={expire} onValue={setExpire} />
      <CheckField id="token-readonly" label="Read only (devices)" checked={readOnly} onChange={setReadOnly} />
      <FormFooter action={action} feature="Tokens" problem={problem} submit="Create token">
        {created ? (
          <Notice kind="ok">
            Token {created.id} created. Copy its key now, it is not shown again:{' '}
            <code class="wrap" data-testid="new-token-key">
              {created.key}
            </code>
          </Notice>
        ) : null}
      </FormFooter>
    </Form>
  );
}
