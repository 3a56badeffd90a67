import { Badge, DataTable, Time, Toolbar } from '../components.js';
import { useApp } from '../context.js';
import { useLoad } from '../hooks.js';
import type { Device, DeviceLogRow } from '../types.js';

const EVENT_KIND: Record<string, string> = { connected: 'online', disconnected: 'offline', error: 'failed' };

/** The device log: connects, disconnects, ident changes, errors, setting changes (newest first). */
export function LogTab(p: { device: Device }) {
  const { api } = useApp();
  const data = useLoad(
    async () => (await api.get<DeviceLogRow>(`/gw/devices/${p.device.id}/logs`, { count: 500 })).sort((a, b) => b.timestamp - a.timestamp),
    [api, p.device.id],
    3000,
  );
  return (
    <div>
      <Toolbar onRefresh={data.reload}>
        <p class="muted small">{data.data ? `${data.data.length} entries` : 'Loading…'}</p>
      </Toolbar>
      <DataTable
        class="log"
        columns={['Time', 'Event', 'Details']}
        rows={data.data}
        error={data.error}
        feature="The device log"
        empty="Nothing logged yet."
        row={(e, i) => {
          const { timestamp, event, device_id: _d, ...rest } = e;
          return (
            <tr key={`${timestamp}-${i}`}>
              <td>
                <Time ts={timestamp} />
              </td>
              <td>
                <Badge kind={EVENT_KIND[event] ?? 'neutral'}>{event}</Badge>
              </td>
              <td class="mono small wrap">
                {Object.entries(rest)
                  .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
                  .join('  ')}
              </td>
            </tr>
          );
        }}
      />
    </div>
  );
}
