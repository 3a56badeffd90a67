import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ActionStatus, Ago, Badge, ConfirmButton, DataTable, ErrorNotice, JsonDetails, Notice, PageSection, Time } from '../components.js';
import { useApp } from '../context.js';
import { Form, FormFooter, InputField, SelectField, TextAreaField } from '../fields.js';
import { fmtDuration, parseJsonObject } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import {
  type Device,
  type DroppedRow,
  STREAM_TYPES,
  type StreamCreate,
  type StreamLogEntry,
  type StreamTypeName,
  type StreamWithStatus,
  type Subscription,
} from '../types.js';

const TEMPLATES: Record<StreamTypeName, object> = {
  http: { uri: 'https://example.com/telematics' },
  mqtt: { uri: 'mqtt://broker:1883', topic: 'telematics/%ident%', commands_topic: 'telematics/%ident%/commands' },
  wialon_retranslator: { uri: 'tcp://wialon.example.com:20163' },
  aws_iot: { endpoint: 'https://xxxx-ats.iot.eu-west-1.amazonaws.com', region: 'eu-west-1', topic: 'telematics/%ident%' },
  thingsboard: { uri: 'mqtt://thingsboard:1883', access_token: '', device_name: '%ident%' },
};

/** Streams: delivery status (last delivery, lag, buffered, errors), per-batch logs, subscriptions, dropped batches and replay. */
export function StreamsPage() {
  const { api } = useApp();
  const streams = useLoad(() => api.list<StreamWithStatus>('/gw/streams/all'), [api], 3000);
  const unavailable = streams.error instanceof ApiError && streams.error.noRoute;
  return (
    <PageSection
      id="streams"
      title="Streams"
      create={{ label: 'New stream', disabled: unavailable, form: <NewStream onCreated={streams.reload} /> }}
      intro={
        <p class="muted small">
          Streams forward device messages to other platforms (HTTP, MQTT, Wialon retranslator, AWS IoT, ThingsBoard) and bring their commands back.
        </p>
      }
    >
      <DataTable
        class="streams"
        columns={['Name', 'Type', 'Last delivery', 'Lag', 'Buffered', 'Delivered', 'Errors', 'Dropped']}
        actions
        rows={streams.data}
        error={streams.error}
        feature="Streams"
        empty="No streams."
        row={(s) => <StreamRow key={s.id} stream={s} onChanged={streams.reload} />}
      />
    </PageSection>
  );
}

function num(v: unknown): string {
  return typeof v === 'number' ? String(v) : '—';
}

function StreamRow(p: { stream: StreamWithStatus; onChanged(): void }) {
  const s = p.stream;
  const [open, setOpen] = useState(false);
  return (
    <Fragment>
      <tr data-stream={s.name}>
        <StreamCells stream={s} />
        <td class="nowrap">
          <button type="button" class="small-btn" aria-expanded={open} aria-label={`Details of stream ${s.name}`} onClick={() => setOpen(!open)}>
            {open ? 'Hide' : 'Details'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr class="edit-row">
          <td colSpan={9}>
            <StreamDetails stream={s} onChanged={p.onChanged} />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

/** A stream's name, type and delivery status cells. */
function StreamCells(p: { stream: StreamWithStatus }) {
  const s = p.stream;
  const st = s.status;
  return (
    <>
      <td>
        {s.name} {s.enabled ? null : <Badge kind="offline">disabled</Badge>}
      </td>
      <td>{s.protocol_name}</td>
      <td>
        <Ago ts={st?.last_delivery} />
      </td>
      <td>{typeof st?.lag === 'number' ? fmtDuration(st.lag) : '—'}</td>
      <td title="batches / messages">
        {num(st?.buffered)} / {num(st?.buffered_messages)}
      </td>
      <td>{num(st?.delivered_messages)}</td>
      <td>
        {st && st.errors > 0 ? <Badge kind="failed">{st.errors}</Badge> : num(st?.errors)} <span class="muted small">({num(st?.errors_total)} total)</span>
      </td>
      <td>{st && st.dropped > 0 ? <Badge kind="failed">{st.dropped}</Badge> : num(st?.dropped)}</td>
    </>
  );
}

/** An opened stream: its last error, enable/disable and delete, logs, subscriptions, dropped batches and JSON. */
function StreamDetails(p: { stream: StreamWithStatus; onChanged(): void }) {
  const { api } = useApp();
  const s = p.stream;
  const st = s.status;
  const action = useAction();
  const remove = async () => {
    await action.run(async () => {
      await api.del(`/gw/streams/${s.id}`);
    });
    p.onChanged();
  };
  const toggleEnabled = async () => {
    await action.run(async () => {
      await api.put(`/gw/streams/${s.id}`, { enabled: !s.enabled });
      return s.enabled ? 'Stream disabled.' : 'Stream enabled.';
    });
    p.onChanged();
  };
  return (
    <>
      {st?.last_error ? (
        <Notice kind="error">
          Last error: {st.last_error}
          {st.next_attempt ? (
            <>
              {' '}
              · next attempt <Ago ts={st.next_attempt} />
            </>
          ) : null}
        </Notice>
      ) : null}
      <div class="actions">
        <button type="button" onClick={toggleEnabled} disabled={action.busy}>
          {s.enabled ? 'Disable' : 'Enable'}
        </button>
        <ConfirmButton
          class="danger"
          disabled={action.busy}
          ask={{
            title: 'Delete the stream?',
            body: (
              <p>
                Stream <strong>{s.name}</strong> stops; its subscriptions and buffered messages are discarded.
              </p>
            ),
            confirm: 'Delete stream',
            danger: true,
          }}
          onConfirm={remove}
        >
          Delete stream…
        </ConfirmButton>
      </div>
      <ActionStatus action={action} />
      <div class="grid-2">
        <StreamLogs id={s.id} />
        <div>
          <Subscriptions id={s.id} />
          <Dropped id={s.id} onChanged={p.onChanged} />
        </div>
      </div>
      <JsonDetails
        summary="Configuration and status (JSON)"
        value={{ configuration: s.configuration, queue_ttl: s.queue_ttl, validate_message: s.validate_message, status: s.status }}
      />
    </>
  );
}

function StreamLogs(p: { id: number }) {
  const { api } = useApp();
  const logs = useLoad(
    async () => (await api.get<StreamLogEntry>(`/gw/streams/${p.id}/logs`, { count: 100 })).sort((a, b) => b.timestamp - a.timestamp),
    [api, p.id],
    3000,
  );
  return (
    <div>
      <h3>Batches</h3>
      <DataTable
        class="stream-logs"
        columns={['Time', 'Read', 'Skipped', 'Accepted', 'Rejected', 'Ack']}
        rows={logs.data}
        error={logs.error}
        feature="Stream logs"
        empty="No batches yet."
        row={(l, i) => (
          <tr key={`${l.batch_id}-${i}`} title={l.error}>
            <td>
              <Time ts={l.timestamp} />
              {l.error ? <div class="small reason">{l.error}</div> : null}
            </td>
            <td>{l.read}</td>
            <td>{l.skipped}</td>
            <td>{l.accepted}</td>
            <td>{l.rejected > 0 ? <Badge kind="failed">{l.rejected}</Badge> : l.rejected}</td>
            <td>{l.ack_latency} ms</td>
          </tr>
        )}
      />
    </div>
  );
}

function Subscriptions(p: { id: number }) {
  const { api } = useApp();
  const subs = useLoad(
    async () => {
      const [list, devices] = await Promise.all([
        api.list<Subscription>(`/gw/streams/${p.id}/devices`),
        api.list<Device>('/gw/devices/all').catch(() => [] as Device[]),
      ]);
      return list.map((s) => ({ id: s.id, device: devices.find((d) => d.id === s.id) }));
    },
    [api, p.id],
    5000,
  );
  const [sel, setSel] = useState('');
  const action = useAction();
  const add = async () => {
    const target = sel.trim();
    if (!target) return;
    const ok = await action.run(async () => {
      await api.post(`/gw/streams/${p.id}/devices/${encodeURIComponent(target)}`);
      return `Subscribed ${target}.`;
    });
    if (ok) setSel('');
    subs.reload();
  };
  const drop = async (id: number) => {
    await action.run(async () => {
      await api.del(`/gw/streams/${p.id}/devices/${id}`);
    });
    subs.reload();
  };
  return (
    <div>
      <h3>Subscribed devices</h3>
      <ErrorNotice error={subs.error} feature="Subscriptions" />
      <ul class="plain subscriptions">
        {(subs.data ?? []).map((s) => (
          <li key={s.id}>
            {s.device ? s.device.name : `Device ${s.id}`} <span class="mono muted">{s.device?.configuration.ident}</span>{' '}
            <button type="button" class="small-btn" aria-label={`Unsubscribe device ${s.device?.name ?? s.id}`} onClick={() => drop(s.id)}>
              Remove
            </button>
          </li>
        ))}
        {subs.data && subs.data.length === 0 ? <li class="muted">None.</li> : null}
      </ul>
      <Form class="inline-form" onSubmit={add}>
        <InputField id={`sub-${p.id}`} label="Subscribe devices (ids or selector)" value={sel} placeholder="12,13 or name=truck*" onValue={setSel} />
        <button type="submit" disabled={action.busy} class="field-btn">
          Subscribe
        </button>
      </Form>
      <ActionStatus action={action} />
    </div>
  );
}

function Dropped(p: { id: number; onChanged(): void }) {
  const { api } = useApp();
  const dropped = useLoad(() => api.list<DroppedRow>(`/gw/streams/${p.id}/dropped`), [api, p.id], 5000);
  const action = useAction();
  const replay = async (batches?: string[]) => {
    await action.run(async () => {
      const r = await api.post<{ batch_id: string; messages: number }>(`/gw/streams/${p.id}/dropped/replay`, batches ? { batches } : undefined);
      return `Replaying ${r.length} batch(es), ${r.reduce((n, b) => n + b.messages, 0)} messages.`;
    });
    dropped.reload();
    p.onChanged();
  };
  const discard = async () => {
    await action.run(async () => {
      await api.del(`/gw/streams/${p.id}/dropped`);
      return 'Dropped batches discarded.';
    });
    dropped.reload();
    p.onChanged();
  };
  const rows = dropped.data ?? [];
  return (
    <div>
      <h3>Dropped batches</h3>
      <p class="muted small">Batches the target did not accept within queue_ttl; kept so they can be sent again.</p>
      <ErrorNotice error={dropped.error} feature="Dropped batches" />
      {rows.length > 0 ? (
        <DataTable
          class="dropped"
          columns={['Dropped', 'Messages', 'Reason']}
          actions
          rows={rows}
          row={(b) => (
            <tr key={b.batchId}>
              <td>
                <Time ts={b.dropped} />
              </td>
              <td>{b.messages}</td>
              <td class="small wrap">{b.reason}</td>
              <td>
                <button type="button" class="small-btn" aria-label={`Replay batch ${b.batchId}`} onClick={() => replay([b.batchId])}>
                  Replay
                </button>
              </td>
            </tr>
          )}
        />
      ) : dropped.data ? (
        <p class="muted">Nothing dropped.</p>
      ) : null}
      <div class="actions">
        <button type="button" onClick={() => replay()} disabled={action.busy || rows.length === 0}>
          Replay all dropped
        </button>
        <ConfirmButton
          class="danger"
          disabled={action.busy || rows.length === 0}
          ask={{
            title: 'Discard dropped batches?',
            body: <p>The dropped messages of this stream are deleted and can no longer be replayed.</p>,
            confirm: 'Discard',
            danger: true,
          }}
          onConfirm={discard}
        >
          Discard…
        </ConfirmButton>
      </div>
      <ActionStatus action={action} feature="Replay" />
    </div>
  );
}

function NewStream(p: { onCreated(): void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [type, setType] = useState<StreamTypeName>('http');
  const [config, setConfig] = useState(JSON.stringify(TEMPLATES.http, null, 1));
  const [queueTtl, setQueueTtl] = useState('');
  const [filter, setFilter] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();
  const submit = async () => {
    const configuration = parseJsonObject(config);
    if (!configuration) return setProblem('Configuration must be a JSON object.');
    if (!name.trim()) return setProblem('Name is required.');
    setProblem(undefined);
    const body: StreamCreate = {
      name: name.trim(),
      protocol_name: type,
      configuration,
      ...(queueTtl ? { queue_ttl: Number(queueTtl) } : {}),
      ...(filter.trim() ? { validate_message: filter.trim() } : {}),
    };
    const ok = await action.run(async () => `Stream created (id ${(await api.post<StreamWithStatus>('/gw/streams', [body]))[0].id}).`);
    if (ok) p.onCreated();
  };
  return (
    <Form class="card form-grid" onSubmit={submit} heading="New stream" headingId="new-stream-title">
      <InputField id="stream-name" label="Name" value={name} onValue={setName} />
      <SelectField
        id="stream-type"
        label="Type"
        value={type}
        onValue={(v) => {
          const t = v as StreamTypeName;
          setType(t);
          setConfig(JSON.stringify(TEMPLATES[t], null, 1));
        }}
      >
        {STREAM_TYPES.map((t) => (
          <option value={t}>{t}</option>
        ))}
      </SelectField>
      <TextAreaField id="stream-config" label="Configuration (JSON)" width="wide" rows={5} value={config} onValue={setConfig} />
      <InputField id="stream-filter" label="Only messages matching (filter)" value={filter} placeholder="position.speed>0" onValue={setFilter} />
      <InputField id="stream-ttl" label="Queue TTL (s)" type="number" min={60} value={queueTtl} placeholder="86400" onValue={setQueueTtl} />
      <FormFooter action={action} feature="Streams" problem={problem} submit="Create stream" />
    </Form>
  );
}
