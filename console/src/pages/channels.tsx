import { useState } from 'preact/hooks';
import { ActionStatus, Badge, ConfirmButton, DataTable, PageSection, Time } from '../components.js';
import { useApp } from '../context.js';
import { Form, FormFooter, InputField, SelectField } from '../fields.js';
import { fmtBytes } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import type { Channel, ChannelCreate, ConnectionRecord, Protocol } from '../types.js';

/** Channels (listeners per protocol and port) and their open connections, with kick. */
export function ChannelsPage() {
  const { api } = useApp();
  const channels = useLoad(() => api.list<Channel>('/gw/channels/all'), [api], 10000);
  const conns = useLoad(() => api.list<ConnectionRecord>('/gw/channels/all/connections'), [api], 2000);
  const action = useAction();
  const kick = async (c: ConnectionRecord) => {
    await action.run(async () => {
      await api.del(`/gw/channels/${c.channel_id}/connections/${encodeURIComponent(c.id)}`);
      return `Asked the listener to close ${c.ident ?? c.peer}.`;
    });
    conns.reload();
  };
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
        class="channels"
        columns={['Name', 'Protocol', 'Address', 'Connections', 'State']}
        actions
        rows={channels.data}
        error={channels.error}
        empty="No channels."
        row={(ch) => (
          <tr key={ch.id}>
            <td>{ch.name}</td>
            <td>{ch.protocol_name}</td>
            <td class="mono">{ch.uri}</td>
            <td>{count(ch.id)}</td>
            <td>{ch.enabled ? <Badge kind="online">enabled</Badge> : <Badge kind="offline">disabled</Badge>}</td>
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
                onConfirm={() => remove(ch)}
              >
                Delete
              </ConfirmButton>
            </td>
          </tr>
        )}
      />
      <h2>Connections</h2>
      <DataTable
        class="connections"
        columns={['Ident', 'Channel', 'Peer', 'Since', 'Last active', 'In / out', 'Frames']}
        actions
        rows={conns.data}
        error={conns.error}
        empty="No open connections."
        row={(c) => (
          <tr key={c.id} data-ident={c.ident ?? ''}>
            <td class="mono">{c.ident ?? <span class="muted">not identified</span>}</td>
            <td>{channels.data?.find((ch) => ch.id === c.channel_id)?.name ?? c.channel_id}</td>
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
    </PageSection>
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
