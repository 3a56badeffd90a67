import { useState } from 'preact/hooks';
import { ActionStatus, Badge, ErrorNotice, Notice, Time } from '../components.js';
import { useApp } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import { SchemaForm } from '../schema/form.js';
import { formatIssues, type SchemaIssue, validate } from '../schema/validate.js';
import type { Command, CommandDefinition, CommandResult, Device, DeviceType } from '../types.js';

const STATUS_KIND: Record<string, string> = { queued: 'pending', sent: 'pending', replied: 'synced', expired: 'failed', failed: 'failed', cancelled: 'offline' };

/**
 * Commands from the device type: a form generated from each command's JSON Schema, checked
 * before sending; queue it (delivered when the device is connected) or send it now and wait.
 */
export function CommandsTab(p: { device: Device; type: DeviceType | undefined }) {
  if (!p.type) return <Notice kind="warn">This device has no device type yet (set one under Configure, or let it connect once): its commands are unknown.</Notice>;
  return <CommandsForType device={p.device} type={p.type} />;
}

function CommandsForType(p: { device: Device; type: DeviceType }) {
  const { api } = useApp();
  const commands = p.type.commands as readonly CommandDefinition[];
  const [name, setName] = useState(commands[0]?.name ?? '');
  const [props, setProps] = useState<unknown>({});
  const [timeout, setTimeoutS] = useState(10);
  const [issues, setIssues] = useState<SchemaIssue[]>([]);
  const [immediate, setImmediate] = useState<CommandResult | undefined>();
  const [formKey, setFormKey] = useState(0);
  const queueAction = useAction();
  const sendAction = useAction();
  const cmd = commands.find((c) => c.name === name);
  const base = `/gw/devices/${p.device.id}`;
  const queue = useLoad(() => api.get<Command>(`${base}/commands-queue`), [api, p.device.id], 1500);
  const results = useLoad(async () => (await api.get<CommandResult>(`${base}/commands-result`)).sort((a, b) => b.timestamp - a.timestamp || b.id - a.id).slice(0, 50), [api, p.device.id], 1500);

  const check = (): Record<string, unknown> | undefined => {
    const value = (props ?? {}) as Record<string, unknown>;
    const found = cmd ? validate(cmd.schema, value) : [];
    setIssues(found);
    return found.length === 0 ? value : undefined;
  };
  const enqueue = async (e: Event) => {
    e.preventDefault();
    const properties = check();
    if (!properties) return;
    sendAction.clear();
    const ok = await queueAction.run(async () => {
      const [q] = await api.post<Command>(`${base}/commands-queue`, [{ name, properties }]);
      return `Queued "${q.name}" (id ${q.id}); it is delivered while the device is connected.`;
    });
    if (ok) {
      queue.reload();
      results.reload();
    }
  };
  const sendNow = async () => {
    const properties = check();
    if (!properties) return;
    queueAction.clear();
    setImmediate(undefined);
    await sendAction.run(async () => {
      const [r] = await api.post<CommandResult>(`${base}/commands`, [{ name, properties, timeout }]);
      setImmediate(r);
    });
    results.reload();
  };
  const cancel = async (id: number) => {
    await queueAction.run(async () => {
      await api.del(`${base}/commands-queue/${id}`);
      return `Cancelled command ${id}.`;
    });
    queue.reload();
  };

  return (
    <div class="grid-2">
      <form class="card" onSubmit={enqueue} aria-labelledby="command-form-title" noValidate>
        <h2 id="command-form-title">Send a command</h2>
        <div class="field">
          <label for="command-name">Command</label>
          <select
            id="command-name"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setProps({});
              setIssues([]);
              setFormKey((k) => k + 1);
            }}
          >
            {commands.map((c) => (
              <option value={c.name}>
                {c.name} — {c.title}
              </option>
            ))}
          </select>
        </div>
        {cmd ? (
          <>
            {cmd.examples.length > 0 ? (
              <div class="examples" role="group" aria-label="Examples">
                <span class="muted small">Examples:</span>
                {cmd.examples.map((ex) => (
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      setProps(ex);
                      setIssues([]);
                      setFormKey((k) => k + 1);
                    }}
                  >
                    {JSON.stringify(ex)}
                  </button>
                ))}
              </div>
            ) : null}
            <SchemaForm key={`${name}-${formKey}`} schema={cmd.schema} value={props} onChange={setProps} idBase={`cmd-${name}`} issues={issues} label="Properties" />
          </>
        ) : null}
        {issues.length > 0 ? (
          <div class="notice notice-error" role="alert">
            Check the properties: {formatIssues(issues)}
          </div>
        ) : null}
        <div class="field narrow">
          <label for="command-timeout">Wait for the answer (s)</label>
          <input id="command-timeout" type="number" min={1} max={120} step={1} value={timeout} onInput={(e) => setTimeoutS(Math.min(120, Math.max(1, Number(e.currentTarget.value) || 10)))} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={queueAction.busy}>
            Queue command
          </button>
          <button type="button" disabled={sendAction.busy} onClick={sendNow}>
            {sendAction.busy ? 'Waiting for the device…' : 'Send now'}
          </button>
        </div>
        <ActionStatus action={queueAction} />
        <ActionStatus action={sendAction} />
        {immediate ? (
          <div class={`notice ${immediate.executed ? 'notice-ok' : 'notice-error'}`} role="status" data-testid="immediate-result">
            <strong>{immediate.executed ? 'Executed' : 'Not executed'}</strong> ({immediate.status}): <code class="wrap">{immediate.response || '(no answer)'}</code>
          </div>
        ) : null}
      </form>
      <div>
        <h2>Queue</h2>
        <ErrorNotice error={queue.error} />
        <div class="table-wrap">
          <table class="queue">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Command</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(queue.data ?? []).map((c) => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td class="mono">
                    {c.name} {Object.keys(c.properties).length > 0 ? JSON.stringify(c.properties) : ''}
                  </td>
                  <td>
                    <Badge kind={STATUS_KIND[c.status] ?? 'neutral'}>{c.status}</Badge>
                  </td>
                  <td>
                    <Time ts={c.expire} />
                  </td>
                  <td>
                    <button type="button" class="small-btn" onClick={() => cancel(c.id)} aria-label={`Cancel command ${c.id}`}>
                      Cancel
                    </button>
                  </td>
                </tr>
              ))}
              {queue.data && queue.data.length === 0 ? (
                <tr>
                  <td colSpan={5} class="muted">
                    Nothing waiting.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <h2>Results</h2>
        <ErrorNotice error={results.error} />
        <div class="table-wrap">
          <table class="results">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Command</th>
                <th scope="col">Status</th>
                <th scope="col">Response</th>
              </tr>
            </thead>
            <tbody>
              {(results.data ?? []).map((r) => (
                <tr key={r.id} data-command-id={r.id}>
                  <td>
                    <Time ts={r.timestamp} />
                  </td>
                  <td class="mono">
                    {r.name} {Object.keys(r.properties).length > 0 ? JSON.stringify(r.properties) : ''}
                  </td>
                  <td>
                    <Badge kind={STATUS_KIND[r.status] ?? 'neutral'}>{r.status}</Badge>
                  </td>
                  <td class="mono wrap">{r.response || <span class="muted">—</span>}</td>
                </tr>
              ))}
              {results.data && results.data.length === 0 ? (
                <tr>
                  <td colSpan={4} class="muted">
                    No results yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
