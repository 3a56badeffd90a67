import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestHub } from '../helpers/local-hub.js';

const circle = (lat: number, lon: number, radius: number) => ({ type: 'circle', center: { lat, lon }, radius });
const path = (...ll: [number, number][]) => ll.map(([lat, lon]) => ({ lat, lon }));
const BOWTIE = { type: 'polygon', path: path([0, 0], [1, 1], [0, 1], [1, 0]) };

describe('API: geofences', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ extra: { defaultChannel: false } });
  });
  afterAll(async () => hub?.stop());

  it.each([
    ['a latitude out of range', circle(91, 0, 1), '[0].geometry.center.lat: Too big: expected number to be <=90'],
    ['a zero radius', circle(0, 0, 0), '[0].geometry.radius: Too small: expected number to be >0'],
    ['a polygon of two points', { type: 'polygon', path: path([0, 0], [1, 1]) }, '[0].geometry.path: Too small: expected array to have >=3 items'],
    ['a self-crossing polygon', BOWTIE, '[0].geometry.path: the polygon crosses itself (edges 0–1 and 2–3)'],
    ['a repeated point', { type: 'polygon', path: path([0, 0], [0, 0], [1, 1], [0, 1]) }, '[0].geometry.path[1]: repeats the point before it'],
    ['a negative corridor width', { type: 'corridor', path: path([0, 0], [1, 1]), width: -1 }, '[0].geometry.width: Too small: expected number to be >0'],
    [
      'a longitude out of range',
      { type: 'corridor', path: path([0, 0], [1, 181]), width: 1 },
      '[0].geometry.path[1].lon: Too big: expected number to be <=180',
    ],
    ['an unknown type', { type: 'square', path: [] }, "[0].geometry.type: Invalid discriminator value. Expected 'circle' | 'polygon' | 'corridor'"],
  ])('refuses %s with 400 naming the field', async (_what, geometry, reason) => {
    expect(await api(hub, 'POST', '/gw/geofences', [{ name: 'bad', geometry }])).toEqual({ status: 400, json: { errors: [{ code: 400, reason }] } });
  });

  it('creates all or none', async () => {
    const r = await api(hub, 'POST', '/gw/geofences', [
      { name: 'fine', geometry: circle(0, 0, 1) },
      { name: 'bowtie', geometry: BOWTIE },
    ]);
    expect(r.json.errors[0].reason).toBe('[1].geometry.path: the polygon crosses itself (edges 0–1 and 2–3)');
    expect((await api(hub, 'GET', '/gw/geofences/all')).json.result).toEqual([]);
  });

  it('creates, reads, changes and deletes geofences', async () => {
    const created = await api(hub, 'POST', '/gw/geofences', [
      { name: 'depot', geometry: circle(54.6872, 25.2797, 0.5), metadata: { site: 7 } },
      { name: 'ring road', geometry: { type: 'corridor', path: path([54.6, 25.2], [54.7, 25.3]), width: 0.2 }, priority: 3 },
      { name: 'district', geometry: { type: 'polygon', path: path([54.6, 25.2], [54.6, 25.4], [54.8, 25.4], [54.8, 25.2]) } },
    ]);
    expect(created.status).toBe(200);
    expect(created.json.result[0]).toEqual({
      id: 1,
      name: 'depot',
      geometry: circle(54.6872, 25.2797, 0.5),
      priority: 0,
      enabled: true,
      metadata: { site: 7 },
    });
    expect(created.json.result.map((g: { id: number }) => g.id)).toEqual([1, 2, 3]);
    expect((await api(hub, 'GET', '/gw/geofences/name=d*?fields=id,name')).json.result).toEqual([
      { id: 1, name: 'depot' },
      { id: 3, name: 'district' },
    ]);
    const changed = await api(hub, 'PUT', '/gw/geofences/1', { geometry: circle(54.6872, 25.2797, 1), enabled: false });
    expect(changed.json.result[0]).toMatchObject({ id: 1, geometry: circle(54.6872, 25.2797, 1), enabled: false, metadata: { site: 7 } });
    expect((await api(hub, 'PUT', '/gw/geofences/1', { geometry: BOWTIE })).json.errors[0].reason).toBe(
      'geometry.path: the polygon crosses itself (edges 0–1 and 2–3)',
    );
    expect((await api(hub, 'PUT', '/gw/geofences/1', { enabled: true })).status).toBe(200);
    expect((await api(hub, 'DELETE', '/gw/geofences/2')).json.result.map((g: { name: string }) => g.name)).toEqual(['ring road']);
    expect(await api(hub, 'GET', '/gw/geofences/2')).toEqual({
      status: 404,
      json: { errors: [{ code: 404, reason: 'geofence selector "2": no geofence 2' }] },
    });
  });

  it('lists the devices inside geofences now, and answers geofence() in a messages filter', async () => {
    await api(hub, 'POST', '/gw/devices', [
      { name: 'in depot', configuration: { ident: '351000000000001' } },
      { name: 'in district', configuration: { ident: '351000000000002' } },
      { name: 'far away', configuration: { ident: '351000000000003' } },
    ]);
    const at = (lat: number, lon: number, timestamp: number) => [{ timestamp, 'position.latitude': lat, 'position.longitude': lon }];
    await api(hub, 'POST', '/gw/devices/1/messages', at(54.6872, 25.2797, 1_700_000_000));
    await api(hub, 'POST', '/gw/devices/2/messages', at(54.75, 25.35, 1_700_000_000));
    await api(hub, 'POST', '/gw/devices/3/messages', at(10, 10, 1_700_000_000));
    await api(hub, 'POST', '/gw/devices/2/messages', at(10, 10, 1_699_000_000)); // older: telemetry keeps the newer position
    expect((await api(hub, 'GET', '/gw/geofences/all/devices')).json.result).toEqual([
      { geofence_id: 1, device_id: 1 },
      { geofence_id: 3, device_id: 1 },
      { geofence_id: 3, device_id: 2 },
    ]);
    expect((await api(hub, 'GET', '/gw/geofences/1/devices')).json.result).toEqual([{ geofence_id: 1, device_id: 1 }]);
    const inDistrict = await api(hub, 'GET', `/gw/devices/2/messages?filter=${encodeURIComponent("geofence('district')")}`);
    expect(inDistrict.json.result.map((m: { timestamp: number }) => m.timestamp)).toEqual([1_700_000_000]);
    const unknown = await api(hub, 'GET', `/gw/devices/2/messages?filter=${encodeURIComponent("geofence('nowhere')")}`);
    expect(unknown.json.result).toEqual([]);
  });

  it('checks a geofence plugin names existing geofences', async () => {
    const r = await api(hub, 'POST', '/gw/plugins', [{ name: 'zones', type: 'geofence', configuration: { geofences: [1, 99, 98] } }]);
    expect(r).toEqual({ status: 400, json: { errors: [{ code: 400, reason: '[0].configuration.geofences: no geofence 99,98' }] } });
  });
});
