import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { CalcForm } from '../calcs/form.js';
import { ActionStatus, Badge, ConfirmButton, DataTable, Toolbar } from '../components.js';
import { useApp } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import type { Calc, CalcDevice } from '../types.js';

async function loadCalcs(api: Api): Promise<{ calcs: Calc[]; devices: Map<number, CalcDevice[]> }> {
  const calcs = await api.list<Calc>('/gw/calcs/all');
  const rows = calcs.length > 0 ? await api.list<CalcDevice>('/gw/calcs/all/devices/all') : [];
  const devices = new Map<number, CalcDevice[]>();
  for (const r of rows) devices.set(r.calc_id, [...(devices.get(r.calc_id) ?? []), r]);
  return { calcs, devices };
}

function describe(c: Calc): string {
  return c.selectors
    .map((s) => (s.type === 'expression' ? s.expression : s.type === 'geofence' ? `geofence ${s.geofences.join(',')}` : `inactive ≥ ${s.min_duration} s`))
    .join(' & ');
}

/** Calculators: created from recipes or raw JSON, assigned to devices, with each device's sync progress. */
export function CalcsPage() {
  const { api } = useApp();
  const data = useLoad(() => loadCalcs(api), [api], 3000);
  const [editing, setEditing] = useState<Calc | 'new' | undefined>();
  const action = useAction();
  const run = async (fn: () => Promise<string>) => {
    await action.run(fn);
    data.reload();
  };
  /** Calls the API, then says `done`. */
  const call = (method: 'post' | 'del', path: string, done: string) =>
    run(async () => {
      await (method === 'post' ? api.post(path) : api.del(path));
      return done;
    });
  const done = (saved?: Calc) => {
    setEditing(undefined);
    if (saved) void action.run(async () => `Calculator "${saved.name}" saved.`);
    data.reload();
  };
  const current = editing === 'new' ? undefined : editing;
  return (
    <section aria-labelledby="calcs-title">
      <div class="page-head">
        <h1 id="calcs-title">Calculators</h1>
        <button type="button" class="primary" disabled={editing !== undefined} onClick={() => setEditing('new')}>
          New calculator
        </button>
      </div>
      <p class="muted">Calculators turn each assigned device's messages into intervals (trips, stops, visits…), shown on the device's Trips / intervals tab.</p>
      {editing ? <CalcForm key={current?.id ?? 'new'} calc={current} onDone={done} /> : null}
      <ActionStatus action={action} feature="Calculators" />
      <Toolbar onRefresh={data.reload}>
        <span class="muted small">{data.data ? `${data.data.calcs.length} calculators` : 'Loading…'}</span>
      </Toolbar>
      <DataTable
        class="calcs"
        columns={['Name', 'Selectors', 'Counters', 'Devices (sync)']}
        actions
        rows={data.data?.calcs}
        error={data.error}
        feature="Calculators"
        empty="No calculators yet."
        row={(c) => (
          <tr key={c.id}>
            <td>{c.name}</td>
            <td class="mono small wrap">{describe(c)}</td>
            <td class="small">{c.counters.map((x) => x.name).join(', ') || '—'}</td>
            <td>
              <CalcDevices calc={c} rows={data.data?.devices.get(c.id) ?? []} call={call} />
            </td>
            <td class="nowrap">
              <button type="button" class="small-btn" aria-label={`Edit calculator ${c.name}`} onClick={() => setEditing(c)}>
                Edit
              </button>{' '}
              <ConfirmButton
                class="small-btn danger"
                label={`Delete calculator ${c.name}`}
                ask={{ title: 'Delete the calculator?', body: <p>Calculator "{c.name}" and its intervals are deleted.</p>, confirm: 'Delete', danger: true }}
                onConfirm={() => call('del', `/gw/calcs/${c.id}`, `Calculator "${c.name}" deleted.`)}
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

/** A calculator's devices with their sync state, and a field to assign more (ids or a selector). */
function CalcDevices(p: { calc: Calc; rows: readonly CalcDevice[]; call(method: 'post' | 'del', path: string, done: string): Promise<void> }) {
  const [sel, setSel] = useState('');
  const id = `calc-${p.calc.id}-assign`;
  return (
    <div class="calc-devices">
      <ul class="plain" data-testid={`calc-${p.calc.id}-devices`}>
        {p.rows.map((r) => (
          <li key={r.device_id}>
            <a href={`#/devices/${r.device_id}/intervals`}>device {r.device_id}</a>{' '}
            {r.synced ? <Badge kind="synced">synced</Badge> : <Badge kind="pending">calculating history…</Badge>}{' '}
            <button
              type="button"
              class="small-btn"
              aria-label={`Unassign device ${r.device_id} from ${p.calc.name}`}
              onClick={() => p.call('del', `/gw/calcs/${p.calc.id}/devices/${r.device_id}`, `Device ${r.device_id} unassigned.`)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const target = sel.replace(/\s+/g, '');
          if (!target) return;
          setSel('');
          void p.call('post', `/gw/calcs/${p.calc.id}/devices/${target}`, `Assigned ${target} to "${p.calc.name}".`);
        }}
      >
        <label class="visually-hidden" for={id}>
          Assign devices to {p.calc.name}
        </label>
        <input id={id} placeholder="device ids, e.g. 12,13" value={sel} onInput={(e) => setSel(e.currentTarget.value)} />
        <button type="submit" class="small-btn">
          Assign
        </button>
      </form>
    </div>
  );
}
