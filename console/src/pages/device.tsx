import { useCallback, useRef } from 'preact/hooks';
import { ApiError } from '../api.js';
import { Ago, ErrorNotice, NavLinks, Notice } from '../components.js';
import { useApp } from '../context.js';
import { CommandsTab } from '../device/commands.js';
import { ConfigureTab } from '../device/configure.js';
import { IntervalsTab } from '../device/intervals.js';
import { LiveTab } from '../device/live.js';
import { LogTab } from '../device/log.js';
import { PluginsTab } from '../device/plugins.js';
import { SettingsTab } from '../device/settings.js';
import { TelemetryTab } from '../device/telemetry.js';
import { TrackTab } from '../device/track.js';
import { useLoad } from '../hooks.js';
import { type DeviceTab, href } from '../router.js';
import type { Device, DeviceType } from '../types.js';
import { loadOverview, OnlineBadge, typeName } from './devices.js';

const TABS: readonly { tab: DeviceTab; label: string }[] = [
  { tab: 'live', label: 'Messages' },
  { tab: 'telemetry', label: 'Telemetry' },
  { tab: 'track', label: 'Track' },
  { tab: 'intervals', label: 'Trips / intervals' },
  { tab: 'plugins', label: 'Plugins' },
  { tab: 'commands', label: 'Commands' },
  { tab: 'settings', label: 'Settings' },
  { tab: 'log', label: 'Log' },
  { tab: 'configure', label: 'Configure' },
];

/** The device type whose commands and settings apply: its own, else its protocol's generic one. */
export function deviceTypeOf(types: readonly DeviceType[], d: Device): DeviceType | undefined {
  if (d.device_type_id !== null) return types.find((t) => t.id === d.device_type_id);
  return d.protocol_id === null ? undefined : types.find((t) => t.protocol_id === d.protocol_id);
}

export function DevicePage(p: { id: number; tab: DeviceTab }) {
  const { api, deviceTypes } = useApp();
  const data = useLoad(() => loadOverview(api, String(p.id)), [api, p.id], 5000);
  const device = data.data?.devices.find((d) => d.id === p.id);
  // A live message means fresh state and last-message time: reload the header (at most every 2 s).
  const lastActivity = useRef(0);
  const onActivity = useCallback(() => {
    const now = Date.now();
    if (now - lastActivity.current < 2000) return;
    lastActivity.current = now;
    setTimeout(data.reload, 300);
  }, [data.reload]);
  if (!device) {
    return (
      <section>
        <p>
          <a href="#/devices">← Devices</a>
        </p>
        <h1>Device {p.id}</h1>
        {data.error instanceof ApiError && data.error.status === 403 ? (
          <Notice kind="error">This token may not access device {p.id}.</Notice>
        ) : (
          <ErrorNotice error={data.error} />
        )}
        {data.loading ? <p class="muted">Loading…</p> : !data.error ? <Notice kind="warn">No device {p.id}.</Notice> : null}
      </section>
    );
  }
  return (
    <section aria-labelledby="device-title">
      <p class="crumbs">
        <a href="#/devices">← Devices</a>
      </p>
      <div class="page-head device-head">
        <h1 id="device-title">{device.name}</h1>
        <dl class="facts">
          <div>
            <dt>Ident</dt>
            <dd class="mono" data-testid="device-ident">
              {device.configuration.ident}
            </dd>
          </div>
          <div>
            <dt>Id</dt>
            <dd>{device.id}</dd>
          </div>
          <div>
            <dt>Type</dt>
            <dd>{typeName(deviceTypes, device.device_type_id)}</dd>
          </div>
          <div>
            <dt>State</dt>
            <dd>
              <OnlineBadge online={data.data?.online} ident={device.configuration.ident} />
            </dd>
          </div>
          <div>
            <dt>Last message</dt>
            <dd>
              <Ago ts={data.data?.lastMessage.get(device.id)} />
            </dd>
          </div>
        </dl>
      </div>
      <NavLinks
        class="tabs"
        label="Device sections"
        links={TABS.map((t) => ({ href: href({ page: 'device', id: device.id, tab: t.tab }), label: t.label, current: t.tab === p.tab }))}
      />
      <div class="tab-body">
        <Tab tab={p.tab} device={device} type={deviceTypeOf(deviceTypes, device)} reload={data.reload} onActivity={onActivity} />
      </div>
    </section>
  );
}

function Tab(p: { tab: DeviceTab; device: Device; type: DeviceType | undefined; reload(): void; onActivity(): void }) {
  switch (p.tab) {
    case 'live':
      return <LiveTab device={p.device} onActivity={p.onActivity} />;
    case 'telemetry':
      return <TelemetryTab device={p.device} />;
    case 'track':
      return <TrackTab device={p.device} />;
    case 'intervals':
      return <IntervalsTab device={p.device} />;
    case 'plugins':
      return <PluginsTab device={p.device} />;
    case 'commands':
      return <CommandsTab device={p.device} type={p.type} />;
    case 'settings':
      return <SettingsTab device={p.device} type={p.type} />;
    case 'log':
      return <LogTab device={p.device} />;
    case 'configure':
      return <ConfigureTab device={p.device} onChanged={p.reload} />;
  }
}
