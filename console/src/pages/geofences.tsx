import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ActionStatus, Badge, ConfirmButton, DataTable, Toolbar } from '../components.js';
import { useApp } from '../context.js';
import { GeofenceEditor, GeofenceMapView } from '../geo/editor.js';
import { useAction, useLoad } from '../hooks.js';
import type { Device, DeviceInside, Geofence } from '../types.js';

interface GeofenceData {
  readonly geofences: Geofence[];
  /** Device names inside each geofence now, by geofence id. */
  readonly inside: Map<number, string[]>;
}

async function loadGeofences(api: Api): Promise<GeofenceData> {
  const [geofences, inside, devices] = await Promise.all([
    api.list<Geofence>('/gw/geofences/all'),
    api.list<DeviceInside>('/gw/geofences/all/devices'),
    api.list<Device>('/gw/devices/all', { fields: 'id,name' }),
  ]);
  const names = new Map(devices.map((d) => [d.id, d.name]));
  const byFence = new Map<number, string[]>();
  for (const row of inside) byFence.set(row.geofence_id, [...(byFence.get(row.geofence_id) ?? []), names.get(row.device_id) ?? `#${row.device_id}`]);
  return { geofences, inside: byFence };
}

function sizeOf(g: Geofence): string {
  const geo = g.geometry;
  if (geo.type === 'circle') return `r ${geo.radius} km`;
  if (geo.type === 'polygon') return `${geo.path.length} points`;
  return `${geo.path.length} points, ${geo.width} km wide`;
}

/** Geofences: listed with the devices inside them now; created and edited on the map. */
export function GeofencesPage() {
  const { api } = useApp();
  const data = useLoad(() => loadGeofences(api), [api], 10_000);
  const [editing, setEditing] = useState<Geofence | 'new' | undefined>();
  const action = useAction();
  const list = data.data?.geofences;
  const remove = async (g: Geofence) => {
    await action.run(async () => {
      await api.del(`/gw/geofences/${g.id}`);
      return `Geofence "${g.name}" deleted.`;
    });
    data.reload();
  };
  const done = (saved?: Geofence) => {
    setEditing(undefined);
    if (saved) void action.run(async () => `Geofence "${saved.name}" saved.`);
    data.reload();
  };
  const current = editing === 'new' ? undefined : editing;
  return (
    <section aria-labelledby="geofences-title">
      <div class="page-head">
        <h1 id="geofences-title">Geofences</h1>
        <button type="button" class="primary" disabled={editing !== undefined} onClick={() => setEditing('new')}>
          New geofence
        </button>
      </div>
      {editing ? (
        <GeofenceEditor key={current?.id ?? 'new'} geofence={current} others={(list ?? []).filter((g) => g.id !== current?.id)} onDone={done} />
      ) : null}
      <ActionStatus action={action} />
      {!editing && list && list.length > 0 ? <GeofenceMapView others={list} /> : null}
      <Toolbar onRefresh={data.reload}>
        <span class="muted small">{list ? `${list.length} geofences` : 'Loading…'}</span>
      </Toolbar>
      <DataTable
        class="geofences"
        columns={['Name', 'Shape', 'Priority', 'Enabled', 'Devices inside now']}
        actions
        rows={list}
        error={data.error}
        feature="Geofences"
        empty="No geofences yet. Press “New geofence” and draw one on the map."
        row={(g) => (
          <tr key={g.id}>
            <td>{g.name}</td>
            <td>
              {g.geometry.type} <span class="muted small">{sizeOf(g)}</span>
            </td>
            <td>{g.priority}</td>
            <td>{g.enabled ? <Badge kind="synced">enabled</Badge> : <Badge kind="neutral">disabled</Badge>}</td>
            <td data-testid={`inside-${g.id}`}>{data.data?.inside.get(g.id)?.join(', ') ?? <span class="muted">none</span>}</td>
            <td class="nowrap">
              <button type="button" class="small-btn" aria-label={`Edit geofence ${g.name}`} onClick={() => setEditing(g)}>
                Edit
              </button>{' '}
              <ConfirmButton
                class="small-btn danger"
                label={`Delete geofence ${g.name}`}
                ask={{
                  title: 'Delete the geofence?',
                  body: <p>Geofence "{g.name}" is deleted; plugins and calculators stop seeing it.</p>,
                  confirm: 'Delete',
                  danger: true,
                }}
                onConfirm={() => remove(g)}
              >
                Delete
              </ConfirmButton>
            </td>
          </tr>
        )}
      />
    </section>
  );
}
