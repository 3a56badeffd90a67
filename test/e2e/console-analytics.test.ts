import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually } from '../helpers/local-hub.js';
import { type ConsoleHarness, startConsole } from './console-harness.js';
import { SimulatedTracker } from './tracker.js';

/**
 * The console's pages for issue 17 in headless Chromium against a real local hub with a simulated
 * Teltonika tracker: geofences drawn on the map (and the hub's 400 shown at the shape), plugins
 * created, assigned and previewed with the hub's own plugin code, and the messages filter with
 * the hub's reason and the position marked.
 */
const IMEI = '356307042441047';
const HOME = { lat: 54.6872, lon: 25.2797 };

/** Clicks the geofence map at offsets (px) from its center. */
async function clickMap(page: Page, points: readonly [number, number][]): Promise<void> {
  const map = page.getByTestId('geofence-map');
  await page.locator('.geofence-map.leaflet-container').waitFor();
  const box = await map.boundingBox();
  if (!box) throw new Error('the map has no box');
  for (const [dx, dy] of points) {
    await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
    await page.waitForTimeout(60); // not a double click (Leaflet zooms on those)
  }
}

describe('console: geofences, plugins and expression filters in Chromium against a local hub', { timeout: 120_000 }, () => {
  let c: ConsoleHarness;
  let tracker: SimulatedTracker | undefined;
  let deviceId = 0;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    c = await startConsole();
    const r = await api(c.hub, 'POST', '/gw/devices', [{ name: 'Truck 9', configuration: { ident: IMEI }, metadata: { max_speed: 50 } }]);
    deviceId = r.json.result[0].id;
    tracker = await SimulatedTracker.connect(c.hub.channelPort, IMEI);
    await tracker.send(
      [20, 45, 70].map((speed, i) => ({
        timestampMs: (now - 300 + i * 60) * 1000,
        latitude: HOME.lat,
        longitude: HOME.lon + i * 0.0001,
        speed,
        satellites: 9,
      })),
    );
    await eventually(async () => ((await api(c.hub, 'GET', `/gw/devices/${deviceId}/messages`)).json.result.length === 3 ? true : undefined));
  }, 180_000);

  afterAll(async () => {
    tracker?.close();
    await c?.stop();
  });

  it('refuses a self-crossing polygon with the reason at the shape, then creates the polygon drawn on the map and lists the device inside', async () => {
    const { page } = c;
    await c.go('#/geofences');
    await page.getByRole('heading', { name: 'Geofences' }).waitFor();
    await page.getByText('No geofences yet.').waitFor();
    await page.getByRole('button', { name: 'New geofence' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Depot');
    await page.getByLabel('Shape').selectOption('polygon');
    // a bow tie: edges 0–1 and 2–3 cross
    await clickMap(page, [
      [-100, -100],
      [100, 100],
      [100, -100],
      [-100, 100],
    ]);
    expect(await page.getByTestId('gf-points').textContent()).toBe('4 points');
    await page.getByRole('button', { name: 'Create geofence' }).click();
    await expect.poll(() => page.getByTestId('gf-shape-error').textContent()).toBe('geometry.path: the polygon crosses itself (edges 0–1 and 2–3)');
    expect((await api(c.hub, 'GET', '/gw/geofences/all')).json.result).toEqual([]);

    await page.getByRole('button', { name: 'Clear shape' }).click();
    expect(await page.getByTestId('gf-shape-error').count()).toBe(0);
    await clickMap(page, [
      [-100, -100],
      [100, -100],
      [100, 100],
      [-100, 100],
    ]);
    await page.getByRole('button', { name: 'Create geofence' }).click();
    const row = page.locator('table.geofences tr', { hasText: 'Depot' });
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('polygon 4 points');
    const [depot] = (await api(c.hub, 'GET', '/gw/geofences/all')).json.result;
    expect(depot).toMatchObject({ name: 'Depot', priority: 0, enabled: true, geometry: { type: 'polygon' } });
    expect(depot.geometry.path).toHaveLength(4);
    // drawn around the map's center (HOME): west/east and north/south of it
    const lats = depot.geometry.path.map((p: { lat: number }) => p.lat);
    const lons = depot.geometry.path.map((p: { lon: number }) => p.lon);
    expect(Math.min(...lats)).toBeLessThan(HOME.lat);
    expect(Math.max(...lats)).toBeGreaterThan(HOME.lat);
    expect(Math.min(...lons)).toBeLessThan(HOME.lon);
    expect(Math.max(...lons)).toBeGreaterThan(HOME.lon);
    await expect.poll(() => page.getByTestId(`inside-${depot.id}`).textContent()).toBe('Truck 9');
  });

  it('draws a circle (center, then a click for the radius), edits its priority, and lists both', async () => {
    const { page } = c;
    await page.getByRole('button', { name: 'New geofence' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Yard');
    await page.getByLabel('Shape').selectOption('circle');
    await clickMap(page, [
      [0, 0],
      [40, 0],
    ]);
    const radius = Number(await page.getByLabel('Radius (km)').inputValue());
    expect(radius).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Create geofence' }).click();
    await page.locator('table.geofences tr', { hasText: 'Yard' }).waitFor();
    await page.getByRole('button', { name: 'Edit geofence Yard' }).click();
    await page.getByLabel('Priority').fill('5');
    await page.getByRole('button', { name: 'Save geofence' }).click();
    await page.getByText('Geofence "Yard" saved.').waitFor();
    const yard = (await api(c.hub, 'GET', '/gw/geofences/name=Yard')).json.result[0];
    expect(yard).toMatchObject({ priority: 5, geometry: { type: 'circle', radius } });
    expect(await page.locator('table.geofences tbody tr').count()).toBe(2);
    await page.locator('.geofence-shape').first().waitFor();
  });

  it('draws a corridor (path and width) and edits a polygon by dragging a corner on the map', async () => {
    const { page } = c;
    await page.getByRole('button', { name: 'New geofence' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Road');
    await page.getByLabel('Shape').selectOption('corridor');
    await page.getByLabel('Width (km)').fill('0.05');
    await clickMap(page, [
      [-150, 120],
      [0, 60],
      [150, 120],
    ]);
    await page.getByRole('button', { name: 'Create geofence' }).click();
    await page.locator('table.geofences tr', { hasText: 'Road' }).waitFor();
    const road = (await api(c.hub, 'GET', '/gw/geofences/name=Road')).json.result[0];
    expect(road.geometry.type).toBe('corridor');
    expect(road.geometry.width).toBe(0.05);
    expect(road.geometry.path).toHaveLength(3);

    const before = (await api(c.hub, 'GET', '/gw/geofences/name=Depot')).json.result[0].geometry.path;
    await page.getByRole('button', { name: 'Edit geofence Depot' }).click();
    const handle = page.locator('.geofence-handle').first();
    await handle.waitFor();
    const box = await handle.boundingBox();
    if (!box) throw new Error('no handle');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 40, box.y + box.height / 2 - 30, { steps: 8 });
    await page.mouse.up();
    expect(await page.getByTestId('gf-points').textContent()).toBe('4 points'); // the drop is no new point
    await page.getByRole('button', { name: 'Save geofence' }).click();
    await page.getByText('Geofence "Depot" saved.').waitFor();
    const after = (await api(c.hub, 'GET', '/gw/geofences/name=Depot')).json.result[0].geometry.path;
    expect(after.slice(1)).toEqual(before.slice(1));
    expect(after[0].lat).toBeGreaterThan(before[0].lat); // dragged up (north) and left (west)
    expect(after[0].lon).toBeLessThan(before[0].lon);
    await expect.poll(() => page.locator('.geofence-shape').count()).toBeGreaterThanOrEqual(3);
    await c.shot('geofences');
  });

  it('creates plugins of the page (the hub refuses a bad expression with the position), assigns them and previews a message', async () => {
    const { page } = c;
    await c.go('#/plugins');
    await page.getByRole('button', { name: 'New plugin' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Broken');
    await page.getByLabel('Type').selectOption('expression');
    await page.getByLabel('Configuration (JSON)').fill('{"parameter": "fast", "expression": "position.speed >"}');
    await page.getByRole('button', { name: 'Create plugin' }).click();
    await expect.poll(() => page.getByTestId('plugin-error').textContent()).toBe('configuration.expression: expected an expression at 16');

    await page.getByLabel('Configuration (JSON)').fill('{"parameter": "fast", "expression": "position.speed > metadata(\'max_speed\')"}');
    await page.getByLabel('Name', { exact: true }).fill('Fast flag');
    await page.getByRole('button', { name: 'Create plugin' }).click();
    await page.locator('table.plugins tr', { hasText: 'Fast flag' }).waitFor();
    await page.getByRole('button', { name: 'New plugin' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Fleet tag');
    await page.getByLabel('Type').selectOption('static');
    expect(JSON.parse(await page.getByLabel('Configuration (JSON)').inputValue())).toEqual({ parameters: { fleet: 'north' } });
    await page.getByRole('button', { name: 'Create plugin' }).click();
    await page.locator('table.plugins tr', { hasText: 'Fleet tag' }).waitFor();
    await c.shot('plugins');

    await c.go(`#/devices/${deviceId}/plugins`);
    await page.getByText('No plugins assigned.').waitFor();
    for (const name of ['Fleet tag (static)', 'Fast flag (expression)']) {
      await page.getByLabel('Assign a plugin').selectOption({ label: name });
      await page.getByRole('button', { name: 'Assign', exact: true }).click();
      await page.locator('table.device-plugins td', { hasText: name.split(' (')[0] }).waitFor();
    }
    const order = await page.locator('table.device-plugins tbody tr td:nth-child(2)').allTextContents();
    expect(order).toEqual(['Fleet tag', 'Fast flag']);
    const links = (await api(c.hub, 'GET', `/gw/devices/${deviceId}/plugins`)).json.result;
    expect(links.map((l: { device_id: number }) => l.device_id)).toEqual([deviceId, deviceId]);

    // the newest message (70 km/h, over the device's max_speed 50)
    await expect.poll(() => page.getByTestId('plugin-preview-changes').textContent()).toBe('+ fleet: "north"\n+ fast: true');
    await page.getByLabel('Message', { exact: true }).selectOption({ index: 2 }); // the oldest, 20 km/h
    await expect.poll(() => page.getByTestId('plugin-preview-changes').textContent()).toBe('+ fleet: "north"\n+ fast: false');
    await c.shot('device-plugins');

    await page.getByRole('button', { name: 'Unassign plugin Fast flag' }).click();
    await expect.poll(() => page.locator('table.device-plugins tbody tr td:nth-child(2)').allTextContents()).toEqual(['Fleet tag']);
  });

  it('filters messages by an expression and shows the hub’s reason under the input with the position marked', async () => {
    const { page } = c;
    await c.go(`#/devices/${deviceId}/live`);
    await expect.poll(() => page.locator('ol.messages li').count()).toBe(3);
    await page.getByLabel('Filter (expression)').fill('position.speed > 10)');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('filter-error').textContent()).toBe("filter: unexpected ')' at 19");
    expect(await page.getByTestId('filter-caret').textContent()).toBe(`position.speed > 10)\n${' '.repeat(19)}^`);
    expect(await page.getByLabel('Filter (expression)').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByTestId('live-status').textContent()).toBe(' Stopped: the hub refused the filter');
    await c.shot('device-filter-error');

    await page.getByLabel('Filter (expression)').fill("position.speed > 40 && exists('position.satellites')");
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('ol.messages li').count()).toBe(2);
    expect(await page.getByTestId('filter-error').count()).toBe(0);
    expect(await page.locator('ol.messages li summary span:nth-child(3)').allTextContents()).toEqual(['70 km/h', '45 km/h']);
    await expect.poll(() => page.getByTestId('live-status').textContent()).toMatch(/polling every .* \(filtered\)/);
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await expect.poll(() => page.locator('ol.messages li').count()).toBe(3);
    expect(c.pageErrors).toEqual([]);
  });
});
