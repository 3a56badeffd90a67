import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ActionStatus, Ago, Badge, ErrorNotice } from '../components.js';
import { useApp } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import { href } from '../router.js';
import type { ConnectionRecord, Device, DeviceCreate, DeviceType, TelemetryRow } from '../types.js';

/** Printable ASCII without spaces, `#`, `+` or `/` (the hub's ident rule). */
export function identProblem(ident: string): string | undefined {
  if (ident === '') return 'Ident is required.';
  if (ident.length > 64) return 'Ident is at most 64 characters.';
  if (!/^[\x21-\x7e]+$/.test(ident) || /[#+/]/.test(ident)) return 'Ident must be printable ASCII without spaces, "#", "+" or "/".';
  return undefined;
}

export interface DeviceOverview {
  readonly devices: Device[];
  /** Idents with an open connection; undefined when the token may not read connections. */
  readonly online: Set<string> | undefined;
  readonly lastMessage: Map<number, number>;
}

/** Devices with their online state (from channel connections) and last message time (telemetry). */
export async function loadOverview(api: ReturnType<typeof useApp>['api'], selector = 'all'): Promise<DeviceOverview> {
  const [devices, conns, tele] = await Promise.all([
    api.list<Device>(`/gw/devices/${selector}`),
    api.list<ConnectionRecord>('/gw/channels/all/connections').catch((err: unknown) => {
      if (err instanceof ApiError && (err.forbidden || err.noRoute)) return undefined;
      throw err;
    }),
    api.list<TelemetryRow>(`/gw/devices/${selector}/telemetry/timestamp`).catch(() => [] as TelemetryRow[]),
  ]);
  const lastMessage = new Map<number, number>();
  for (const t of tele) {
    const v = t.telemetry?.timestamp?.value;
    if (typeof v === 'number') lastMessage.set(t.id, v);
  }
  return { devices, online: conns ? new Set(conns.map((c) => c.ident).filter((i): i is string => !!i)) : undefined, lastMessage };
}

export function OnlineBadge(p: { online: Set<string> | undefined; ident: string }) {
  if (!p.online) return <Badge kind="unknown" title="This token may not read channel connections">unknown</Badge>;
  return p.online.has(p.ident) ? <Badge kind="online">online</Badge> : <Badge kind="offline">offline</Badge>;
}

export function typeName(types: readonly DeviceType[], id: number | null | undefined): string {
  if (id === null || id === undefined) return '—';
  return types.find((t) => t.id === id)?.name ?? `#${id}`;
}

export function DevicesPage() {
  const { api, deviceTypes } = useApp();
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const data = useLoad(() => loadOverview(api), [api], 5000);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = data.data?.devices ?? [];
    return q ? list.filter((d) => d.name.toLowerCase().includes(q) || d.configuration.ident.toLowerCase().includes(q)) : list;
  }, [data.data, query]);
  return (
    <section aria-labelledby="devices-title">
      <div class="page-head">
        <h1 id="devices-title">Devices</h1>
        <button type="button" class="primary" aria-expanded={creating} aria-controls="new-device" onClick={() => setCreating(!creating)}>
          {creating ? 'Close form' : 'New device'}
        </button>
      </div>
      {creating ? <NewDevice types={deviceTypes} onCreated={data.reload} /> : null}
      <div class="toolbar">
        <div class="field grow">
          <label for="device-search">Search by name or ident</label>
          <input id="device-search" type="search" value={query} placeholder="truck, 3521…" onInput={(e) => setQuery(e.currentTarget.value)} />
        </div>
        <p class="muted small" aria-live="polite">
          {data.data ? `${shown.length} of ${data.data.devices.length} devices` : data.loading ? 'Loading…' : ''}
        </p>
      </div>
      <ErrorNotice error={data.error} />
      <div class="table-wrap">
        <table class="devices">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Ident</th>
              <th scope="col">Type</th>
              <th scope="col">State</th>
              <th scope="col">Last message</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.id} data-device-id={d.id}>
                <td>
                  <a href={href({ page: 'device', id: d.id, tab: 'live' })}>{d.name}</a>
                  {d.enabled ? null : <Badge kind="offline">disabled</Badge>}
                </td>
                <td class="mono">{d.configuration.ident}</td>
                <td>{typeName(deviceTypes, d.device_type_id)}</td>
                <td>
                  <OnlineBadge online={data.data?.online} ident={d.configuration.ident} />
                </td>
                <td>
                  <Ago ts={data.data?.lastMessage.get(d.id)} />
                </td>
              </tr>
            ))}
            {data.data && shown.length === 0 ? (
              <tr>
                <td colSpan={5} class="muted">
                  {data.data.devices.length === 0 ? 'No devices yet (or none this token may see).' : 'No device matches the search.'}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function NewDevice(p: { types: readonly DeviceType[]; onCreated(): void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [ident, setIdent] = useState('');
  const [typeId, setTypeId] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const bad = name.trim() === '' ? 'Name is required.' : identProblem(ident.trim());
    setProblem(bad);
    if (bad) return;
    const body: DeviceCreate[] = [{ name: name.trim(), configuration: { ident: ident.trim() }, ...(typeId ? { device_type_id: Number(typeId) } : {}) }];
    const ok = await action.run(async () => {
      const [created] = await api.post<Device>('/gw/devices', body);
      return `Device "${created.name}" created (id ${created.id}).`;
    });
    if (ok) {
      setName('');
      setIdent('');
      p.onCreated();
    }
  };
  return (
    <form id="new-device" class="card form-grid" onSubmit={submit} aria-labelledby="new-device-title" noValidate>
      <h2 id="new-device-title">New device</h2>
      <div class="field">
        <label for="new-device-name">Name</label>
        <input id="new-device-name" value={name} required onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="new-device-ident">Ident (IMEI)</label>
        <input id="new-device-ident" class="mono" value={ident} required autocomplete="off" spellcheck={false} onInput={(e) => setIdent(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="new-device-type">Device type</label>
        <select id="new-device-type" value={typeId} onChange={(e) => setTypeId(e.currentTarget.value)}>
          <option value="">— detect from the protocol —</option>
          {p.types.map((t) => (
            <option value={String(t.id)}>{t.name}</option>
          ))}
        </select>
      </div>
      {problem ? (
        <div class="notice notice-error" role="alert">
          {problem}
        </div>
      ) : null}
      <ActionStatus action={action} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Create device
        </button>
      </div>
    </form>
  );
}
