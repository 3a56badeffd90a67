import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startTestHub, TEST_TOKEN } from '../helpers/local-hub.js';
import { buildConsole } from './console-harness.js';
import { SimulatedTracker } from './tracker.js';

/**
 * The web console in headless Chromium (Debian's `chromium`, driven by playwright-core) against a
 * real local hub serving a fresh build of the console, with a simulated Teltonika tracker on TCP.
 * The tests run in order and share the hub, the browser and the tracker. Screenshots of each page
 * go to docs/console (override with CONSOLE_SCREENSHOTS_DIR).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SHOTS = process.env.CONSOLE_SCREENSHOTS_DIR ?? join(ROOT, 'docs', 'console');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Browser globals, used only inside page.evaluate callbacks (the root tsconfig has no DOM lib).
interface BrowserElement {
  readonly tagName: string;
  readonly id: string;
  readonly outerHTML: string;
  readonly textContent: string | null;
  readonly offsetParent: unknown;
  readonly labels?: { readonly length: number } | null;
  getClientRects(): { readonly length: number };
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  blur?(): void;
  cloneNode(deep: boolean): BrowserElement;
  remove(): void;
  readonly style: { width: string; minWidth: string; maxWidth: string; position: string };
  readonly offsetWidth: number;
  readonly clientWidth: number;
  getBoundingClientRect(): { readonly left: number; readonly right: number };
}
declare const document: {
  readonly activeElement: BrowserElement | null;
  readonly cookie: string;
  readonly body: { appendChild(el: BrowserElement): void };
  readonly documentElement: { readonly scrollWidth: number };
  querySelector(s: string): BrowserElement | null;
  querySelectorAll(s: string): ArrayLike<BrowserElement>;
};
declare const window: { __appeared?: number; readonly innerWidth: number };
declare const MutationObserver: new (cb: () => void) => { observe(target: unknown, options: object): void };
declare const sessionStorage: { readonly length: number };
declare const localStorage: { getItem(key: string): string | null };
declare function getComputedStyle(el: unknown): { readonly backgroundImage: string; readonly color: string };
declare const performance: { getEntriesByType(t: string): { transferSize: number; domContentLoadedEventEnd: number; loadEventEnd: number }[] };

const IMEI = '356307042441013';
const SPARE_IMEI = '356307042441021';
const OTHER_IMEI = '356307042441039';
const START = { lat: 54.6872, lon: 25.2797 };
/** OpenStreetMap's standard tiles, the console's default map; this machine cannot reach them, tests route them. */
const OSM_TILES = 'https://tile.openstreetmap.org/**';
const OSM_TILE_URL = /^https:\/\/tile\.openstreetmap\.org\/\d+\/\d+\/\d+\.png$/;
/** A 1×1 light grey PNG served for every tile where a test makes the tiles load. */
const TILE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN48uoGAAVcAqcuZ9Z0AAAAAElFTkSuQmCC', 'base64');
const TILES_FAILED = 'Map tiles could not be loaded; drawn on a grid.';

function bundleSizes(dir: string): { file: string; raw: number; gzip: number }[] {
  const files = ['index.html', ...readdirSync(join(dir, 'assets')).map((f) => join('assets', f))];
  return files.map((file) => {
    const bytes = readFileSync(join(dir, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

async function shot(page: Page, name: string, mask: Locator[] = []): Promise<void> {
  await page.evaluate(() => document.activeElement?.blur?.());
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, mask });
}

/** Every visible form control has a label, and every button a name. */
async function expectLabelled(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() => {
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll('input, select, textarea, button'))) {
      if (el.offsetParent === null && el.getClientRects().length === 0) continue;
      if (el.tagName === 'BUTTON') {
        if (!(el.getAttribute('aria-label') || el.textContent?.trim())) bad.push(el.outerHTML.slice(0, 80));
        continue;
      }
      const labelled = (el.labels?.length ?? 0) > 0 || el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
      if (!labelled) bad.push(el.outerHTML.slice(0, 80));
    }
    return bad;
  });
  expect(unlabelled).toEqual([]);
}

/**
 * Watches the live log in the page for `text` and returns a function resolving with the page's
 * clock (epoch ms, same machine as the test) at the mutation that showed it: no polling delay.
 */
async function watchLiveLog(page: Page, text: string): Promise<() => Promise<number>> {
  await page.evaluate((t) => {
    window.__appeared = undefined;
    const check = () => {
      if (window.__appeared === undefined && (document.querySelector('ol.messages')?.textContent ?? '').includes(t)) window.__appeared = Date.now();
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
  }, text);
  return async () => {
    await page.waitForFunction(() => window.__appeared !== undefined, undefined, { timeout: 5000 });
    return (await page.evaluate(() => window.__appeared))!;
  };
}

/**
 * A select's width against what its longest option needs (its auto width: text, padding and
 * arrow) and its right edge against the viewport.
 */
async function selectFit(page: Page, selector: string): Promise<{ width: number; needed: number; right: number; viewport: number }> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) throw new Error(`no ${sel}`);
    const probe = el.cloneNode(true);
    Object.assign(probe.style, { width: 'auto', minWidth: '0', maxWidth: 'none', position: 'absolute' });
    document.body.appendChild(probe);
    const needed = probe.offsetWidth;
    probe.remove();
    return { width: el.offsetWidth, needed, right: el.getBoundingClientRect().right, viewport: window.innerWidth };
  }, selector);
}

/** Records on a short straight line from START, one a minute from `from` (Unix seconds). */
function lineRecords(from: number, n: number): { timestampMs: number; latitude: number; longitude: number; speed: number }[] {
  return Array.from({ length: n }, (_, i) => ({
    timestampMs: (from + i * 60) * 1000,
    latitude: START.lat + i * 0.001,
    longitude: START.lon + i * 0.002,
    speed: 30,
  }));
}

/** The device's track of the last hour is drawn with no tile layer, no tiles notice, and the "no tiles set" hint. */
async function expectGridTrack(p: Page, id: number, points: number): Promise<void> {
  await p.goto(`${p.url().split('#')[0]}#/devices/${id}/track`);
  await p.getByRole('button', { name: 'Last hour' }).click();
  await expect.poll(() => p.getByTestId('track-summary').textContent()).toMatch(new RegExp(`^${points} points`));
  await p.locator('path.track-line').waitFor();
  await p.getByText('No map tiles are set: the track is drawn on a grid.').waitFor();
  expect(await p.locator('.leaflet-tile-pane .leaflet-layer').count()).toBe(0);
  expect(await p.locator('.leaflet-control-attribution').count()).toBe(0);
  expect(await p.getByText(TILES_FAILED).count()).toBe(0);
}

/** `datetime-local` value for a Unix time (the browser runs in UTC). */
function utcInput(ts: number): string {
  return new Date(ts * 1000).toISOString().slice(0, 16);
}

describe('web console in headless Chromium against a local hub and a simulated tracker', { timeout: 120_000 }, () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let consoleDir: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let tracker: SimulatedTracker | undefined;
  let deviceId = 0;
  let portHolder: TcpServer | undefined;
  const pageErrors: string[] = [];
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    // a required peer: without it every browser test fails with this reason (`.ci/run` installs it)
    if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    consoleDir = await buildConsole();
    hub = await startTestHub({ consoleDir });
    profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 860 },
      timezoneId: 'UTC',
      locale: 'en-GB',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    tracker?.close();
    portHolder?.close();
    await context?.close();
    await hub?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
  });

  it('reports the bundle size and the first load on loopback', async () => {
    const sizes = bundleSizes(consoleDir);
    const sum = (pred: (f: string) => boolean, k: 'raw' | 'gzip') => sizes.filter((s) => pred(s.file)).reduce((n, s) => n + s[k], 0);
    // on-demand chunks: the map (Leaflet), the geofence editor, the plugin preview (the hub's plugin code)
    const initial = (f: string) => !/track-map|geofence-map|preview/.test(f);
    const started = Date.now();
    await page.goto(`${hub.apiUrl}/`);
    await page.getByLabel('Access token').waitFor();
    const interactiveMs = Date.now() - started;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return {
        dcl: Math.round(n.domContentLoadedEventEnd),
        load: Math.round(n.loadEventEnd),
        transferred: performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, n.transferSize),
      };
    });
    console.log(
      `[console e2e] bundle: first load ${sum(initial, 'raw')} B raw / ${sum(initial, 'gzip')} B gzip (html+js+css); on-demand chunks (map with Leaflet, geofence editor, plugin preview) ${sum((f) => !initial(f), 'raw')} B raw / ${sum((f) => !initial(f), 'gzip')} B gzip\n` +
        sizes.map((s) => `  ${s.file}: ${s.raw} B raw, ${s.gzip} B gzip`).join('\n') +
        `\n[console e2e] first load on loopback (cold cache): DOMContentLoaded ${nav.dcl} ms, load ${nav.load} ms, login form usable ${interactiveMs} ms after goto, ${nav.transferred} B transferred`,
    );
    expect(sum(initial, 'gzip')).toBeLessThan(60_000);
  });

  it('refuses a wrong token, then logs in by keyboard and keeps the token in sessionStorage only', async () => {
    await expectLabelled(page);
    await shot(page, 'login');
    await page.getByLabel('Access token').fill('not-a-real-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/refused this token/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await page.getByLabel('Access token').fill('');
    await page.evaluate(() => document.activeElement?.blur?.());
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== 'login-token'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-token');
    await page.keyboard.type(TEST_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    const stored = await page.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage), cookie: document.cookie }));
    expect(stored.session).toContain(TEST_TOKEN);
    expect(stored.local).not.toContain(TEST_TOKEN);
    expect(stored.cookie).toBe('');
  });

  it('creates a device', async () => {
    await page.getByRole('button', { name: 'New device' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Truck 7');
    await page.getByLabel('Ident (IMEI)').fill(IMEI);
    await page.getByLabel('Device type').selectOption({ label: 'teltonika' });
    await expectLabelled(page);
    await page.getByRole('button', { name: 'Create device' }).click();
    await page.getByText(/Device "Truck 7" created/).waitFor();
    await page.locator('table.devices tr', { hasText: IMEI }).waitFor();
    const r = await api(hub, 'GET', `/gw/devices/configuration.ident=${IMEI}`);
    deviceId = r.json.result[0].id;
    expect(r.json.result[0]).toMatchObject({ name: 'Truck 7', device_type_id: 1 });
    // A duplicate ident is refused with the hub's reason.
    await page.getByLabel('Name', { exact: true }).fill('Twin');
    await page.getByLabel('Ident (IMEI)').fill(IMEI);
    await page.getByRole('button', { name: 'Create device' }).click();
    await expect.poll(() => page.locator('.notice-error').textContent()).toMatch(/409/);
  });

  it('keeps only the current outcome in the device form: a new attempt or an edit clears the old error', async () => {
    const errors = page.locator('#new-device .notice-error');
    expect(await errors.allTextContents()).toEqual([`409: configuration.ident: "${IMEI}" belongs to device ${deviceId}`]);
    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Create device' }).click();
    await expect.poll(() => errors.allTextContents()).toEqual(['Name is required.']);
    await page.getByLabel('Name', { exact: true }).fill('Twin');
    await expect.poll(() => errors.count()).toBe(0);
  });

  it('shows the whole device-type select: its longest option ("— detect from the protocol —") fits', async () => {
    const fit = await selectFit(page, '#new-device-type');
    expect(fit.width).toBeGreaterThanOrEqual(fit.needed);
    expect(fit.right).toBeLessThanOrEqual(fit.viewport);
    await page.getByRole('button', { name: 'Close form' }).click();
  });

  it('shows a record sent by the tracker in the live log within 1 s, with its JSON', async () => {
    await page.getByRole('link', { name: 'Truck 7' }).click();
    await page.getByRole('heading', { name: 'Truck 7' }).waitFor();
    await expect.poll(() => page.getByTestId('live-status').textContent()).toMatch(/push \(WebSocket\)/);
    tracker = await SimulatedTracker.connect(hub.channelPort, IMEI);
    const appeared = await watchLiveLog(page, '54.687157');
    const sent = Date.now();
    await tracker.send([{ timestampMs: (now - 60) * 1000, latitude: 54.687157, longitude: 25.279652, speed: 42, satellites: 11, angle: 90, io1: { 239: 1 } }]);
    const row = page.locator('.message', { hasText: '54.687157' });
    const latency = (await appeared()) - sent;
    console.log(`[console e2e] live message on screen ${latency} ms after the tracker sent it (WebSocket)`);
    expect(latency).toBeLessThan(1000);
    await page.locator('.facts .badge-online').waitFor({ timeout: 8000 }); // the header follows the live feed
    await row.locator('summary').click();
    await expect.poll(() => row.locator('pre').textContent()).toContain('"position.latitude": 54.687157');
    await expectLabelled(page);
    await shot(page, 'device-live');
  });

  it('renders the track for a chosen time range over OpenStreetMap tiles, on a grid with a notice when they fail', async () => {
    const records = Array.from({ length: 12 }, (_, i) => ({
      timestampMs: (now - 1800 + i * 120) * 1000,
      latitude: START.lat + i * 0.0011 + (i % 3) * 0.0004,
      longitude: START.lon + i * 0.0019,
      speed: 20 + i * 3,
      satellites: 10,
    }));
    await tracker!.send(records);
    // Offline (this machine is; the route makes it certain): every tile request fails.
    const failedTiles: string[] = [];
    await page.route(OSM_TILES, (route) => {
      failedTiles.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    await page.getByRole('link', { name: 'Track' }).click();
    await page.getByLabel('From').fill(utcInput(now - 3600));
    await page.getByLabel('To').fill(utcInput(now - 300));
    await expectLabelled(page);
    await page.getByRole('button', { name: 'Show track' }).click();
    await expect.poll(() => page.getByTestId('track-summary').textContent()).toMatch(/^12 points/);
    const line = page.locator('path.track-line');
    await line.waitFor();
    expect((await line.getAttribute('d'))?.length ?? 0).toBeGreaterThan(20);
    const box = await line.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(await page.locator('path.track-start').count()).toBe(1);
    await page.getByText(TILES_FAILED).waitFor();
    expect(failedTiles.length).toBeGreaterThanOrEqual(3);
    expect(failedTiles.every((u) => OSM_TILE_URL.test(u))).toBe(true);
    expect(await page.locator('.leaflet-tile-pane .leaflet-layer').count()).toBe(0); // the tile layer is gone: the grid shows
    expect(await page.getByTestId('track-map').evaluate((el) => getComputedStyle(el).backgroundImage)).toMatch(/^linear-gradient/);
    await shot(page, 'device-track');
    await page.unroute(OSM_TILES);

    // With tiles reachable, the same map shows OpenStreetMap's, with its attribution and the page's origin as referrer.
    const tileReferrers = new Set<string>();
    await page.route(OSM_TILES, async (route) => {
      tileReferrers.add((await route.request().allHeaders()).referer ?? '(none)');
      return route.fulfill({ status: 200, contentType: 'image/png', body: TILE_PNG });
    });
    // The range bounds the track: the record sent a minute ago is outside it until widened.
    await page.getByLabel('To').fill(utcInput(now + 60));
    await page.getByRole('button', { name: 'Show track' }).click();
    await expect.poll(() => page.getByTestId('track-summary').textContent()).toMatch(/^13 points/);
    await page.locator('img.leaflet-tile-loaded').first().waitFor();
    const tiles = await page.locator('img.leaflet-tile').evaluateAll((imgs) => imgs.map((i) => [i.getAttribute('src'), i.getAttribute('referrerpolicy')]));
    expect(tiles.length).toBeGreaterThan(0);
    for (const [src, policy] of tiles) {
      expect(src).toMatch(OSM_TILE_URL);
      expect(policy).toBe('strict-origin-when-cross-origin');
    }
    expect([...tileReferrers]).toEqual([`${hub.apiUrl}/`]);
    const attribution = page.locator('.leaflet-control-attribution');
    expect(await attribution.textContent()).toContain('© OpenStreetMap contributors');
    expect(await attribution.getByRole('link', { name: 'OpenStreetMap', exact: true }).getAttribute('href')).toBe('https://www.openstreetmap.org/copyright');
    expect(await page.getByText(TILES_FAILED).count()).toBe(0);
    await page.unroute(OSM_TILES);
  });

  it('draws the track on a grid without a notice where the tile URL is empty: a preference, or a hub started with --tile-url none', async () => {
    const tileRequests: string[] = [];
    await context.route(OSM_TILES, (route) => {
      tileRequests.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    try {
      await page.goto(`${hub.apiUrl}/#/preferences`);
      await page.getByLabel('Tile URL template').fill('');
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.getByText('Saved in this browser.').waitFor();
      await expectGridTrack(page, deviceId, 13);

      const bare = await startTestHub({ consoleDir, extra: { tileUrl: 'none' } });
      const other = await context.newPage();
      other.on('pageerror', (err) => pageErrors.push(String(err)));
      try {
        expect(await api(bare, 'GET', '/config.json', undefined, null)).toEqual({ status: 200, json: { liveUrl: '/live', tilesUrl: '' } });
        const made = await api(bare, 'POST', '/gw/devices', [{ name: 'Bare', configuration: { ident: IMEI } }]);
        const t = await SimulatedTracker.connect(bare.channelPort, IMEI);
        await t.send(lineRecords(now - 900, 3));
        t.close();
        await other.goto(`${bare.apiUrl}/`);
        await other.getByLabel('Access token').fill(TEST_TOKEN);
        await other.getByRole('button', { name: 'Log in' }).click();
        await other.getByRole('heading', { name: 'Devices' }).waitFor();
        await expectGridTrack(other, made.json.result[0].id as number, 3);
      } finally {
        await other.close();
        await bare.stop();
      }
      expect(tileRequests).toEqual([]);
    } finally {
      await context.unroute(OSM_TILES);
    }
    // Back to the default: preferences keep only what differs from it.
    await page.goto(`${hub.apiUrl}/#/preferences`);
    await page.getByLabel('Tile URL template').fill('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Saved in this browser.').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('hub.console.prefs'))).toBe('{"v":2}');
    await page.goto(`${hub.apiUrl}/#/devices/${deviceId}/track`); // where the next test starts
    await page.getByRole('heading', { name: 'Truck 7' }).waitFor();
  });

  it('shows the telemetry table and the device as online in the list', async () => {
    await page.getByRole('link', { name: 'Telemetry' }).click();
    await page.locator('table.telemetry th', { hasText: 'position.speed' }).waitFor();
    await expectLabelled(page);
    await shot(page, 'device-telemetry');
    await page.getByRole('link', { name: 'Devices', exact: true }).first().click();
    await page.locator('table.devices tr', { hasText: IMEI }).locator('.badge-online').waitFor({ timeout: 10_000 });
    await page.getByLabel('Search by name or ident').fill('4410');
    await page.locator('table.devices tbody tr', { hasText: IMEI }).waitFor();
    await page.getByLabel('Search by name or ident').fill('no such truck');
    await page.getByText('No device matches the search.').waitFor();
    await page.getByLabel('Search by name or ident').fill('');
    await shot(page, 'devices');
  });

  it('round-trips a queued and an immediate command to the tracker and shows the results', async () => {
    await page.goto(`${hub.apiUrl}/#/devices/${deviceId}/commands`);
    await page.getByLabel('Command', { exact: true }).selectOption('setdigout');
    await page.getByLabel('outputs', { exact: true }).fill('xyz');
    await page.getByRole('button', { name: 'Queue command' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /Check the properties: outputs: must match/ })
      .waitFor();
    expect(await page.getByLabel('outputs', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Command', { exact: true }).selectOption('getparam');
    await page.getByLabel('param', { exact: true }).fill('10000');
    await expectLabelled(page);
    await page.getByRole('button', { name: 'Queue command' }).click();
    await page.getByText(/Queued "getparam"/).waitFor();
    expect(await tracker!.waitCommand((c) => c === 'getparam 10000')).toBe('getparam 10000');
    await page.locator('table.results tr', { hasText: 'Param ID:10000 Value:30' }).waitFor({ timeout: 10_000 });

    await page.getByLabel('Command', { exact: true }).selectOption('getver');
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => page.getByTestId('immediate-result').textContent(), { timeout: 15_000 }).toMatch(/Executed.*Ver:03\.28\.07_04/);
    expect(tracker!.commands).toContain('getver');
    await shot(page, 'device-commands');
  });

  it('takes a setting from pending to synced', async () => {
    await page.goto(`${hub.apiUrl}/#/devices/${deviceId}/settings`);
    await page.locator('tr[data-setting="report_interval_stop"]').waitFor();
    const probe = await api(hub, 'GET', `/gw/devices/${deviceId}/settings`);
    if (probe.status === 404 && /no route/.test(JSON.stringify(probe.json))) {
      await page.getByText(/Remote settings is not available on this hub yet/).waitFor();
      await shot(page, 'device-settings');
      console.warn(
        '[console e2e] WAITING: the settings routes are not in this hub yet (GET /gw/devices/{sel}/settings → 404 no route); "takes a setting from pending to synced" runs once they land.',
      );
      return expect.soft(probe.status, 'settings routes missing: this test is waiting for them').toBe(404);
    }
    tracker!.hold = true;
    await page.getByRole('button', { name: 'Edit report_interval_stop' }).click();
    const input = page.getByLabel('New value for report_interval_stop');
    await input.fill('-5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/report_interval_stop: must be ≥ 0/).waitFor();
    await input.fill('45');
    await expectLabelled(page);
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('tr[data-setting="report_interval_stop"]');
    await row.locator('.badge-pending').waitFor({ timeout: 10_000 });
    await tracker!.waitCommand((c) => c.startsWith('setparam 10000:45'));
    await shot(page, 'device-settings');
    tracker!.release();
    await row.locator('.badge-synced').waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain('45');
    expect(tracker!.params.get('10000')).toBe('45');
  });

  it('shows the device log', async () => {
    await page.goto(`${hub.apiUrl}/#/devices/${deviceId}/log`);
    await page.locator('table.log .badge', { hasText: 'connected' }).first().waitFor();
    await shot(page, 'device-log');
  });

  it('shows each channel as listening, or in the danger style why not and since when (a port another socket holds)', async () => {
    const holder = createTcpServer();
    portHolder = holder;
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    const created = await api(hub, 'POST', '/gw/channels', [{ name: 'port-taken', protocol_name: 'teltonika', configuration: { port } }]);
    expect(created.status).toBe(200);
    const id = created.json.result[0].id as number;
    const status = await eventually(async () => {
      const s = (await api(hub, 'GET', `/gw/channels/${id}`)).json.result[0].status;
      return s.since === null ? undefined : (s as { listening: boolean; error?: string; since: number });
    }, 10_000);
    expect(status).toMatchObject({ listening: false, error: `address 127.0.0.1:${port} in use` });
    await page.getByRole('link', { name: 'Channels' }).click();
    const taken = page.locator('table.channels tr[data-channel="port-taken"]');
    await expect.poll(() => taken.locator('.reason').textContent()).toBe(`address 127.0.0.1:${port} in use`);
    expect(await taken.locator('.badge-failed').textContent()).toBe('not listening');
    expect(await taken.locator('.reason').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(185, 28, 28)'); // --danger
    const since = new Date(status.since * 1000).toISOString().slice(0, 19).replace('T', ' '); // the browser runs in UTC
    expect(await taken.locator('.channel-error .muted').textContent()).toBe(`since ${since}`);
    const serving = page.locator('table.channels tr[data-channel="teltonika"]');
    expect(await serving.locator('.badge-online').textContent()).toBe('listening');
    expect(await serving.locator('.reason').count()).toBe(0);
  });

  it('lists channels and connections, and kicks the tracker', async () => {
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.locator('table.channels tr', { hasText: 'teltonika' }).first().waitFor();
    const conn = page.locator(`table.connections tr[data-ident="${IMEI}"]`);
    await conn.waitFor({ timeout: 10_000 });
    await expectLabelled(page);
    await shot(page, 'channels');
    await page.getByRole('button', { name: `Kick ${IMEI}` }).click();
    await tracker!.waitClosed(10_000);
    await conn.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('edits a device, swaps its hardware after a confirmation, and deletes it after another', async () => {
    const created = await api(hub, 'POST', '/gw/devices', [{ name: 'Spare', configuration: { ident: SPARE_IMEI } }]);
    const spare = created.json.result[0].id as number;
    await page.goto(`${hub.apiUrl}/#/devices/${spare}/configure`);
    await page.getByLabel('Name', { exact: true }).fill('Spare van');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Spare van' }).waitFor();

    const newIdent = '356307042441047';
    await page.getByLabel('New ident').fill(newIdent);
    await page.getByRole('button', { name: 'Swap hardware…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Swap the hardware?' });
    await dialog.waitFor();
    await shot(page, 'device-swap-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api(hub, 'GET', `/gw/devices/${spare}`)).json.result[0].configuration.ident).toBe(SPARE_IMEI);
    await page.getByRole('button', { name: 'Swap hardware…' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: `Swap to ${newIdent}` })
      .click();
    await expect.poll(() => page.getByTestId('device-ident').textContent()).toBe(newIdent);
    expect((await api(hub, 'GET', `/gw/devices/${spare}`)).json.result[0]).toMatchObject({ id: spare, name: 'Spare van', configuration: { ident: newIdent } });

    await page.getByRole('button', { name: 'Delete device…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete device' }).click();
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    expect((await api(hub, 'GET', `/gw/devices/${spare}`)).status).toBe(404);
  });

  it('shows streams with status, per-batch logs and subscriptions', async () => {
    await page.getByRole('link', { name: 'Streams' }).click();
    await page.getByRole('heading', { name: 'Streams' }).waitFor();
    const probe = await api(hub, 'GET', '/gw/streams/all');
    if (probe.status === 404 && /no route/.test(JSON.stringify(probe.json))) {
      await page.getByText(/Streams is not available on this hub yet/).waitFor();
      await shot(page, 'streams');
      console.warn(
        '[console e2e] WAITING: the streams routes are not in this hub yet (GET /gw/streams/all → 404 no route); the streams page test runs once they land.',
      );
      return expect.soft(probe.status, 'streams routes missing: this test is waiting for them').toBe(404);
    }
    const received: unknown[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(...(JSON.parse(body || '[]') as unknown[]));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as { port: number }).port;
    try {
      await page.getByRole('button', { name: 'New stream' }).click();
      await page.getByLabel('Name', { exact: true }).fill('e2e-http');
      await page.getByLabel('Type', { exact: true }).selectOption('http');
      await page.getByLabel('Configuration (JSON)').fill(JSON.stringify({ uri: `http://127.0.0.1:${port}/in` }));
      await page.getByRole('button', { name: 'Create stream' }).click();
      await page.getByText(/Stream created/).waitFor();
      const row = page.locator('tr[data-stream="e2e-http"]');
      await row.waitFor();
      await page.getByRole('button', { name: 'Details of stream e2e-http' }).click();
      await page.getByLabel('Subscribe devices (ids or selector)').fill(String(deviceId));
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.locator('ul.subscriptions li', { hasText: 'Truck 7' }).waitFor();
      const t = await SimulatedTracker.connect(hub.channelPort, IMEI);
      await t.send([{ timestampMs: Date.now(), latitude: 54.7, longitude: 25.3, speed: 5 }]);
      t.close();
      await eventually(async () => (received.length > 0 ? true : undefined), 15_000);
      await page.locator('table.stream-logs tbody tr td', { hasText: /\d/ }).first().waitFor({ timeout: 15_000 });
      await expectLabelled(page);
      await shot(page, 'streams');
    } finally {
      receiver.close();
    }
  });

  it('gives a token limited to one device only that device', async () => {
    const other = await api(hub, 'POST', '/gw/devices', [{ name: 'Other company car', configuration: { ident: OTHER_IMEI } }]);
    const otherId = other.json.result[0].id as number;
    // The token is made on the Tokens page: read-only, limited to the first device.
    await page.goto(`${hub.apiUrl}/#/tokens`);
    // None yet (the admin token is the hub's own): the table says so.
    await expect.poll(() => page.locator('table.tokens tbody tr').allTextContents()).toEqual(['No tokens yet.']);
    await page.getByLabel('Description').fill('one device, read only');
    await page.getByLabel('Limit to device ids (empty: no limit)').fill(String(deviceId));
    await page.getByLabel('Read only (devices)').check();
    await expectLabelled(page);
    await page.getByRole('button', { name: 'Create token' }).click();
    const key = (await page.getByTestId('new-token-key').textContent())!.trim();
    await page.locator('table.tokens tr', { hasText: `GET gw/devices [${deviceId}]` }).waitFor();
    await shot(page, 'tokens', [page.getByTestId('new-token-key')]);
    const limited = await context.newPage();
    limited.on('pageerror', (err) => pageErrors.push(String(err)));
    try {
      await limited.goto(`${hub.apiUrl}/`);
      await limited.getByLabel('Access token').fill(key);
      await limited.getByRole('button', { name: 'Log in' }).click();
      await limited.getByRole('heading', { name: 'Devices' }).waitFor();
      await expect.poll(() => limited.locator('table.devices tbody tr[data-device-id]').count()).toBe(1);
      expect(await limited.locator('table.devices tbody').textContent()).toContain('Truck 7');
      expect(await limited.locator('table.devices tbody').textContent()).not.toContain('Other company car');
      await limited.screenshot({ path: join(SHOTS, 'limited-token.png') });
      await limited.locator('table.devices tr', { hasText: IMEI }).locator('.badge-unknown').waitFor(); // connections are not in its ACL
      await limited.goto(`${hub.apiUrl}/#/devices/${otherId}/live`);
      await limited.getByText(`This token may not access device ${otherId}.`).waitFor();
    } finally {
      await limited.close();
    }
  });

  it('fits a phone-sized screen (390 px) without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${hub.apiUrl}/#/devices`);
    await page.locator('table.devices tr', { hasText: IMEI }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'devices-phone');
    await page.getByRole('button', { name: 'New device' }).click();
    const fit = await selectFit(page, '#new-device-type');
    expect(fit.width).toBeGreaterThanOrEqual(fit.needed);
    expect(fit.right).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'Close form' }).click();
    // Channels stack on a phone: every cell, the long error too, inside the screen.
    await page.goto(`${hub.apiUrl}/#/channels`);
    await page.locator('table.channels tr', { hasText: 'port-taken' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const cells = await page.locator('table.channels td').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect()));
    expect(cells.length).toBe(12); // 2 channels × (5 columns + actions)
    for (const c of cells) expect([c.left >= 0, c.right <= 390]).toEqual([true, true]);
    await shot(page, 'channels-phone');
    await page.goto(`${hub.apiUrl}/#/devices/${deviceId}/live`);
    await page.locator('.message').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'device-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('falls back to polling messages?from= where the deployment has no push, and still shows a new record within 1 s', async () => {
    // The live socket fails (closed before any subscription, as where the upgrade is refused): the console polls.
    const refused: string[] = [];
    await page.routeWebSocket(/\/live\?/, (ws) => {
      refused.push(new URL(ws.url()).pathname);
      void ws.close({ code: 1008, reason: 'refused' });
    });
    await page.goto(`${hub.apiUrl}/#/preferences`);
    await page.getByLabel('Polling period (s)').fill('0.5');
    await expectLabelled(page);
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Saved in this browser.').waitFor();
    await shot(page, 'preferences');
    await page.goto(`${hub.apiUrl}/#/devices/${deviceId}/live`);
    await expect.poll(() => page.getByTestId('live-status').textContent()).toMatch(/polling every 0.5 s/);
    const t = await SimulatedTracker.connect(hub.channelPort, IMEI);
    try {
      const appeared = await watchLiveLog(page, '54.712345');
      const sent = Date.now();
      await t.send([{ timestampMs: Date.now(), latitude: 54.712345, longitude: 25.31, speed: 12 }]);
      const latency = (await appeared()) - sent;
      console.log(`[console e2e] live message on screen ${latency} ms after the tracker sent it (polling every 0.5 s)`);
      expect(latency).toBeLessThan(1000);
    } finally {
      t.close();
    }
    expect(refused[0]).toBe('/live');
    await page.goto(`${hub.apiUrl}/#/preferences`);
    await page.getByLabel('Polling period (s)').fill('1');
    await page.getByRole('button', { name: 'Save preferences' }).click();
  });

  it('logs out, forgetting the token, and raised no script error on any page', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Access token').waitFor();
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(TEST_TOKEN);
    expect(pageErrors).toEqual([]);
  });
});
