import { useState } from 'preact/hooks';
import { Ago, DataTable, Time, Toolbar } from '../components.js';
import { useApp } from '../context.js';
import { InputField } from '../fields.js';
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
      <Toolbar onRefresh={data.reload}>
        <InputField
          id="telemetry-filter"
          label="Filter parameters"
          width="grow"
          type="search"
          value={filter}
          placeholder="position, battery…"
          onValue={setFilter}
        />
      </Toolbar>
      <DataTable
        class="telemetry"
        columns={['Parameter', 'Value', 'Updated']}
        rows={data.data ? names : undefined}
        error={data.error}
        empty="No telemetry yet."
        row={(n) => {
          const v = data.data?.[n];
          if (!v) return null;
          return (
            <tr key={n}>
              <th scope="row" class="mono">
                {n}
              </th>
              <td class="mono">{fmtValue(v.value)}</td>
              <td>
                <Time ts={v.ts} />{' '}
                <span class="muted small">
                  (<Ago ts={v.ts} />)
                </span>
              </td>
            </tr>
          );
        }}
      />
    </div>
  );
}
