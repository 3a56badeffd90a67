import { useState } from 'preact/hooks';
import { ActionStatus, Badge, ConfirmButton, DataTable, PageSection, Time } from '../components.js';
import { useApp } from '../context.js';
import { Form, FormFooter, InputField, SelectField } from '../fields.js';
import { fmtBytes, fmtTime } from '../format.js';
import { type Loaded, useAction, useLoad } from '../hooks.js';
import type { Channel, ChannelCreate, ChannelView, ConnectionRecord, Protocol } from '../types.js';

type ChannelRow = Channel & { readonly status?: ChannelView['status'] };

const CHANNEL_COLUMNS = ['Name', 'Protocol', 'Address', 'Connections', 'State'] as const;

/** Channels (listeners per protocol and port) with their listening state, and their open connections, with kick. */
export function ChannelsPage() {
  const { api } = useApp();
  const channels = useLoad(() => api.list<ChannelRow>('/gw/channels/all'), [api], 10000);
  const conns = useLoad(() => api.list<ConnectionRecord>('/gw/channels/all/connections'), [api], 2000);
  const action = useAction();
  const remove = async (ch: Channel) => {
    await action.run(async () => {
      await api.del(`/gw/channels/${ch.id}`);
      return `Channel ${ch.name} deleted.`;
    });
    channels.reload();
  };
  const count = (id: number) => (conns.data ?? []).filter((c) => c.channel_id === id).length;
  return (
    <PageSection id="channels" title="Channels" create={{ label: 'New channel', form: <NewChannel onCreated={channels.reload} /> }}>
      <ActionStatus action={action} />
      <DataTable
        class="channels stack-narrow"
        columns={CHANNEL_COLUMNS}
        actions
        rows={channels.data}
        error={channels.error}
        empty="No channels."
        row={(ch) => <ChannelLine key={ch.id} channel={ch} connections={count(ch.id)} onDelete={() => remove(ch)} />}
      />
      <h2>Connections</h2>
      <Connections channels={channels.data} conns={conns} />
    </PageSection>
  );
}

/** One channel; on narrow screens its cells stack under their column names (`data-label`). */
function ChannelLine(p: { channel: ChannelRow; connections: number; onDelete(): unknown }) {
  const ch = p.channel;
  const [name, protocol, address, connections, state] = CHANNEL_COLUMNS;
  return (
    <tr data-channel={ch.name}>
      <td data-label={name}>{ch.name}</td>
      <td data-label={protocol}>{ch.protocol_name}</td>
      <td data-label={address} class="mono">
        {ch.uri}
      </td>
      <td data-label={connections}>{p.connections}</td>
      <td data-label={state}>
        <ChannelState channel={ch} />
      </td>
      <td>
        <ConfirmButton
          class="small-btn"
          label={`Delete channel ${ch.name}`}
          ask={{
            title: 'Delete the channel?',
            body: (
              <p>
                The listener of <strong>{ch.name}</strong> on {ch.uri} stops and its devices are disconnected.
              </p>
            ),
            confirm: 'Delete channel',
            danger: true,
          }}
          onConfirm={p.onDelete}
        >
          Delete
        </ConfirmButton>
      </td>
    </tr>
  );
}

/** Disabled, listening (since when), or why the listener does not serve it (since when). */
function ChannelState(p: { channel: ChannelRow }) {
  const { enabled, status } = p.channel;
  if (!enabled) return <Badge kind="offline">disabled</Badge>;
  if (!status) return <Badge kind="online">enabled</Badge>; // a hub that does not report listener status
  if (status.listening)
    return (
      <Badge kind="online" title={status.since ? `since ${fmtTime(status.since)}` : undefined}>
        listening
      </Badge>
    );
  return (
    <div class="channel-error">
      <Badge kind="failed">not listening</Badge>
      <div class="reason">{status.error ?? 'not listening'}</div>
      {status.since ? (
        <div class="muted small">
          since <Time ts={status.since} />
        </div>
      ) : null}
    </div>
  );
}

function Connections(p: { channels: readonly Channel[] | undefined; conns: Loaded<ConnectionRecord[]> }) {
  const { api } = useApp();
  const action = useAction();
  const kick = async (c: ConnectionRecord) => {
    await action.run(async () => {
      await api.del(`/gw/channels/${c.channel_id}/connections/${encodeURIComponent(c.id)}`);
      return `Asked the listener to close ${c.ident ?? c.peer}.`;
    });
    p.conns.reload();
  };
  return (
    <>
      <ActionStatus action={action} />
      <DataTable
        class="connections"
        columns={['Ident', 'Channel', 'Peer', 'Since', 'Last active', 'In / out', 'Frames']}
        actions
        rows={p.conns.data}
        error={p.conns.error}
        empty="No open connections."
        row={(c) => (
          <tr key={c.id} data-ident={c.ident ?? ''}>
            <td class="mono">{c.ident ?? <span class="muted">not identified</span>}</td>
            <td>{p.channels?.find((ch) => ch.id === c.channel_id)?.name ?? c.channel_id}</td>
            <td class="mono">{c.peer}</td>
            <td>
              <Time ts={c.established} />
            </td>
            <td>
              <Time ts={c.last_active} />
            </td>
            <td>
              {fmtBytes(c.bytes_in)} / {fmtBytes(c.bytes_out)}
            </td>
            <td>{c.frames_in}</td>
            <td>
              <button type="button" class="small-btn danger" aria-label={`Kick ${c.ident ?? c.peer}`} onClick={() => kick(c)}>
                Kick
              </button>
            </td>
          </tr>
        )}
      />
    </>
  );
}

function NewChannel(p: { onCreated(): void }) {
  const { api } = useApp();
  const protocols = useLoad(() => api.get<Protocol>('/gw/protocols'), [api]);
  const [name, setName] = useState('');
  const [protocol, setProtocol] = useState('teltonika');
  const [port, setPort] = useState('');
  const action = useAction();
  const submit = async () => {
    const body: ChannelCreate = {
      name: name.trim() || protocol,
      protocol_name: protocol as ChannelCreate['protocol_name'],
      ...(port ? { configuration: { port: Number(port) } } : {}),
    };
    if (await action.run(async () => `Channel created on ${(await api.post<Channel>('/gw/channels', [body]))[0].uri}.`)) p.onCreated();
  };
  return (
    <Form class="card form-grid" onSubmit={submit} heading="New channel" headingId="new-channel-title">
      <InputField id="channel-name" label="Name" value={name} onValue={setName} />
      <SelectField id="channel-protocol" label="Protocol" value={protocol} onValue={setProtocol}>
        {(protocols.data ?? [{ id: 0, name: 'teltonika' }]).map((pr) => (
          <option value={pr.name}>{pr.name}</option>
        ))}
      </SelectField>
      <InputField id="channel-port" label="Port (empty: pick a free one)" width="narrow" type="number" min={1} max={65535} value={port} onValue={setPort} />
      <FormFooter action={action} submit="Create channel" />
    </Form>
  );
}
