import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, captureLogger, eventually, removeDir, startTestHub, tempDir } from '../helpers/local-hub.js';

const IMEI = '356307042441013';
const RECORD = {
  timestampMs: 1_700_000_000_123,
  latitude: 54.6872,
  longitude: 25.2797,
  altitude: 120,
  angle: 90,
  satellites: 9,
  speed: 57,
  io1: { 239: 1, 240: 1, 200: 0, 77: 5 },
  io2: { 66: 12850 },
  io4: { 16: 123456 },
};

describe('local hub end to end (real sockets, dynalite, journal queue)', () => {
  const dir = tempDir();
  const logger = captureLogger();
  let hub: Awaited<ReturnType<typeof startTestHub>>;

  beforeAll(async () => {
    hub = await startTestHub({ dataDir: dir, logger });
  });
  afterAll(async () => {
    await hub?.stop();
    removeDir(dir);
  });

  it('answers the handshake with 01 and acks a Codec 8 packet with its record count', async () => {
    const device = await TestDevice.connect(hub.channelPort);
    device.send(handshake(IMEI));
    expect((await device.read(1)).toString('hex')).toBe('01');
    device.send(avlPacket([RECORD]));
    expect((await device.read(4)).toString('hex')).toBe('00000001');
    device.close();
  });

  it('returns the messages of a device created after they arrived, with exact values', async () => {
    const created = await api(hub, 'POST', '/gw/devices', [{ name: 'truck 1', configuration: { ident: IMEI }, messages_ttl: 86400 }]);
    expect(created.status).toBe(200);
    const id = created.json.result[0].id;
    const messages = await eventually(async () => {
      const r = await api(hub, 'GET', `/gw/devices/${id}/messages`);
      return r.json.result?.length > 0 ? r.json.result : undefined;
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      ident: IMEI,
      timestamp: 1_700_000_000.123,
      'position.latitude': 54.6872,
      'position.longitude': 25.2797,
      'position.altitude': 120,
      'position.direction': 90,
      'position.speed': 57,
      'position.satellites': 9,
      'engine.ignition.status': true,
      'movement.status': true,
      'sleep.mode.enum': 0,
      'io.77': 5,
      'external.powersource.voltage': 12.85,
      'vehicle.mileage': 123.456,
      'device.id': id,
      'channel.id': 1,
      'protocol.id': 1,
    });
    const telemetry = await api(hub, 'GET', `/gw/devices/${id}/telemetry/position`);
    expect(telemetry.json.result[0].telemetry['position.latitude']).toEqual({ value: 54.6872, ts: 1_700_000_000.123 });
    expect(telemetry.json.result[0].telemetry['engine.ignition.status']).toBeUndefined();
  });

  it('stores later messages straight into the device history', async () => {
    const device = await TestDevice.connect(hub.channelPort);
    device.send(handshake(IMEI));
    await device.read(1);
    device.send(
      avlPacket([
        { ...RECORD, timestampMs: RECORD.timestampMs + 30_000, speed: 80 },
        { ...RECORD, timestampMs: RECORD.timestampMs + 60_000, speed: 90 },
      ]),
    );
    expect((await device.read(4)).toString('hex')).toBe('00000002');
    device.close();
    const speeds = await eventually(async () => {
      const r = await api(hub, 'GET', '/gw/devices/1/messages?fields=position.speed,timestamp');
      return r.json.result.length === 3 ? r.json.result.map((m: { 'position.speed': number }) => m['position.speed']) : undefined;
    });
    expect(speeds).toEqual([57, 80, 90]);
  });

  it('keeps the messages across a restart on the same data directory', async () => {
    await hub.stop();
    hub = await startTestHub({ dataDir: dir, logger });
    const r = await api(hub, 'GET', '/gw/devices/1/messages');
    expect(r.json.result).toHaveLength(3);
    expect(r.json.result[0]['position.latitude']).toBe(54.6872);
  });
});
