import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake, type SimRecord } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, removeDir, startTestHub, tempDir } from '../helpers/local-hub.js';
import { StreamReceiver } from '../helpers/stream-receiver.js';

const T0 = 1_700_000_000_000;
const AT = { latitude: 54.6872, longitude: 25.2797, satellites: 9 };
const rec = (k: number, speed: number, extra: Partial<SimRecord> = {}): SimRecord => ({
  ...AT,
  timestampMs: T0 + k * 30_000,
  speed,
  io1: { 239: 1, 21: 4 },
  ...extra,
});

type Row = Record<string, unknown>;

/**
 * Plugins, expression filters and validate_message on a local hub over real sockets: what the
 * devices send is changed or dropped before storage, as API.md says.
 */
describe('plugins, expressions and geofences in a local hub', () => {
  const dir = tempDir();
  const receiver = new StreamReceiver();
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  const ids: Record<string, number> = {};

  async function send(ident: string, records: readonly SimRecord[]): Promise<void> {
    const device = await TestDevice.connect(hub.channelPort);
    device.send(handshake(ident));
    expect((await device.read(1)).toString('hex')).toBe('01');
    device.send(avlPacket(records));
    expect((await device.read(4)).readUInt32BE(0)).toBe(records.length);
    device.close();
  }

  async function stored(id: number, count: number, query = ''): Promise<Row[]> {
    return eventually(async () => {
      const r = await api(hub, 'GET', `/gw/devices/${id}/messages${query}`);
      return r.json.result?.length === count ? (r.json.result as Row[]) : undefined;
    });
  }

  const post = async (path: string, body?: unknown) => {
    const r = await api(hub, 'POST', path, body);
    expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(200);
    return r.json.result as Row[];
  };

  beforeAll(async () => {
    await receiver.start();
    hub = await startTestHub({ dataDir: dir });
    const devices = await post('/gw/devices', [
      { name: 'ordered', configuration: { ident: '350000000000001' } },
      { name: 'reversed', configuration: { ident: '350000000000002' } },
      { name: 'guarded', configuration: { ident: '350000000000003' } },
      { name: 'plain', configuration: { ident: '350000000000004' }, metadata: { tier: 'gold' } },
      { name: 'silver', configuration: { ident: '350000000000005' }, metadata: { tier: 'silver' } },
    ]);
    for (const d of devices) ids[d.name as string] = d.id as number;
    await post('/gw/geofences', [{ name: 'old town', geometry: { type: 'circle', center: { lat: 54.6872, lon: 25.2797 }, radius: 1 } }]);
  });
  afterAll(async () => {
    await hub?.stop();
    await receiver.close();
    removeDir(dir);
  });

  it('applies each plugin type to what is stored, in assignment order', async () => {
    const [fleet, label, erase, tag] = await post('/gw/plugins', [
      { name: 'fleet', type: 'static', configuration: { parameters: { fleet: 'north' } } },
      {
        name: 'label',
        type: 'expression',
        configuration: { parameter: 'label', expression: "if(exists('fleet'), fleet + '-' + tostring(position.speed), 'none')" },
      },
      { name: 'no gsm', type: 'erase', configuration: { parameters: ['gsm.*', 'sleep.*'] } },
      { name: 'zones', type: 'geofence', configuration: { geofences: 'all' } },
    ]);
    expect(fleet).toEqual({ id: 1, name: 'fleet', type: 'static', configuration: { parameters: { fleet: 'north' } }, enabled: true });
    for (const p of [fleet, label, erase, tag]) await post(`/gw/plugins/${p.id}/devices/${ids.ordered}`);
    for (const p of [label, fleet]) await post(`/gw/plugins/${p.id}/devices/${ids.reversed}`);
    expect((await api(hub, 'GET', `/gw/plugins/${fleet.id},${label.id}/devices`)).json.result).toEqual([
      { plugin_id: fleet.id, device_id: ids.ordered },
      { plugin_id: fleet.id, device_id: ids.reversed },
      { plugin_id: label.id, device_id: ids.ordered },
      { plugin_id: label.id, device_id: ids.reversed },
    ]);
    // a device's plugins in the order they apply (GET /gw/devices/{sel}/plugins, for the console)
    expect((await api(hub, 'GET', `/gw/devices/${ids.reversed}/plugins`)).json.result).toEqual([
      { plugin_id: label.id, device_id: ids.reversed },
      { plugin_id: fleet.id, device_id: ids.reversed },
    ]);

    await send('350000000000001', [rec(0, 57)]);
    await send('350000000000002', [rec(0, 57)]);
    const [ordered] = await stored(ids.ordered, 1);
    expect(ordered).toMatchObject({
      fleet: 'north',
      label: 'north-57',
      'geofence.names': ['old town'],
      'geofence.inside': true,
      'engine.ignition.status': true,
    });
    expect(Object.keys(ordered).filter((k) => k.startsWith('gsm.') || k.startsWith('sleep.'))).toEqual([]);
    const [reversed] = await stored(ids.reversed, 1);
    expect(reversed).toMatchObject({ fleet: 'north', label: 'none', 'gsm.signal.level': 4 });
    expect(reversed['geofence.names']).toBeUndefined();
  });

  it('drops messages by filter and sanity plugins, visible in the device log and the ingest stats', async () => {
    const [sanity, fast] = await post('/gw/plugins', [
      { name: 'no jumps', type: 'sanity', configuration: { max_speed: 300 } },
      { name: 'fast only', type: 'filter', configuration: { expression: 'position.speed > 50' } },
    ]);
    await post(`/gw/plugins/${sanity.id},${fast.id}/devices/${ids.guarded}`);
    const before = structuredClone(hub.services.ingest.totals);
    await send('350000000000003', [
      rec(0, 57),
      rec(1, 10), // filter: too slow
      rec(2, 60, { latitude: 55.6872 }), // sanity: 111 km in 30 s
      rec(3, 70, { longitude: 25.2807 }),
      rec(4, 80, { latitude: 0, longitude: 0 }), // sanity: 0/0
    ]);
    const kept = await stored(ids.guarded, 2);
    expect(kept.map((m) => m['position.speed'])).toEqual([57, 70]);
    // the totals are counted when the whole batch is stored (telemetry too), maybe just after the messages show
    const after = await eventually(async () => (hub.services.ingest.totals.dropped - before.dropped >= 3 ? hub.services.ingest.totals : undefined));
    expect(after.dropped - before.dropped).toBe(3);
    expect((after.droppedBy.filter ?? 0) - (before.droppedBy.filter ?? 0)).toBe(1);
    expect((after.droppedBy.sanity ?? 0) - (before.droppedBy.sanity ?? 0)).toBe(2);
    const logs = (await api(hub, 'GET', `/gw/devices/${ids.guarded}/logs`)).json.result as Row[];
    const drops = logs.filter((l) => l.event === 'message_dropped');
    expect(drops.map(({ plugin_id, plugin, reason, message_timestamp }) => ({ plugin_id, plugin, reason, message_timestamp }))).toEqual([
      { plugin_id: fast.id, plugin: 'filter', reason: 'expression is false: position.speed > 50', message_timestamp: (T0 + 30_000) / 1000 },
      {
        plugin_id: sanity.id,
        plugin: 'sanity',
        reason: 'jump of 111.195 km in 60 s from the previous position (6672 km/h > max_speed 300)',
        message_timestamp: (T0 + 60_000) / 1000,
      },
      { plugin_id: sanity.id, plugin: 'sanity', reason: 'position 0/0', message_timestamp: (T0 + 120_000) / 1000 },
    ]);
    expect(drops.every((d) => typeof d.timestamp === 'number')).toBe(true);
  });

  it('reads the previous position from the stored history after a restart (cold cache)', async () => {
    await hub.stop();
    hub = await startTestHub({ dataDir: dir });
    await send('350000000000003', [rec(5, 90, { latitude: 56.6872 }), rec(6, 91, { longitude: 25.2817 })]);
    const kept = await stored(ids.guarded, 3);
    expect(kept.map((m) => m['position.speed'])).toEqual([57, 70, 91]);
    expect(hub.services.ingest.totals.droppedBy).toEqual({ sanity: 1 });
  });

  it('accepts full expressions, functions and the old forms as the messages filter', async () => {
    await send('350000000000004', [rec(0, 57), rec(1, 80), rec(2, 90, { latitude: 54.8 }), rec(3, 20)]);
    await post(`/gw/devices/${ids.plain}/messages`, [{ timestamp: (T0 + 120_000) / 1000, 'position.speed': 95, 'alarm.type': 'sos' }]);
    await stored(ids.plain, 5);
    const speeds = async (filter: string) =>
      ((await api(hub, 'GET', `/gw/devices/${ids.plain}/messages?filter=${encodeURIComponent(filter)}`)).json.result as Row[]).map((m) => m['position.speed']);
    expect(await speeds("position.speed > 50 && !exists('alarm.type')")).toEqual([57, 80, 90]);
    expect(await speeds('round(position.speed / 10) == 8 || max(position.speed, 89) == 90')).toEqual([80, 90]);
    expect(await speeds("position.speed > previous('position.speed')")).toEqual([80, 90, 95]);
    expect(await speeds("metadata('tier') == 'gold' && position.speed < 60")).toEqual([57, 20]);
    expect(await speeds("geofence('old town')")).toEqual([57, 80, 20]);
    expect(await speeds('position.speed>80')).toEqual([90, 95]);
    expect(await speeds('alarm.type=s*')).toEqual([95]);
    expect(await speeds('position.speed>=57,position.speed<90')).toEqual([57, 80]);
    const flespi = await api(hub, 'GET', `/gw/devices/${ids.plain}/messages?data=${encodeURIComponent(JSON.stringify({ filter: 'position.speed < 30' }))}`);
    expect(flespi.json.result.map((m: Row) => m['position.speed'])).toEqual([20]);
    const bad = await api(hub, 'GET', `/gw/devices/${ids.plain}/messages?filter=${encodeURIComponent('position.speed > 50 && )')}`);
    expect(bad).toEqual({ status: 400, json: { errors: [{ code: 400, reason: "filter: unexpected ')' at 23" }] } });
  });

  it("filters what a stream's HTTP receiver gets with a full validate_message expression", async () => {
    const bad = await api(hub, 'POST', '/gw/streams', [
      { name: 'bad', protocol_name: 'http', configuration: { uri: 'http://127.0.0.1:1/' }, validate_message: 'position.speed >' },
    ]);
    expect(bad).toEqual({ status: 400, json: { errors: [{ code: 400, reason: '[0].validate_message: expected an expression at 16' }] } });
    const [stream] = await post('/gw/streams', [
      {
        name: 'gold and fast',
        protocol_name: 'http',
        configuration: { uri: `http://127.0.0.1:${receiver.port}/in` },
        validate_message: "metadata('tier') == 'gold' && position.speed > 50 && geofence('old town')",
      },
    ]);
    await post(`/gw/streams/${stream.id}/devices/${ids.plain},${ids.silver}`);
    await send('350000000000004', [rec(10, 61), rec(11, 30), rec(12, 62, { latitude: 54.8 })]);
    await send('350000000000005', [rec(10, 99)]);
    await eventually(async () => (receiver.messages().length >= 1 ? true : undefined));
    const logs = await eventually(async () => {
      const l = (await api(hub, 'GET', `/gw/streams/${stream.id}/logs`)).json.result as Row[];
      return l.reduce((n, e) => n + (e.read as number), 0) === 4 ? l : undefined;
    });
    expect(receiver.messages().map((m) => [m.ident, m['position.speed']])).toEqual([['350000000000004', 61]]);
    expect(logs.reduce((n, e) => n + (e.skipped as number), 0)).toBe(3);
    expect(logs.reduce((n, e) => n + (e.accepted as number), 0)).toBe(1);
    const updated = await api(hub, 'PUT', `/gw/streams/${stream.id}`, { validate_message: 'strlen(1, 2)' });
    expect(updated).toEqual({ status: 400, json: { errors: [{ code: 400, reason: "validate_message: 'strlen' takes 1 argument at 0" }] } });
  });
});
