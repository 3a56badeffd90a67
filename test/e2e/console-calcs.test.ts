import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually } from '../helpers/local-hub.js';
import { type ConsoleHarness, startConsole } from './console-harness.js';
import { SimulatedTracker } from './tracker.js';

/**
 * The console's calculators page and the device's Trips / intervals tab (issue 18) in headless
 * Chromium against a local hub. Needs the calculators backend (`/gw/calcs` routes of API.md).
 */
const IMEI = '356307042441054';
const HOME = { lat: 54.6872, lon: 25.2797 };

describe('console: calculators and intervals in Chromium against a local hub', { timeout: 120_000 }, () => {
  let c: ConsoleHarness;
  let tracker: SimulatedTracker | undefined;
  let deviceId = 0;
  let calcId = 0;
  const start = Math.floor(Date.now() / 1000) - 3600;

  beforeAll(async () => {
    c = await startConsole();
    const r = await api(c.hub, 'POST', '/gw/devices', [{ name: 'Van 3', configuration: { ident: IMEI }, metadata: { max_speed: 50 } }]);
    deviceId = r.json.result[0].id;
    tracker = await SimulatedTracker.connect(c.hub.channelPort, IMEI);
    // a 10-minute drive with the ignition on, then 10 minutes parked with it off, one record a minute
    const drive = Array.from({ length: 11 }, (_, i) => ({
      timestampMs: (start + i * 60) * 1000,
      latitude: HOME.lat + i * 0.002,
      longitude: HOME.lon + i * 0.003,
      speed: 40,
      satellites: 9,
      io1: { 239: 1 },
    }));
    const parked = Array.from({ length: 10 }, (_, i) => ({
      timestampMs: (start + 660 + i * 60) * 1000,
      latitude: HOME.lat + 0.02,
      longitude: HOME.lon + 0.03,
      speed: 0,
      satellites: 9,
      io1: { 239: 0 },
    }));
    await tracker.send([...drive, ...parked]);
    await eventually(async () => ((await api(c.hub, 'GET', `/gw/devices/${deviceId}/messages`)).json.result.length === 21 ? true : undefined));
  }, 180_000);

  afterAll(async () => {
    tracker?.close();
    await c?.stop();
  });

  it('fills the JSON from the recipes, shows the hub’s 400 for bad raw JSON, creates a calculator and shows the sync of an assigned device', async () => {
    const { page } = c;
    await c.go('#/calcs');
    await page.getByRole('heading', { name: 'Calculators' }).waitFor();
    await page.getByText('No calculators yet.').waitFor();
    await page.getByRole('button', { name: 'New calculator' }).click();
    const json = page.getByLabel('Calculator (JSON)');
    await page.getByLabel('Recipe').selectOption({ label: "Overspeed (limit from the device's metadata max_speed)" });
    expect(JSON.parse(await json.inputValue()).selectors[0].expression).toBe("position.speed > metadata('max_speed')");
    await page.getByLabel('Recipe').selectOption({ label: 'Inactivity (silence over 30 minutes)' });
    expect(JSON.parse(await json.inputValue()).selectors).toEqual([{ type: 'inactive', min_duration: 1800 }]);

    await json.fill('{"name": "bad", "selectors": []}');
    await page.getByRole('button', { name: 'Create calculator' }).click();
    await expect.poll(() => page.getByTestId('calc-error').textContent()).toMatch(/^selectors: /);

    await page.getByLabel('Recipe').selectOption({ label: 'Trips by ignition' });
    const body = JSON.parse(await json.inputValue());
    expect(body.selectors[0]).toMatchObject({ type: 'expression', expression: 'engine.ignition.status == true' });
    expect(body.counters.map((x: { name: string }) => x.name)).toEqual(['distance', 'max_speed', 'avg_speed', 'messages', 'route']);
    await page.getByRole('button', { name: 'Create calculator' }).click();
    const row = page.locator('table.calcs tr', { hasText: 'Trips (ignition)' });
    await row.waitFor();
    calcId = (await api(c.hub, 'GET', '/gw/calcs/all')).json.result[0].id;

    await page.getByLabel('Assign devices to Trips (ignition)').fill(String(deviceId));
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByTestId(`calc-${calcId}-devices`).getByText(`device ${deviceId}`).waitFor();
    await expect.poll(() => page.getByTestId(`calc-${calcId}-devices`).locator('.badge').textContent(), { timeout: 20_000 }).toBe('synced');
    const sync = (await api(c.hub, 'GET', `/gw/calcs/${calcId}/devices/${deviceId}`)).json.result;
    expect(sync).toMatchObject([{ calc_id: calcId, device_id: deviceId, synced: true }]);
    await c.shot('calcs');
  });

  it('lists the device’s trips with their counters, draws the selected route, downloads CSV and GPX, and reloads on a pushed interval event', async () => {
    const { page } = c;
    // what the tab's live socket receives (its interval events reload the list)
    const received: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => void received.push(String(f.payload))));
    await c.go(`#/devices/${deviceId}/intervals`);
    await page.getByLabel('Calculator').waitFor();
    const rows = page.locator('table.intervals tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    const headings = await page.locator('table.intervals thead th').allTextContents();
    expect(headings.slice(0, 7)).toEqual(['Begin', 'End', 'Duration', 'distance', 'max_speed', 'avg_speed', 'messages']);
    const stored = (await api(c.hub, 'GET', `/gw/calcs/${calcId}/devices/${deviceId}/intervals/all`)).json.result;
    expect(stored).toHaveLength(1);
    expect(await rows.first().locator('td').nth(4).textContent()).toBe(String(stored[0].max_speed));

    await rows.first().getByRole('button', { name: 'Show route' }).click();
    await page.locator('path.track-line').waitFor();
    expect(stored[0].route.length).toBeGreaterThan(1);

    const csv = page.getByTestId('export-csv');
    expect(await csv.getAttribute('href')).toBe(`/gw/calcs/${calcId}/devices/${deviceId}/intervals/all?format=csv`);
    expect(await page.getByTestId('export-gpx').getAttribute('href')).toBe(`/gw/calcs/${calcId}/devices/${deviceId}/intervals/all?format=gpx`);
    for (const [link, ext, marker] of [
      [csv, 'csv', 'begin'],
      [page.getByTestId('export-gpx'), 'gpx', '<gpx'],
    ] as const) {
      const download = page.waitForEvent('download');
      await link.click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(`Trips (ignition)-${deviceId}.${ext}`);
      const path = await file.path();
      expect(readFileSync(path, 'utf8')).toContain(marker);
    }
    await c.shot('device-intervals');

    // a second drive: its interval events come over the live socket and the list shows the new trip
    const topic = `gw/calcs/${calcId}/devices/${deviceId}/intervals`;
    await expect.poll(() => received.some((f) => f.includes(`"subscribed":"${topic}"`))).toBe(true);
    const again = (i: number, on: boolean) => ({
      timestampMs: (start + 1320 + i * 60) * 1000,
      latitude: HOME.lat + 0.02,
      longitude: HOME.lon + 0.03 + (on ? i * 0.003 : 0.03),
      speed: on ? 40 : 0,
      satellites: 9,
      io1: { 239: on ? 1 : 0 },
    });
    await tracker?.send([...Array.from({ length: 6 }, (_, i) => again(i, true)), ...Array.from({ length: 3 }, (_, i) => again(6 + i, false))]);
    await expect.poll(() => received.some((f) => f.includes(`"topic":"${topic}"`) && f.includes('"event":"activated"')), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => rows.count(), { timeout: 5_000 }).toBe(2);
    expect(c.pageErrors).toEqual([]);
  });
});
