import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, startTestHub } from '../helpers/local-hub.js';

const IDENT = '357777777777777';
const T0 = 1_700_000_000;
/** One record a minute; the speeds make two trips: minutes 1–3 and 6–7. */
const SPEEDS = [0, 30, 40, 50, 0, 0, 20, 25, 0];
const TRIPS = {
  selectors: [{ type: 'expression', expression: 'position.speed > 5' }],
  counters: [
    { name: 'n', type: 'messages' },
    { name: 'max_speed', type: 'expression', expression: 'position.speed', method: 'maximum' },
  ],
};

describe('POST /gw/devices/{sel}/calculate on a local hub', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;

  beforeAll(async () => {
    hub = await startTestHub();
    await api(hub, 'POST', '/gw/devices', [{ name: 'reported', configuration: { ident: IDENT }, device_type_id: 1 }]);
    const device = await TestDevice.connect(hub.channelPort);
    device.send(handshake(IDENT));
    await device.read(1);
    device.send(avlPacket(SPEEDS.map((speed, i) => ({ timestampMs: (T0 + i * 60) * 1000, latitude: 54 + i / 100, longitude: 25, satellites: 7, speed }))));
    await device.read(4);
    device.close();
    await eventually(async () => ((await api(hub, 'GET', '/gw/devices/1/messages')).json.result.length === SPEEDS.length ? true : undefined));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it("computes the intervals of a simulated tracker's stored messages with an inline calculator", async () => {
    const r = await api(hub, 'POST', '/gw/devices/1/calculate', { ...TRIPS, from: T0, to: T0 + 3600 });
    expect(r.status).toBe(200);
    expect(r.json.result).toEqual([
      { id: (T0 + 60) * 1000, device_id: 1, begin: T0 + 60, end: T0 + 180, duration: 120, active: false, n: 3, max_speed: 50 },
      { id: (T0 + 360) * 1000, device_id: 1, begin: T0 + 360, end: T0 + 420, duration: 60, active: false, n: 2, max_speed: 25 },
    ]);
    // from/to bound the messages read: the first trip only
    const part = await api(hub, 'POST', '/gw/devices/1/calculate', { ...TRIPS, from: T0, to: T0 + 240 });
    expect(part.json.result.map((i: { begin: number; end: number }) => [i.begin, i.end])).toEqual([[T0 + 60, T0 + 180]]);
    // nothing is kept: the device still has no calculator state, and a pattern matching nothing is an empty list
    expect((await api(hub, 'POST', '/gw/devices/name=nobody*/calculate', { ...TRIPS, from: T0, to: T0 + 3600 })).json).toEqual({ result: [] });
  });

  it('computes with a stored calculator (calc_id) the same intervals, with calc_id on each, and keeps nothing', async () => {
    const created = await api(hub, 'POST', '/gw/calcs', [{ name: 'trips', ...TRIPS }]);
    expect(created.status).toBe(200);
    const id = created.json.result[0].id as number;
    const r = await api(hub, 'POST', '/gw/devices/1/calculate', { calc_id: id, from: T0, to: T0 + 3600 });
    expect(r.status).toBe(200);
    expect(r.json.result).toEqual([
      { id: (T0 + 60) * 1000, calc_id: id, device_id: 1, begin: T0 + 60, end: T0 + 180, duration: 120, active: false, n: 3, max_speed: 50 },
      { id: (T0 + 360) * 1000, calc_id: id, device_id: 1, begin: T0 + 360, end: T0 + 420, duration: 60, active: false, n: 2, max_speed: 25 },
    ]);
    // not assigned, nothing stored
    expect((await api(hub, 'GET', `/gw/calcs/${id}/devices/1/intervals/all`)).json).toEqual({ result: [] });
    await api(hub, 'DELETE', `/gw/calcs/${id}`);
  });

  it('exports CSV and GPX', async () => {
    const csv = await fetch(`${hub.apiUrl}/gw/devices/1/calculate?format=csv`, {
      method: 'POST',
      headers: { authorization: 'FlespiToken test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ ...TRIPS, from: T0, to: T0 + 3600 }),
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')).toEqual([
      'id,device_id,begin,begin_time,end,end_time,duration,active,n,max_speed',
      `${(T0 + 60) * 1000},1,${T0 + 60},2023-11-14T22:14:20Z,${T0 + 180},2023-11-14T22:16:20Z,120,false,3,50`,
      `${(T0 + 360) * 1000},1,${T0 + 360},2023-11-14T22:19:20Z,${T0 + 420},2023-11-14T22:20:20Z,60,false,2,25`,
      '',
    ]);
    const gpx = await api(hub, 'POST', '/gw/devices/1/calculate?format=gpx', {
      ...TRIPS,
      counters: [...TRIPS.counters, { name: 'route', type: 'route' }],
      from: T0,
      to: T0 + 3600,
    });
    expect(gpx.status).toBe(200);
    expect(String(gpx.json).match(/<trkpt /g)).toHaveLength(5);
  });

  it('answers 400 naming the field for a bad body or query, before the selector is resolved', async () => {
    const bad = async (path: string, body: unknown) => {
      const r = await api(hub, 'POST', path, body);
      expect(r.status).toBe(400);
      return r.json.errors[0].reason as string;
    };
    expect(await bad('/gw/devices/999/calculate', { ...TRIPS, to: T0 })).toMatch(/^from: /);
    expect(await bad('/gw/devices/999/calculate', { ...TRIPS, from: T0 + 10, to: T0 })).toBe('to: must not be before from');
    expect(await bad('/gw/devices/999/calculate?format=kml', { ...TRIPS, from: T0, to: T0 })).toMatch(/^format: /);
    expect(await bad('/gw/devices/999/calculate', { selectors: [{ type: 'expression', expression: 'a >' }], from: T0, to: T0 })).toMatch(
      /^selectors\[0\]\.expression: expected an expression at 3$/,
    );
    expect(await bad('/gw/devices/999/calculate', { from: T0, to: T0 })).toBe('selectors: give calc_id or selectors (and counters)');
    expect(await bad('/gw/devices/999/calculate', { calc_id: 1, ...TRIPS, from: T0, to: T0 })).toBe(
      'selectors: give either calc_id or an inline calculator, not both',
    );
    expect(await bad('/gw/devices/1/calculate', { calc_id: 77, from: T0, to: T0 })).toBe('calc_id: no calculator 77');
    // a valid body with an unknown device id is a 404
    expect((await api(hub, 'POST', '/gw/devices/999/calculate', { ...TRIPS, from: T0, to: T0 })).status).toBe(404);
  });
});
