import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ActionStatus, Badge, DataTable, Notice, Time } from '../components.js';
import { tilesAttribution } from '../config.js';
import { useApp } from '../context.js';
import { SelectField } from '../fields.js';
import { fmtDuration, fmtValue } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import type { Calc, CalcDevice, Device, IntervalRow, RoutePoint } from '../types.js';
import { watchIntervals } from './live-socket.js';
import { TrackMapLoader } from './track.js';
import type { TrackPoint } from './track-map.js';

const SHOWN = 200;

async function loadCalcsOf(api: Api, deviceId: number): Promise<{ calc: Calc; sync: CalcDevice }[]> {
  const [calcs, links] = await Promise.all([api.list<Calc>('/gw/calcs/all'), api.list<CalcDevice>(`/gw/calcs/all/devices/${deviceId}`)]);
  const byId = new Map(calcs.map((c) => [c.id, c]));
  return links.flatMap((sync) => {
    const calc = byId.get(sync.calc_id);
    return calc ? [{ calc, sync }] : [];
  });
}

function routeOf(i: IntervalRow | undefined, calc: Calc | undefined): TrackPoint[] {
  const name = calc?.counters.find((c) => c.type === 'route')?.name;
  const route = name && i ? i[name] : undefined;
  if (!Array.isArray(route)) return [];
  return (route as RoutePoint[]).filter((p) => typeof p?.lat === 'number' && typeof p.lon === 'number').map((p) => ({ lat: p.lat, lon: p.lon, ts: p.t }));
}

/** Trips / intervals: a calculator's intervals of this device with their counters, the selected one's route on the map, CSV/GPX export. */
export function IntervalsTab(p: { device: Device }) {
  const { api } = useApp();
  const calcs = useLoad(() => loadCalcsOf(api, p.device.id), [api, p.device.id], 5000);
  const [chosen, setChosen] = useState('');
  const list = calcs.data ?? [];
  const current = list.find((c) => String(c.calc.id) === chosen) ?? list[0];
  if (calcs.data && list.length === 0) {
    return (
      <Notice>
        No calculator is assigned to this device. Create and assign one on the <a href="#/calcs">Calculators page</a>.
      </Notice>
    );
  }
  return (
    <div>
      <ActionStatus action={{ busy: false, error: calcs.error }} feature="Calculators" />
      <div class="toolbar">
        <SelectField id="intervals-calc" label="Calculator" value={current ? String(current.calc.id) : ''} onValue={setChosen}>
          {list.map((c) => (
            <option value={String(c.calc.id)}>{c.calc.name}</option>
          ))}
        </SelectField>
        {current ? current.sync.synced ? <Badge kind="synced">synced</Badge> : <Badge kind="pending">calculating history…</Badge> : null}
      </div>
      {current ? <Intervals key={current.calc.id} device={p.device} calc={current.calc} /> : null}
    </div>
  );
}

function Intervals(p: { device: Device; calc: Calc }) {
  const { api, config } = useApp();
  const path = `/gw/calcs/${p.calc.id}/devices/${p.device.id}/intervals/all`;
  const rows = useLoad(() => api.list<IntervalRow>(path, { reverse: true, count: SHOWN }), [api, path], 10_000);
  // each interval event pushed for this pair reloads the list at once (polling stays the fallback)
  const reload = rows.reload;
  useEffect(() => watchIntervals({ api, config, calcId: p.calc.id, deviceId: p.device.id, onEvent: reload }), [api, config, p.calc.id, p.device.id, reload]);
  const [selected, setSelected] = useState<number | undefined>();
  const counters = p.calc.counters.filter((c) => c.type !== 'route').map((c) => c.name);
  const interval = rows.data?.find((i) => i.id === selected);
  const route = routeOf(interval, p.calc);
  return (
    <>
      <Downloads path={path} name={`${p.calc.name}-${p.device.id}`} />
      <DataTable
        class="intervals"
        columns={['Begin', 'End', 'Duration', ...counters]}
        actions
        rows={rows.data}
        error={rows.error}
        feature="Intervals"
        empty="No intervals yet."
        row={(i) => (
          <tr key={i.id} class={i.id === selected ? 'selected' : undefined}>
            <td>
              <Time ts={i.begin} />
            </td>
            <td>{i.active ? <Badge kind="online">active</Badge> : <Time ts={i.end} />}</td>
            <td>{fmtDuration(i.duration)}</td>
            {counters.map((c) => (
              <td class="small">{fmtValue(i[c])}</td>
            ))}
            <td>
              <button type="button" class="small-btn" aria-pressed={i.id === selected} onClick={() => setSelected(i.id)}>
                Show route
              </button>
            </td>
          </tr>
        )}
      />
      {interval ? (
        route.length > 0 ? (
          <TrackMapLoader points={route} tilesUrl={config.tilesUrl} attribution={tilesAttribution(config)} />
        ) : (
          <Notice>This interval has no route (the calculator has no route counter, or no positions).</Notice>
        )
      ) : null}
    </>
  );
}

/** CSV and GPX export links: plain links to `?format=`, fetched with the token (a link cannot send the header) and saved. */
function Downloads(p: { path: string; name: string }) {
  const { api } = useApp();
  const action = useAction();
  const save = (format: 'csv' | 'gpx') => (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const blob = await api.file(p.path, { format });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${p.name}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    });
  };
  return (
    <div class="toolbar">
      <span>Export:</span>
      <a href={api.url(p.path, { format: 'csv' })} onClick={save('csv')} data-testid="export-csv">
        CSV
      </a>
      <a href={api.url(p.path, { format: 'gpx' })} onClick={save('gpx')} data-testid="export-gpx">
        GPX
      </a>
      <ActionStatus action={action} />
    </div>
  );
}
