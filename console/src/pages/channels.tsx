import { useState } from 'preact/hooks';
import { ActionStatus, Badge, ErrorNotice, Time, useConfirm } from '../components.js';
import { useApp } from '../context.js';
import { fmtBytes } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import type { Channel, ChannelCreate, ConnectionRecord, Protocol } from '../types.js';

/** Channels (listeners per protocol and port) and their open connections, with kick. */
export function ChannelsPage() {
  const { api } = useApp();
  const [creating, setCreating] = useState(false);
  const channels = useLoad(() => api.list<Channel>('/gw/channels/all'), [api], 10000);
  const conns = useLoad(() => api.list<ConnectionRecord>('/gw/channels/all/connections'), [api], 2000);
  const action = useAction();
  const [ask, dialog] = useConfirm();
  const kick = async (c: ConnectionRecord) => {
    await action.run(async () => {
      await api.del(`/gw/channels/${c.channel_id}/connections/${encodeURIComponent(c.id)}`);
      return `Asked the listener to close ${c.ident ?? c.peer}.`;
    });
    conns.reload();
  };
  const remove = async (ch: Channel) => {
    const yes = await ask({ title: 'Delete the channel?', body: <p>The listener of <strong>{ch.name}</strong> on {ch.uri} stops and its devices are disconnected.</p>, confirm: 'Delete channel', danger: true });
    if (!yes) return;
    await action.run(async () => {
      await api.del(`/gw/channels/${ch.id}`);
      return `Channel ${ch.name} deleted.`;
    });
    channels.reload();
  };
  const count = (id: number) => (conns.data ?? []).filter((c) => c.channel_id === id).length;
  return (
    <section aria-labelledby="channels-title">
      <div class="page-head">
        <h1 id="channels-title">Channels</h1>
        <button type="button" class="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          {creating ? 'Close form' : 'New channel'}
        </button>
      </div>
      {creating ? <NewChannel onCreated={channels.reload} /> : null}
      <ActionStatus action={action} />
      <ErrorNotice error={channels.error} />
      <div class="table-wrap">
        <table class="channels">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Protocol</th>
              <th scope="col">Address</th>
              <th scope="col">Connections</th>
              <th scope="col">State</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(channels.data ?? []).map((ch) => (
              <tr key={ch.id}>
                <td>{ch.name}</td>
                <td>{ch.protocol_name}</td>
                <td class="mono">{ch.uri}</td>
                <td>{count(ch.id)}</td>
                <td>{ch.enabled ? <Badge kind="online">enabled</Badge> : <Badge kind="offline">disabled</Badge>}</td>
                <td>
                  <button type="button" class="small-btn" aria-label={`Delete channel ${ch.name}`} onClick={() => remove(ch)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {channels.data && channels.data.length === 0 ? (
              <tr>
                <td colSpan={6} class="muted">
                  No channels.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h2>Connections</h2>
      <ErrorNotice error={conns.error} />
      <div class="table-wrap">
        <table class="connections">
          <thead>
            <tr>
              <th scope="col">Ident</th>
              <th scope="col">Channel</th>
              <th scope="col">Peer</th>
              <th scope="col">Since</th>
              <th scope="col">Last active</th>
              <th scope="col">In / out</th>
              <th scope="col">Frames</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(conns.data ?? []).map((c) => (
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
            ))}
            {conns.data && conns.data.length === 0 ? (
              <tr>
                <td colSpan={8} class="muted">
                  No open connections.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {dialog}
    </section>
  );
}

function NewChannel(p: { onCreated(): void }) {
  const { api } = useApp();
  const protocols = useLoad(() => api.get<Protocol>('/gw/protocols'), [api]);
  const [name, setName] = useState('');
  const [protocol, setProtocol] = useState('teltonika');
  const [port, setPort] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: ChannelCreate = { name: name.trim() || protocol, protocol_name: protocol as ChannelCreate['protocol_name'], ...(port ? { configuration: { port: Number(port) } } : {}) };
    if (await action.run(async () => `Channel created on ${(await api.post<Channel>('/gw/channels', [body]))[0].uri}.`)) p.onCreated();
  };
  return (
    <form class="card form-grid" onSubmit={submit} aria-labelledby="new-channel-title" noValidate>
      <h2 id="new-channel-title">New channel</h2>
      <div class="field">
        <label for="channel-name">Name</label>
        <input id="channel-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="channel-protocol">Protocol</label>
        <select id="channel-protocol" value={protocol} onChange={(e) => setProtocol(e.currentTarget.value)}>
          {(protocols.data ?? [{ id: 0, name: 'teltonika' }]).map((pr) => (
            <option value={pr.name}>{pr.name}</option>
          ))}
        </select>
      </div>
      <div class="field narrow">
        <label for="channel-port">Port (empty: pick a free one)</label>
        <input id="channel-port" type="number" min={1} max={65535} value={port} onInput={(e) => setPort(e.currentTarget.value)} />
      </div>
      <ActionStatus action={action} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Create channel
        </button>
      </div>
    </form>
  );
}
