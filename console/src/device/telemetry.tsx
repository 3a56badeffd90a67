import { useState } from 'preact/hooks';
import { Ago, ErrorNotice, Time } from '../components.js';
import { useApp } from '../context.js';
import { fmtValue } from '../format.js';
import { useLoad } from '../hooks.js';
import type { Device, TelemetryRow } from '../types.js';

/** Latest value and time of every parameter, refreshed every 3 s. */
export function TelemetryTab(p: { device: Device }) {
  const { api } = useApp();
  const [filter, setFilter] = useState('');
  const data = useLoad(async () => (await api.get<TelemetryRow>(`/gw/devices/${p.device.id}/telemetry`))[0]?.telemetry ?? {}, [api, p.device.id], 3000);
  const q = filter.trim().toLowerCase();
  const names = Object.keys(data.data ?? {})
    .filter((n) => !q || n.toLowerCase().includes(q))
    .sort();
  return (
    <div>
      <div class="toolbar">
        <div class="field grow">
          <label for="telemetry-filter">Filter parameters</label>
          <input id="telemetry-filter" type="search" value={filter} placeholder="position, battery…" onInput={(e) => setFilter(e.currentTarget.value)} />
        </div>
        <button type="button" onClick={data.reload}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={data.error} />
      <div class="table-wrap">
        <table class="telemetry">
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Value</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {names.map((n) => {
              const v = data.data![n];
              return (
                <tr key={n}>
                  <th scope="row" class="mono">
                    {n}
                  </th>
                  <td class="mono">{fmtValue(v.value)}</td>
                  <td>
                    <Time ts={v.ts} /> <span class="muted small">(<Ago ts={v.ts} />)</span>
                  </td>
                </tr>
              );
            })}
            {data.data && names.length === 0 ? (
              <tr>
                <td colSpan={3} class="muted">
                  No telemetry yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
