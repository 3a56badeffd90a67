import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ActionStatus, Badge, ConfirmButton, DataTable, Toolbar } from '../components.js';
import { useApp } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import { PluginForm } from '../plugins/form.js';
import type { Plugin, PluginAssignment } from '../types.js';

async function loadPlugins(api: Api): Promise<{ plugins: Plugin[]; devices: Map<number, number[]> }> {
  const [plugins, links] = await Promise.all([api.list<Plugin>('/gw/plugins/all'), api.list<PluginAssignment>('/gw/plugins/all/devices')]);
  const devices = new Map<number, number[]>();
  for (const l of links) devices.set(l.plugin_id, [...(devices.get(l.plugin_id) ?? []), l.device_id]);
  return { plugins, devices };
}

/** Plugins: the six types, created, edited and deleted here; assigned per device on the device's Plugins tab. */
export function PluginsPage() {
  const { api } = useApp();
  const data = useLoad(() => loadPlugins(api), [api]);
  const [editing, setEditing] = useState<Plugin | 'new' | undefined>();
  const action = useAction();
  const remove = async (p: Plugin) => {
    await action.run(async () => {
      await api.del(`/gw/plugins/${p.id}`);
      return `Plugin "${p.name}" deleted.`;
    });
    data.reload();
  };
  const done = (saved?: Plugin) => {
    setEditing(undefined);
    if (saved) void action.run(async () => `Plugin "${saved.name}" saved.`);
    data.reload();
  };
  const current = editing === 'new' ? undefined : editing;
  return (
    <section aria-labelledby="plugins-title">
      <div class="page-head">
        <h1 id="plugins-title">Plugins</h1>
        <button type="button" class="primary" disabled={editing !== undefined} onClick={() => setEditing('new')}>
          New plugin
        </button>
      </div>
      <p class="muted">
        Plugins change or drop a device's messages before they are stored, streamed or calculated, in the order they were assigned to the device (its Plugins
        tab).
      </p>
      {editing ? <PluginForm key={current?.id ?? 'new'} plugin={current} onDone={done} /> : null}
      <ActionStatus action={action} />
      <Toolbar onRefresh={data.reload}>
        <span class="muted small">{data.data ? `${data.data.plugins.length} plugins` : 'Loading…'}</span>
      </Toolbar>
      <DataTable
        class="plugins"
        columns={['Name', 'Type', 'Configuration', 'Enabled', 'Devices']}
        actions
        rows={data.data?.plugins}
        error={data.error}
        feature="Plugins"
        empty="No plugins yet."
        row={(x) => <PluginRow key={x.id} plugin={x} devices={data.data?.devices.get(x.id) ?? []} onEdit={() => setEditing(x)} onDelete={() => remove(x)} />}
      />
    </section>
  );
}

function PluginRow(p: { plugin: Plugin; devices: readonly number[]; onEdit(): void; onDelete(): void }) {
  const x = p.plugin;
  return (
    <tr>
      <td>{x.name}</td>
      <td>{x.type}</td>
      <td class="mono small wrap">{JSON.stringify(x.configuration)}</td>
      <td>{x.enabled ? <Badge kind="synced">enabled</Badge> : <Badge kind="neutral">disabled</Badge>}</td>
      <td>
        {p.devices.map((id, i) => (
          <>
            {i > 0 ? ', ' : ''}
            <a href={`#/devices/${id}/plugins`}>{id}</a>
          </>
        ))}
      </td>
      <td class="nowrap">
        <button type="button" class="small-btn" aria-label={`Edit plugin ${x.name}`} onClick={p.onEdit}>
          Edit
        </button>{' '}
        <ConfirmButton
          class="small-btn danger"
          label={`Delete plugin ${x.name}`}
          ask={{
            title: 'Delete the plugin?',
            body: <p>Plugin "{x.name}" is deleted and unassigned from its devices.</p>,
            confirm: 'Delete',
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
