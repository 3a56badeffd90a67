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

/** The device's command queue and results (polled), and the two ways to send: queue it or send it now. */
function useCommands(deviceId: number) {
  const { api } = useApp();
  const [immediate, setImmediate] = useState<CommandResult | undefined>();
  const queueAction = useAction();
  const sendAction = useAction();
  const base = `/gw/devices/${deviceId}`;
  const queue = useLoad(() => api.get<Command>(`${base}/commands-queue`), [api, deviceId], 1500);
  const results = useLoad(
    async () => (await api.get<CommandResult>(`${base}/commands-result`)).sort((a, b) => b.timestamp - a.timestamp || b.id - a.id).slice(0, 50),
    [api, deviceId],
    1500,
  );
  const enqueue = async (name: string, properties: Record<string, unknown>) => {
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
  const sendNow = async (name: string, properties: Record<string, unknown>, timeout: number) => {
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
  return { queue, results, queueAction, sendAction, immediate, enqueue, sendNow, cancel };
}

type Commands = ReturnType<typeof useCommands>;

function CommandsForType(p: { device: Device; type: DeviceType }) {
  const c = useCommands(p.device.id);
  return (
    <div class="grid-2">
      <CommandForm commands={p.type.commands as readonly CommandDefinition[]} c={c} />
      <div>
        <QueueTable c={c} />
        <ResultsTable c={c} />
      </div>
    </div>
  );
}

function CommandForm(p: { commands: readonly CommandDefinition[]; c: Commands }) {
  const { c, commands } = p;
  const [name, setName] = useState(commands[0]?.name ?? '');
  const cmd = commands.find((x) => x.name === name);
  const props = useSchemaValue(cmd?.schema, {});
  const [timeout, setTimeoutS] = useState(10);
  /** The properties when the command's schema accepts them. */
  const checked = (): Record<string, unknown> | undefined => {
    const value = (props.value ?? {}) as Record<string, unknown>;
    return props.check(value) ? value : undefined;
  };
  const enqueue = () => {
    const properties = checked();
    if (properties) void c.enqueue(name, properties);
  };
  const sendNow = () => {
    const properties = checked();
    if (properties) void c.sendNow(name, properties, timeout);
  };
  return (
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
        {commands.map((x) => (
          <option value={x.name}>
            {x.name} — {x.title}
          </option>
        ))}
      </SelectField>
      {cmd ? <CommandProperties cmd={cmd} props={props} /> : null}
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
        <button type="submit" class="primary" disabled={c.queueAction.busy}>
          Queue command
        </button>
        <button type="button" disabled={c.sendAction.busy} onClick={sendNow}>
          {c.sendAction.busy ? 'Waiting for the device…' : 'Send now'}
        </button>
      </div>
      <ActionStatus action={c.queueAction} />
      <ActionStatus action={c.sendAction} />
      {c.immediate ? <ImmediateResult r={c.immediate} /> : null}
    </Form>
  );
}

/** A command's examples and its properties form (generated from the JSON Schema). */
function CommandProperties(p: { cmd: CommandDefinition; props: ReturnType<typeof useSchemaValue> }) {
  return (
    <>
      {p.cmd.examples.length > 0 ? (
        <fieldset class="examples" aria-label="Examples">
          <span class="muted small">Examples:</span>
          {p.cmd.examples.map((ex) => (
            <button type="button" class="link" onClick={() => p.props.reset(ex)}>
              {JSON.stringify(ex)}
            </button>
          ))}
        </fieldset>
      ) : null}
      <SchemaForm
        key={`${p.cmd.name}-${p.props.generation}`}
        schema={p.cmd.schema}
        value={p.props.value}
        onChange={p.props.onChange}
        idBase={`cmd-${p.cmd.name}`}
        issues={p.props.issues}
        label="Properties"
      />
    </>
  );
}

function ImmediateResult(p: { r: CommandResult }) {
  return (
    <div class={`notice ${p.r.executed ? 'notice-ok' : 'notice-error'}`} role="status" data-testid="immediate-result">
      <strong>{p.r.executed ? 'Executed' : 'Not executed'}</strong> ({p.r.status}): <code class="wrap">{p.r.response || '(no answer)'}</code>
    </div>
  );
}

function QueueTable(p: { c: Commands }) {
  return (
    <>
      <h2>Queue</h2>
      <DataTable
        class="queue"
        columns={['Id', 'Command', 'Status', 'Expires']}
        actions
        rows={p.c.queue.data}
        error={p.c.queue.error}
        empty="Nothing waiting."
        row={(x) => (
          <tr key={x.id}>
            <td>{x.id}</td>
            <CommandCell command={x} />
            <StatusCell status={x.status} />
            <td>
              <Time ts={x.expire} />
            </td>
            <td>
              <button type="button" class="small-btn" onClick={() => p.c.cancel(x.id)} aria-label={`Cancel command ${x.id}`}>
                Cancel
              </button>
            </td>
          </tr>
        )}
      />
    </>
  );
}

function ResultsTable(p: { c: Commands }) {
  return (
    <>
      <h2>Results</h2>
      <DataTable
        class="results"
        columns={['Time', 'Command', 'Status', 'Response']}
        rows={p.c.results.data}
        error={p.c.results.error}
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
    </>
  );
}
