import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { Ago, Badge, DataTable, PageSection, Toolbar } from '../components.js';
import { useApp } from '../context.js';
import { Form, FormFooter, InputField, SelectField } from '../fields.js';
import { useAttempt, useLoad } from '../hooks.js';
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
  if (!p.online)
    return (
      <Badge kind="unknown" title="This token may not read channel connections">
        unknown
      </Badge>
    );
  return p.online.has(p.ident) ? <Badge kind="online">online</Badge> : <Badge kind="offline">offline</Badge>;
}

export function typeName(types: readonly DeviceType[], id: number | null | undefined): string {
  if (id === null || id === undefined) return '—';
  return types.find((t) => t.id === id)?.name ?? `#${id}`;
}

/** The device type of a device: one of the hub's, or none (detected from the protocol). */
export function DeviceTypeField(p: { id: string; value: string; onValue(v: string): void }) {
  const { deviceTypes } = useApp();
  return (
    <SelectField id={p.id} label="Device type" width="double" value={p.value} onValue={p.onValue}>
      <option value="">— detect from the protocol —</option>
      {deviceTypes.map((t) => (
        <option value={String(t.id)}>{t.name}</option>
      ))}
    </SelectField>
  );
}

export function DevicesPage() {
  const { api, deviceTypes } = useApp();
  const [query, setQuery] = useState('');
  const data = useLoad(() => loadOverview(api), [api], 5000);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = data.data?.devices ?? [];
    return q ? list.filter((d) => d.name.toLowerCase().includes(q) || d.configuration.ident.toLowerCase().includes(q)) : list;
  }, [data.data, query]);
  return (
    <PageSection id="devices" title="Devices" create={{ label: 'New device', controls: 'new-device', form: <NewDevice onCreated={data.reload} /> }}>
      <Toolbar>
        <InputField id="device-search" label="Search by name or ident" width="grow" type="search" value={query} placeholder="truck, 3521…" onValue={setQuery} />
        <p class="muted small" aria-live="polite">
          {data.data ? `${shown.length} of ${data.data.devices.length} devices` : data.loading ? 'Loading…' : ''}
        </p>
      </Toolbar>
      <DataTable
        class="devices"
        columns={['Name', 'Ident', 'Type', 'State', 'Last message']}
        rows={data.data ? shown : undefined}
        error={data.error}
        empty={data.data?.devices.length === 0 ? 'No devices yet (or none this token may see).' : 'No device matches the search.'}
        row={(d) => (
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
        )}
      />
    </PageSection>
  );
}

function NewDevice(p: { onCreated(): void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [ident, setIdent] = useState('');
  const [typeId, setTypeId] = useState('');
  const { action, problem, setProblem, forget } = useAttempt();
  const submit = async () => {
    forget();
    const bad = name.trim() === '' ? 'Name is required.' : identProblem(ident.trim());
    if (bad) return setProblem(bad);
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
    <Form id="new-device" class="card form-grid" onSubmit={submit} onInput={forget} heading="New device" headingId="new-device-title">
      <InputField id="new-device-name" label="Name" value={name} required onValue={setName} />
      <InputField id="new-device-ident" label="Ident (IMEI)" class="mono" value={ident} required autocomplete="off" spellcheck={false} onValue={setIdent} />
      <DeviceTypeField id="new-device-type" value={typeId} onValue={setTypeId} />
      <FormFooter action={action} problem={problem} submit="Create device" />
    </Form>
  );
}
