import { useState } from 'preact/hooks';
import { ActionStatus, Badge, DataTable, ErrorNote, Notice, Time } from '../components.js';
import { useApp } from '../context.js';
import { Form, InputField, SelectField } from '../fields.js';
import { useAction, useLoad } from '../hooks.js';
import { SchemaForm, useSchemaValue } from '../schema/form.js';
import type { Command, CommandDefinition, CommandResult, Device, DeviceType } from '../types.js';

const STATUS_KIND: Record<string, string> = {
  queued: 'pending',
  sent: 'pending',
  replied: 'synced',
  expired: 'failed',
  failed: 'failed',
  cancelled: 'offline',
};

/** A command's name and properties, as in the queue and the results. */
function CommandCell(p: { command: Pick<Command, 'name' | 'properties'> }) {
  return (
    <td class="mono">
      {p.command.name} {Object.keys(p.command.properties).length > 0 ? JSON.stringify(p.command.properties) : ''}
    </td>
  );
}

function StatusCell(p: { status: string }) {
  return (
    <td>
      <Badge kind={STATUS_KIND[p.status] ?? 'neutral'}>{p.status}</Badge>
    </td>
  );
}

/**
 * Commands from the device type: a form generated from each command's JSON Schema, checked
 * before sending; queue it (delivered when the device is connected) or send it now and wait.
 */
export function CommandsTab(p: { device: Device; type: DeviceType | undefined }) {
  if (!p.type)
    return <Notice kind="warn">This device has no device type yet (set one under Configure, or let it connect once): its commands are unknown.</Notice>;
  return <CommandsForType device={p.device} type={p.type} />;
}

function CommandsForType(p: { device: Device; type: DeviceType }) {
  const { api } = useApp();
  const commands = p.type.commands as readonly CommandDefinition[];
  const [name, setName] = useState(commands[0]?.name ?? '');
  const cmd = commands.find((c) => c.name === name);
  const props = useSchemaValue(cmd?.schema, {});
  const [timeout, setTimeoutS] = useState(10);
  const [immediate, setImmediate] = useState<CommandResult | undefined>();
  const queueAction = useAction();
  const sendAction = useAction();
  const base = `/gw/devices/${p.device.id}`;
  const queue = useLoad(() => api.get<Command>(`${base}/commands-queue`), [api, p.device.id], 1500);
  const results = useLoad(
    async () => (await api.get<CommandResult>(`${base}/commands-result`)).sort((a, b) => b.timestamp - a.timestamp || b.id - a.id).slice(0, 50),
    [api, p.device.id],
    1500,
  );

  /** The properties when the command's schema accepts them. */
  const checked = (): Record<string, unknown> | undefined => {
    const value = (props.value ?? {}) as Record<string, unknown>;
    return props.check(value) ? value : undefined;
  };
  const enqueue = async () => {
    const properties = checked();
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
    const properties = checked();
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
      <Form class="card" onSubmit={enqueue} heading="Send a command" headingId="command-form-title">
        <SelectField
          id="command-name"
          label="Command"
          value={name}
          onValue={(v) => {
            setName(v);
            props.reset({});
          }}
        >
          {commands.map((c) => (
            <option value={c.name}>
              {c.name} — {c.title}
            </option>
          ))}
        </SelectField>
        {cmd ? (
          <>
            {cmd.examples.length > 0 ? (
              <fieldset class="examples" aria-label="Examples">
                <span class="muted small">Examples:</span>
                {cmd.examples.map((ex) => (
                  <button type="button" class="link" onClick={() => props.reset(ex)}>
                    {JSON.stringify(ex)}
                  </button>
                ))}
              </fieldset>
            ) : null}
            <SchemaForm
              key={`${name}-${props.generation}`}
              schema={cmd.schema}
              value={props.value}
              onChange={props.onChange}
              idBase={`cmd-${name}`}
              issues={props.issues}
              label="Properties"
            />
          </>
        ) : null}
        <ErrorNote>{props.problem('Check the properties: ')}</ErrorNote>
        <InputField
          id="command-timeout"
          label="Wait for the answer (s)"
          width="narrow"
          type="number"
          min={1}
          max={120}
          step={1}
          value={String(timeout)}
          onValue={(v) => setTimeoutS(Math.min(120, Math.max(1, Number(v) || 10)))}
        />
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
            <strong>{immediate.executed ? 'Executed' : 'Not executed'}</strong> ({immediate.status}):{' '}
            <code class="wrap">{immediate.response || '(no answer)'}</code>
          </div>
        ) : null}
      </Form>
      <div>
        <h2>Queue</h2>
        <DataTable
          class="queue"
          columns={['Id', 'Command', 'Status', 'Expires']}
          actions
          rows={queue.data}
          error={queue.error}
          empty="Nothing waiting."
          row={(c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <CommandCell command={c} />
              <StatusCell status={c.status} />
              <td>
                <Time ts={c.expire} />
              </td>
              <td>
                <button type="button" class="small-btn" onClick={() => cancel(c.id)} aria-label={`Cancel command ${c.id}`}>
                  Cancel
                </button>
              </td>
            </tr>
          )}
        />
        <h2>Results</h2>
        <DataTable
          class="results"
          columns={['Time', 'Command', 'Status', 'Response']}
          rows={results.data}
          error={results.error}
          empty="No results yet."
          row={(r) => (
            <tr key={r.id} data-command-id={r.id}>
              <td>
                <Time ts={r.timestamp} />
              </td>
              <CommandCell command={r} />
              <StatusCell status={r.status} />
              <td class="mono wrap">{r.response || <span class="muted">—</span>}</td>
            </tr>
          )}
        />
      </div>
    </div>
  );
}
