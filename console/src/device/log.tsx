import { ErrorNotice, Time } from '../components.js';
import { useApp } from '../context.js';
import { useLoad } from '../hooks.js';
import type { Device, DeviceLogRow } from '../types.js';

const EVENT_KIND: Record<string, string> = { connected: 'online', disconnected: 'offline', error: 'failed' };

/** The device log: connects, disconnects, ident changes, errors, setting changes (newest first). */
export function LogTab(p: { device: Device }) {
  const { api } = useApp();
  const data = useLoad(async () => (await api.get<DeviceLogRow>(`/gw/devices/${p.device.id}/logs`, { count: 500 })).sort((a, b) => b.timestamp - a.timestamp), [api, p.device.id], 3000);
  return (
    <div>
      <div class="toolbar">
        <p class="muted small">{data.data ? `${data.data.length} entries` : 'Loading…'}</p>
        <button type="button" onClick={data.reload}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={data.error} feature="The device log" />
      <div class="table-wrap">
        <table class="log">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {(data.data ?? []).map((e, i) => {
              const { timestamp, event, device_id: _d, ...rest } = e;
              return (
                <tr key={`${timestamp}-${i}`}>
                  <td>
                    <Time ts={timestamp} />
                  </td>
                  <td>
                    <span class={`badge badge-${EVENT_KIND[event] ?? 'neutral'}`}>{event}</span>
                  </td>
                  <td class="mono small wrap">
                    {Object.entries(rest)
                      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
                      .join('  ')}
                  </td>
                </tr>
              );
            })}
            {data.data && data.data.length === 0 ? (
              <tr>
                <td colSpan={3} class="muted">
                  Nothing logged yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
