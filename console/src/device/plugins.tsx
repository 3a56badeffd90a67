import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ActionStatus, DataTable, ErrorNotice, Notice } from '../components.js';
import { useApp } from '../context.js';
import { fmtTime } from '../format.js';
import { type Loaded, useAction, useLoad } from '../hooks.js';
import type { PreviewResult } from '../plugins/preview.js';
import type { Device, Geofence, Message, Plugin, PluginAssignment } from '../types.js';

interface DevicePlugins {
  /** The device's plugins in assignment order (the order they apply in). */
  readonly chain: Plugin[];
  readonly all: Plugin[];
}

async function loadDevicePlugins(api: Api, deviceId: number): Promise<DevicePlugins> {
  const [all, links] = await Promise.all([api.list<Plugin>('/gw/plugins/all'), api.list<PluginAssignment>(`/gw/devices/${deviceId}/plugins`)]);
  const byId = new Map(all.map((p) => [p.id, p]));
  const chain = links.map((l) => byId.get(l.plugin_id)).filter((p): p is Plugin => p !== undefined);
  return { chain, all };
}

/** A device's plugins in the order they apply (assign, unassign) and a preview of what they do to a recent message. */
export function PluginsTab(p: { device: Device }) {
  const { api } = useApp();
  const data = useLoad(() => loadDevicePlugins(api, p.device.id), [api, p.device.id]);
  return (
    <div>
      <PluginChain device={p.device} data={data} />
      {data.data ? <PluginPreview device={p.device} chain={data.data.chain} /> : null}
    </div>
  );
}

function PluginChain(p: { device: Device; data: Loaded<DevicePlugins> }) {
  const { api } = useApp();
  const action = useAction();
  const [pick, setPick] = useState('');
  const chain = p.data.data?.chain;
  const free = (p.data.data?.all ?? []).filter((x) => !chain?.some((c) => c.id === x.id));
  const change = async (plugin: Plugin, on: boolean) => {
    await action.run(async () => {
      if (on) await api.post(`/gw/plugins/${plugin.id}/devices/${p.device.id}`);
      else await api.del(`/gw/plugins/${plugin.id}/devices/${p.device.id}`);
      return on ? `Plugin "${plugin.name}" assigned: it applies after the ones above.` : `Plugin "${plugin.name}" unassigned.`;
    });
    setPick('');
    p.data.reload();
  };
  const chosen = free.find((x) => String(x.id) === pick);
  return (
    <section aria-labelledby="device-plugins-title">
      <h2 id="device-plugins-title">Plugins, in the order they apply</h2>
      <DataTable
        class="device-plugins"
        columns={['#', 'Name', 'Type', 'Configuration']}
        actions
        rows={chain}
        error={p.data.error}
        feature="Plugins"
        empty={
          <>
            No plugins assigned. Create them on the <a href="#/plugins">Plugins page</a>.
          </>
        }
        row={(x, i) => (
          <tr key={x.id}>
            <td>{i + 1}</td>
            <td>
              {x.name}
              {x.enabled ? '' : <span class="muted small"> (disabled)</span>}
            </td>
            <td>{x.type}</td>
            <td class="mono small wrap">{JSON.stringify(x.configuration)}</td>
            <td>
              <button type="button" class="small-btn" aria-label={`Unassign plugin ${x.name}`} onClick={() => change(x, false)}>
                Unassign
              </button>
            </td>
          </tr>
        )}
      />
      <div class="toolbar">
        <label for="assign-plugin">Assign a plugin</label>
        <select id="assign-plugin" value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
          <option value="">— choose —</option>
          {free.map((x) => (
            <option value={String(x.id)}>
              {x.name} ({x.type})
            </option>
          ))}
        </select>
        <button type="button" disabled={!chosen || action.busy} onClick={() => chosen && change(chosen, true)}>
          Assign
        </button>
      </div>
      <ActionStatus action={action} feature="Plugins" />
    </section>
  );
}

interface PreviewData {
  readonly messages: Message[];
  readonly geofences: Geofence[];
}

async function loadPreviewData(api: Api, deviceId: number): Promise<PreviewData> {
  const [messages, geofences] = await Promise.all([
    api.get<Message>(`/gw/devices/${deviceId}/messages`, { reverse: true, count: 20 }),
    api.list<Geofence>('/gw/geofences/all'),
  ]);
  return { messages, geofences };
}

/** Runs the hub's plugin code (loaded on demand) on the chosen message with the one before it as `previous`. */
function usePreview(device: Device, chain: readonly Plugin[], data: PreviewData | undefined, index: number) {
  const [result, setResult] = useState<PreviewResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const message = data?.messages[index];
    if (!data || !message) return setResult(undefined);
    let alive = true;
    import('../plugins/preview.js').then(
      (mod) => {
        if (!alive) return;
        const input = { plugins: chain, message, previous: data.messages[index + 1], metadata: device.metadata, geofences: data.geofences };
        setResult(mod.previewPlugins(input));
        setError(undefined);
      },
      (err: unknown) => alive && setError(String(err)),
    );
    return () => {
      alive = false;
    };
  }, [device, chain, data, index]);
  return { result, error };
}

function PluginPreview(p: { device: Device; chain: readonly Plugin[] }) {
  const { api } = useApp();
  const data = useLoad(() => loadPreviewData(api, p.device.id), [api, p.device.id]);
  const [index, setIndex] = useState(0);
  const { result, error } = usePreview(p.device, p.chain, data.data, index);
  const messages = data.data?.messages ?? [];
  const message = messages[index];
  return (
    <section aria-labelledby="plugin-preview-title">
      <h2 id="plugin-preview-title">Preview</h2>
      <p class="muted small">
        The hub's plugin code run here on a stored message (already as the plugins of its time left it), with the message before it as the previous one.
      </p>
      <ErrorNotice error={data.error} />
      {messages.length === 0 && data.data ? <Notice>No messages stored yet: nothing to preview.</Notice> : null}
      {messages.length > 0 ? (
        <div class="toolbar">
          <label for="preview-message">Message</label>
          <select id="preview-message" value={String(index)} onChange={(e) => setIndex(Number(e.currentTarget.value))}>
            {messages.map((m, i) => (
              <option value={String(i)}>
                {fmtTime(m.timestamp)} · {Object.keys(m).length} parameters
              </option>
            ))}
          </select>
          <button type="button" onClick={data.reload}>
            Reload messages
          </button>
        </div>
      ) : null}
      {error ? <Notice kind="error">The preview could not load: {error}</Notice> : null}
      {message && result ? <PreviewOutcome message={message} result={result} /> : null}
    </section>
  );
}

/** What the plugins did: dropped (by which and why), or the parameters added, changed and removed. */
function PreviewOutcome(p: { message: Message; result: PreviewResult }) {
  const r = p.result;
  const skipped = r.skipped.length > 0 ? <Notice kind="warn">Skipped (no longer valid): {r.skipped.join('; ')}</Notice> : null;
  if (r.kind === 'dropped') {
    return (
      <div data-testid="plugin-preview">
        {skipped}
        <Notice kind="warn">
          This message would be dropped by {r.plugin}: {r.reason}
        </Notice>
      </div>
    );
  }
  const before = p.message;
  const after = r.message;
  const changes = [
    ...Object.keys(after)
      .filter((k) => !(k in before) || JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => `${k in before ? '~' : '+'} ${k}: ${JSON.stringify(after[k])}`),
    ...Object.keys(before)
      .filter((k) => !(k in after))
      .map((k) => `- ${k}`),
  ];
  return (
    <div data-testid="plugin-preview">
      {skipped}
      <p>
        <strong>This message would become:</strong> {changes.length === 0 ? 'unchanged' : `${changes.length} change${changes.length === 1 ? '' : 's'}`}
      </p>
      {changes.length > 0 ? (
        <pre class="diff" data-testid="plugin-preview-changes">
          {changes.join('\n')}
        </pre>
      ) : null}
      <details class="json">
        <summary>Whole message after the plugins</summary>
        <pre>{JSON.stringify(after, null, 2)}</pre>
      </details>
    </div>
  );
}
