import { useEffect } from 'preact/hooks';
import { NavLinks } from '../components.js';
import { useApp } from '../context.js';
import { href, type Route, useRoute } from '../router.js';
import { CalcsPage } from './calcs.js';
import { ChannelsPage } from './channels.js';
import { DevicePage } from './device.js';
import { DevicesPage } from './devices.js';
import { GeofencesPage } from './geofences.js';
import { PluginsPage } from './plugins.js';
import { PreferencesPage } from './preferences.js';
import { StreamsPage } from './streams.js';
import { TokensPage } from './tokens.js';

const NAV: readonly { route: Route; label: string }[] = [
  { route: { page: 'devices' }, label: 'Devices' },
  { route: { page: 'channels' }, label: 'Channels' },
  { route: { page: 'streams' }, label: 'Streams' },
  { route: { page: 'geofences' }, label: 'Geofences' },
  { route: { page: 'plugins' }, label: 'Plugins' },
  { route: { page: 'calcs' }, label: 'Calculators' },
  { route: { page: 'tokens' }, label: 'Tokens' },
  { route: { page: 'preferences' }, label: 'Preferences' },
];

export function Shell(p: { onLogout(): void }) {
  const route = useRoute();
  const { api } = useApp();
  const section = route.page === 'device' ? 'devices' : route.page;
  useEffect(() => {
    document.title = `${NAV.find((n) => n.route.page === section)?.label ?? 'Console'} · Telematics Hub`;
  }, [section]);
  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <a class="brand" href="#/devices">
          Telematics Hub
        </a>
        <NavLinks label="Main" links={NAV.map((n) => ({ href: href(n.route), label: n.label, current: n.route.page === section }))} />
        <div class="who">
          <span class="muted small" title="API address">
            {api.session.apiUrl || location.host}
          </span>
          <button type="button" onClick={p.onLogout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}

function Page(p: { route: Route }) {
  const r = p.route;
  switch (r.page) {
    case 'devices':
      return <DevicesPage />;
    case 'device':
      return <DevicePage key={r.id} id={r.id} tab={r.tab} />;
    case 'channels':
      return <ChannelsPage />;
    case 'streams':
      return <StreamsPage />;
    case 'geofences':
      return <GeofencesPage />;
    case 'plugins':
      return <PluginsPage />;
    case 'calcs':
      return <CalcsPage />;
    case 'tokens':
      return <TokensPage />;
    case 'preferences':
      return <PreferencesPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            Nothing at <code>{r.path}</code>. <a href="#/devices">Back to devices</a>.
          </p>
        </section>
      );
  }
}
