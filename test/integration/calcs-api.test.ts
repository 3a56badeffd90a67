import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeviceEvent } from '../../core/ports.js';
import { api, eventually, startTestHub } from '../helpers/local-hub.js';

type Row = Record<string, unknown>;
const T0 = 1_700_000_000;

/** A message every 60 s from `from` (minutes after T0) for `n` minutes, ignition as given. */
const run = (from: number, n: number, ign: boolean, speed = ign ? 50 : 0): Row[] =>
  Array.from({ length: n }, (_, k) => ({
    timestamp: T0 + (from + k) * 60,
    'engine.ignition.status': ign,
    'position.speed': speed,
    'position.latitude': 54.6 + (from + k) / 1000,
    'position.longitude': 25.2,
  }));

const TRIPS = {
  name: 'trips',
  selectors: [{ type: 'expression', expression: 'engine.ignition.status', max_inactive: 120 }],
  counters: [
    { type: 'messages', name: 'messages' },
    { type: 'expression', name: 'top_speed', expression: 'position.speed', method: 'maximum' },
  ],
  update_delay: 0,
  // the messages are from 2023: within the calculated history
  intervals_ttl: 10 * 365 * 86400,
};

/**
 * Calculators through the API of a local hub (messages injected with POST .../messages, the same
 * ingest path as device frames): CRUD and validation, assignment with backfill progress, intervals
 * updated by new, late and redelivered messages, the interval routes and exports.
 */
describe('calculators API and ingest wiring', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let device: number;
  let calc: number;
  const events: DeviceEvent[] = [];

  const call = async (method: string, path: string, body?: unknown): Promise<Row[]> => {
    const r = await api(hub, method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBe(200);
    return r.json.result as Row[];
  };
  const intervals = async (query = ''): Promise<Row[]> => call('GET', `/gw/calcs/${calc}/devices/${device}/intervals/all${query}`);
  const spans = (rows: Row[]) => rows.map((r) => [(r.begin as number) - T0, (r.end as number) - T0, r.messages]);

  beforeAll(async () => {
    hub = await startTestHub({ extra: { defaultChannel: false } });
    vi.spyOn(hub.services.deviceEvents, 'publish').mockImplementation(async (e) => void events.push(...e));
    [{ id: device }] = (await call('POST', '/gw/devices', [{ name: 'truck', configuration: { ident: '351000000000001' } }])) as { id: number }[];
  });
  afterAll(async () => hub?.stop());

  it('creates, reads, changes and validates calculators (400 naming the field)', async () => {
    const [created] = await call('POST', '/gw/calcs', [TRIPS]);
    calc = created.id as number;
    expect(created).toEqual({ ...TRIPS, id: calc, timezone: 'UTC', selectors: [{ ...TRIPS.selectors[0], method: 'boolean' }] });
    expect((await call('GET', `/gw/calcs/${calc}`))[0].name).toBe('trips');
    expect((await call('PUT', `/gw/calcs/${calc}`, { timezone: 'Europe/Vilnius' }))[0].timezone).toBe('Europe/Vilnius');
    const bad = await api(hub, 'POST', '/gw/calcs', [{ name: 'x', selectors: [{ type: 'expression', expression: 'a >' }] }]);
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].reason).toBe('[0].selectors[0].expression: expected an expression at 3');
    const noFence = await api(hub, 'POST', '/gw/calcs', [{ name: 'x', selectors: [{ type: 'geofence', geofences: [77] }] }]);
    expect(noFence.status).toBe(400);
    expect(noFence.json.errors[0].reason).toBe('[0].selectors[0].geofences: no geofence 77');
    expect((await api(hub, 'GET', '/gw/calcs/999')).status).toBe(404);
  });

  it('calculates the stored history on assignment (backfill), then synced', async () => {
    await call('POST', `/gw/devices/${device}/messages`, [...run(0, 10, true), ...run(12, 1, false), ...run(20, 5, true), ...run(25, 5, false)]);
    const [assigned] = await call('POST', `/gw/calcs/${calc}/devices/${device}`);
    expect(assigned).toMatchObject({ calc_id: calc, device_id: device });
    const done = await eventually(async () => {
      const [a] = await call('GET', `/gw/calcs/${calc}/devices/${device}`);
      return a.synced === true ? a : undefined;
    });
    expect(done).toEqual({ calc_id: calc, device_id: device, synced: true, updated: T0 + 29 * 60 });
    const rows = await intervals();
    expect(spans(rows)).toEqual([
      [0, 540, 10],
      [1200, 1440, 5],
    ]);
    expect(rows[0]).toMatchObject({ id: T0 * 1000, calc_id: calc, device_id: device, duration: 540, active: false, top_speed: 50 });
    expect(events.map((e) => e.event)).toEqual(['activated', 'deactivated', 'activated', 'deactivated']);
  });

  it('updates the intervals as new messages arrive; a redelivered batch changes nothing and hands its events again', async () => {
    events.length = 0;
    const batch = [...run(30, 3, true, 80), ...run(33, 40, false)];
    await call('POST', `/gw/devices/${device}/messages`, batch);
    const after = await intervals();
    expect(spans(after)).toEqual([
      [0, 540, 10],
      [1200, 1440, 5],
      [1800, 1920, 3],
    ]);
    expect(after[2].top_speed).toBe(80);
    expect(events.map((e) => `${e.event}:${(e as { interval: Row }).interval.id}`)).toEqual([
      `activated:${(T0 + 1800) * 1000}`,
      `deactivated:${(T0 + 1800) * 1000}`,
    ]);
    const published = [...events];
    events.length = 0;
    const [stateBefore] = await call('GET', `/gw/calcs/${calc}/devices/${device}`);
    await call('POST', `/gw/devices/${device}/messages`, batch);
    expect(await intervals()).toEqual(after);
    // the same events again, not new ones: a crash may have come between the state write and their publication (at least once)
    expect(events).toEqual(published);
    expect((await call('GET', `/gw/calcs/${calc}/devices/${device}`))[0]).toEqual(stateBefore);
  });

  it('recalculates late messages: the black box fills the gap, two trips merge, the first keeps its id', async () => {
    events.length = 0;
    await call('POST', `/gw/devices/${device}/messages`, [...run(10, 2, true), ...run(13, 7, true)]);
    const rows = await intervals();
    expect(spans(rows)).toEqual([
      [0, 1440, 25],
      [1800, 1920, 3],
    ]);
    expect(rows.map((r) => r.id)).toEqual([T0 * 1000, (T0 + 1800) * 1000]);
    expect(events.map((e) => `${e.event}:${(e as { interval: Row }).interval.id}`)).toEqual([`updated:${T0 * 1000}`, `deleted:${(T0 + 1200) * 1000}`]);
  });

  it('selects intervals (last, ids, from/to, count, reverse), exports CSV and GPX', async () => {
    const last = await call('GET', `/gw/calcs/${calc}/devices/${device}/intervals/last`);
    expect(last.map((r) => r.begin)).toEqual([T0 + 1800]);
    const two = await call('GET', `/gw/calcs/${calc}/devices/${device}/intervals/${T0 * 1000},${(T0 + 1800) * 1000}`);
    expect(two.map((r) => r.begin)).toEqual([T0, T0 + 1800]);
    expect(spans(await intervals(`?from=${T0 + 1}`))).toEqual([[1800, 1920, 3]]);
    expect(spans(await intervals(`?to=${T0 + 1500}`))).toEqual([[0, 1440, 25]]);
    expect(await intervals('?reverse=true&count=2&fields=begin')).toEqual([{ begin: T0 + 1800 }, { begin: T0 }]);
    const bad = await api(hub, 'GET', `/gw/calcs/${calc}/devices/${device}/intervals/first`);
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].reason).toMatch(/^interval selector "first"/);
    const csv = await fetch(`${hub.apiUrl}/gw/calcs/${calc}/devices/${device}/intervals/last?format=csv`, {
      headers: { authorization: `FlespiToken ${hub.adminToken}` },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe('id,calc_id,device_id,begin,begin_time,end,end_time,duration,active,messages,top_speed');
    expect(lines[1]).toBe(
      `${(T0 + 1800) * 1000},${calc},${device},${T0 + 1800},2023-11-15T00:43:20+02:00,${T0 + 1920},2023-11-15T00:45:20+02:00,120,false,3,80`,
    );
    const gpx = await fetch(`${hub.apiUrl}/gw/calcs/${calc}/devices/${device}/intervals/all?format=gpx`, {
      headers: { authorization: `FlespiToken ${hub.adminToken}` },
    });
    expect(gpx.headers.get('content-type')).toBe('application/gpx+xml; charset=utf-8');
    expect(((await gpx.text()).match(/<trk>/g) ?? []).length).toBe(2);
  });

  it('attaches user fields, deletes intervals and recalculates them at the next backfill', async () => {
    const id = T0 * 1000;
    const [changed] = await call('PUT', `/gw/calcs/${calc}/devices/${device}/intervals/${id}`, { driver: 'Ona', note: null });
    expect(changed).toMatchObject({ id, driver: 'Ona' });
    expect((await call('GET', `/gw/calcs/${calc}/devices/${device}/intervals/${id}`))[0].driver).toBe('Ona');
    const badField = await api(hub, 'PUT', `/gw/calcs/${calc}/devices/${device}/intervals/${id}`, { duration: 1 });
    expect(badField.status).toBe(400);
    expect(badField.json.errors[0].reason).toBe('duration: is a field of every interval');
    const before = await intervals();
    events.length = 0;
    const removed = await call('DELETE', `/gw/calcs/${calc}/devices/${device}/intervals/last`);
    expect(removed.map((r) => r.id)).toEqual([(T0 + 1800) * 1000]);
    expect(events[0]).toMatchObject({ event: 'deleted', calc_id: calc, device_id: device });
    const again = await eventually(async () => {
      const [a] = await call('GET', `/gw/calcs/${calc}/devices/${device}`);
      const rows = a.synced ? await intervals() : [];
      return rows.length === 2 ? rows : undefined;
    });
    expect(again).toEqual(before);
  });

  it('recalculates the stored intervals when the definition changes (the old ones deleted); a new name alone changes nothing', async () => {
    events.length = 0;
    const [updated] = await call('PUT', `/gw/calcs/${calc}`, { selectors: [{ ...TRIPS.selectors[0], max_inactive: 600 }] });
    expect((updated.selectors as { max_inactive?: number }[])[0].max_inactive).toBe(600);
    // the old intervals' deletions first (the backfill's new ones may follow at once)
    expect(events.slice(0, 2).map((e) => `${e.event}:${(e as { interval: Row }).interval.id}`)).toEqual([
      `deleted:${T0 * 1000}`,
      `deleted:${(T0 + 1800) * 1000}`,
    ]);
    const rows = await eventually(async () => {
      const [a] = await call('GET', `/gw/calcs/${calc}/devices/${device}`);
      const r = a.synced ? await intervals() : [];
      return r.length === 1 ? r : undefined;
    });
    expect(rows.map((r) => [(r.begin as number) - T0, (r.end as number) - T0])).toEqual([[0, 1920]]);
    expect(rows[0]).not.toHaveProperty('driver');
    events.length = 0;
    await call('PUT', `/gw/calcs/${calc}`, { name: 'trips renamed' });
    expect(events).toEqual([]);
    expect(await intervals()).toEqual(rows);
  });

  it('unassigns (intervals removed) and deletes calculators', async () => {
    expect(await call('DELETE', `/gw/calcs/${calc}/devices/${device}`)).toEqual([{ calc_id: calc, device_id: device, synced: false, updated: null }]);
    expect(await call('GET', `/gw/calcs/${calc}/devices/${device}`)).toEqual([]);
    expect(await intervals()).toEqual([]);
    expect((await call('DELETE', `/gw/calcs/${calc}`)).map((c) => c.id)).toEqual([calc]);
    expect(await call('GET', '/gw/calcs/all')).toEqual([]);
  });
});
