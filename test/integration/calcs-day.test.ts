import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake, type SimRecord } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, startTestHub } from '../helpers/local-hub.js';

type Row = Record<string, unknown>;
const IMEI = '352000000000018';
/** Yesterday 00:00 UTC: the day's messages are within the calculators' intervals_ttl. */
const D0 = Math.floor(Date.now() / 86_400_000) * 86_400 - 86_400;
const DEPOT = { lat: 54.7, lon: 25.3 };

/**
 * The day, one record a minute (minute k = D0 + 60 k): parked in the depot (0-29), trip 1 north
 * at 60 km/h with 110 km/h at 50-54 (30-89), a stop (90-149), trip 2 back into the depot
 * (150-209), parked (210-239), silent for 30 minutes, parked again (270-299). Positions move
 * 0.01° of latitude a minute; the depot is a 300 m circle (radius 0.3 km).
 */
function record(k: number): SimRecord {
  const on = (k >= 30 && k <= 89) || (k >= 150 && k <= 209);
  const lat = k <= 30 ? DEPOT.lat : k <= 89 ? DEPOT.lat + 0.01 * (k - 30) : k <= 149 ? DEPOT.lat + 0.6 : k <= 209 ? DEPOT.lat + 0.01 * (209 - k) : DEPOT.lat;
  const speed = !on ? 0 : k >= 50 && k <= 54 ? 110 : 60;
  return { timestampMs: (D0 + k * 60) * 1000, latitude: lat, longitude: DEPOT.lon, satellites: 9, speed, io1: { 239: on ? 1 : 0 } };
}
const minutes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** What the tracker could send live: minutes 60-69 (in trip 1) and 170-189 (in trip 2) were out of coverage, kept in its black box. */
const LIVE = [...minutes(0, 59), ...minutes(70, 169), ...minutes(190, 239), ...minutes(270, 299)];
/** The black box after reconnecting: the ignition was off at 62-66 (trip 1 really split there), on through 170-189 (trip 2 was one). */
function blackBox(): SimRecord[] {
  return [...minutes(60, 69), ...minutes(170, 189)].map((k) => {
    const r = record(k);
    return k >= 62 && k <= 66 ? { ...r, speed: 0, io1: { 239: 0 } } : r;
  });
}

const at = (m: number) => D0 + m * 60;
const span = (rows: Row[]) => rows.map((r) => [((r.begin as number) - D0) / 60, ((r.end as number) - D0) / 60]);

/** A local hub over real sockets, a simulated Teltonika tracker, five calculators: the day's intervals through the API. */
describe('calculators: a day of driving from a simulated tracker', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let device: number;
  const calc: Record<string, number> = {};

  const call = async (method: string, path: string, body?: unknown): Promise<Row[]> => {
    const r = await api(hub, method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBe(200);
    return r.json.result as Row[];
  };
  const intervals = (name: string) => call('GET', `/gw/calcs/${calc[name]}/devices/${device}/intervals/all`);

  async function send(records: readonly SimRecord[]): Promise<void> {
    const tracker = await TestDevice.connect(hub.channelPort);
    tracker.send(handshake(IMEI));
    expect((await tracker.read(1)).toString('hex')).toBe('01');
    for (let i = 0; i < records.length; i += 50) {
      const chunk = records.slice(i, i + 50);
      tracker.send(avlPacket(chunk));
      expect((await tracker.read(4)).readUInt32BE(0)).toBe(chunk.length);
    }
    tracker.close();
  }

  async function settled(name: string, expected: number[][]): Promise<Row[]> {
    return eventually(async () => {
      const rows = await intervals(name);
      return JSON.stringify(span(rows)) === JSON.stringify(expected) ? rows : undefined;
    }, 15_000).catch(async (err) => {
      throw new Error(`${name}: ${JSON.stringify(span(await intervals(name)))} is not ${JSON.stringify(expected)} (${String(err)})`);
    });
  }

  beforeAll(async () => {
    // the tick (which would close intervals of "yesterday" by the wall clock) runs only when called here
    hub = await startTestHub({ extra: { calcTickMs: 3_600_000 } });
    [{ id: device }] = (await call('POST', '/gw/devices', [{ name: 'truck 7', configuration: { ident: IMEI }, metadata: { max_speed: 90 } }])) as {
      id: number;
    }[];
    const [depot] = await call('POST', '/gw/geofences', [{ name: 'depot', geometry: { type: 'circle', center: DEPOT, radius: 0.3 } }]);
    const ignition = { type: 'expression', expression: 'engine.ignition.status' };
    const created = await call('POST', '/gw/calcs', [
      {
        name: 'trips',
        selectors: [{ ...ignition, max_inactive: 120, max_messages_time_diff: 300, min_duration: 60 }],
        counters: [
          { type: 'messages', name: 'messages' },
          { type: 'mileage', name: 'km' },
          { type: 'expression', name: 'top_speed', expression: 'position.speed', method: 'maximum' },
        ],
        update_delay: 0,
      },
      { name: 'stops', selectors: [{ ...ignition, invert: true, min_duration: 300, max_messages_time_diff: 600 }], update_delay: 0 },
      {
        name: 'depot',
        selectors: [{ type: 'geofence', geofences: [depot.id], max_messages_time_diff: 600 }],
        counters: [{ type: 'geofence', name: 'in' }],
        update_delay: 0,
      },
      {
        name: 'overspeed',
        selectors: [{ type: 'expression', expression: "position.speed > metadata('max_speed')" }],
        counters: [{ type: 'expression', name: 'top_speed', expression: 'position.speed', method: 'maximum' }],
        update_delay: 0,
      },
      { name: 'silence', selectors: [{ type: 'inactive', min_duration: 1200 }], update_delay: 0 },
    ]);
    for (const c of created) calc[c.name as string] = c.id as number;
    await call('POST', `/gw/calcs/all/devices/${device}`);
    await eventually(async () => ((await call('GET', `/gw/calcs/all/devices/${device}`)).every((a) => a.synced) ? true : undefined));
  });
  afterAll(async () => hub?.stop());

  it('gives the expected trips, stops, depot visits, overspeed and silence', async () => {
    await send(LIVE.map(record));
    const trips = await settled('trips', [
      [30, 59],
      [70, 89],
      [150, 169],
      [190, 209],
    ]);
    expect(trips.map((t) => [t.messages, t.top_speed])).toEqual([
      [30, 110],
      [20, 60],
      [20, 60],
      [20, 60],
    ]);
    expect(trips[0].km).toBeCloseTo(32.25, 1);
    await settled('stops', [
      [0, 29],
      [90, 149],
      [210, 239],
      [270, 299],
    ]);
    const depot = await settled('depot', [
      [0, 30],
      [209, 239],
      [270, 299],
    ]);
    expect(depot.map((d) => d.in)).toEqual([['depot'], ['depot'], ['depot']]);
    const overspeed = await settled('overspeed', [[50, 54]]);
    expect(overspeed[0].top_speed).toBe(110);
    await settled('silence', [
      [169, 190],
      [239, 270],
    ]);
  });

  it('recalculates after the black-box upload: trip 1 splits where the ignition was off, trip 2 merges; unchanged begins keep their ids', async () => {
    const before = await intervals('trips');
    await send(blackBox());
    const trips = await settled('trips', [
      [30, 61],
      [67, 89],
      [150, 209],
    ]);
    expect(trips[0].id).toBe(before[0].id);
    expect(trips[2].id).toBe(before[2].id);
    expect(trips[1].id).toBe(at(67) * 1000);
    expect(trips.map((t) => t.messages)).toEqual([32, 23, 60]);
    await settled('stops', [
      [0, 29],
      [90, 149],
      [210, 239],
      [270, 299],
    ]);
    await settled('overspeed', [[50, 54]]);
    await settled('silence', [[239, 270]]);
  });

  it('the tick closes what time ends: the open stop and depot visit, the silence since the last message', async () => {
    expect((await intervals('stops')).at(-1)?.active).toBe(true);
    await hub.services.calcSync.run();
    const stops = await intervals('stops');
    expect(stops.at(-1)).toMatchObject({ begin: at(270), end: at(299), active: false });
    const silence = await intervals('silence');
    expect(span(silence)[0]).toEqual([239, 270]);
    expect(silence[1]).toMatchObject({ begin: at(299), active: true });
  });
});
