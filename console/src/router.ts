import { useEffect, useState } from 'preact/hooks';

/** Hash routes (`#/devices/12/live`): work from any static host without server rewrites. */
export const DEVICE_TABS = ['live', 'telemetry', 'track', 'intervals', 'plugins', 'commands', 'settings', 'log', 'configure'] as const;
export type DeviceTab = (typeof DEVICE_TABS)[number];

export type Route =
  | { readonly page: 'devices' }
  | { readonly page: 'device'; readonly id: number; readonly tab: DeviceTab }
  | { readonly page: 'channels' }
  | { readonly page: 'streams' }
  | { readonly page: 'geofences' }
  | { readonly page: 'plugins' }
  | { readonly page: 'calcs' }
  | { readonly page: 'tokens' }
  | { readonly page: 'preferences' }
  | { readonly page: 'notfound'; readonly path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/devices';
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case undefined:
    case 'devices': {
      if (parts.length === 1 || parts[0] === undefined) return { page: 'devices' };
      const id = Number(parts[1]);
      const tab = (parts[2] ?? 'live') as DeviceTab;
      if (Number.isInteger(id) && id > 0 && DEVICE_TABS.includes(tab)) return { page: 'device', id, tab };
      return { page: 'notfound', path };
    }
    case 'channels':
    case 'streams':
    case 'geofences':
    case 'plugins':
    case 'calcs':
    case 'tokens':
    case 'preferences':
      return { page: parts[0] };
    default:
      return { page: 'notfound', path };
  }
}

export function href(r: Route): string {
  switch (r.page) {
    case 'device':
      return `#/devices/${r.id}/${r.tab}`;
    case 'notfound':
      return '#/devices';
    default:
      return `#/${r.page}`;
  }
}

export function navigate(r: Route): void {
  location.hash = href(r);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
