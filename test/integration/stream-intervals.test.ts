import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { Aedes } from 'aedes';
import { connect } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../core/ports.js';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, freePort, startTestHub } from '../helpers/local-hub.js';
import { StreamReceiver } from '../helpers/stream-receiver.js';

const IDENT = '356666666666666';

/** An interval event of calculator 3 for device 1 (what calculators hand to `deviceEvents`). */
const intervalEvent = (event: 'activated' | 'updated' | 'deactivated', begin: number, end: number): DeviceEvent => ({
  event,
  calc_id: 3,
  device_id: 1,
  interval: { id: begin * 1000, begin, end, duration: end - begin, active: event !== 'deactivated', mileage: 1.5 },
});

/** Events a receiver got (batches repeated after an ambiguous failure counted once), without the volatile timestamps. */
const received = (r: StreamReceiver) =>
  r.messages().map((e) => (e.event === 'online' || e.event === 'offline' ? `${e.event}` : `${e.event}@${(e.interval as { begin: number }).begin}`));

describe('streams with source "intervals" on a local hub', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  const receiver = new StreamReceiver();
  const messagesReceiver = new StreamReceiver();

  /** Connects the tracker (online once its IMEI is accepted). */
  async function connectDevice(): Promise<TestDevice> {
    const device = await TestDevice.connect(hub.channelPort);
    device.send(handshake(IDENT));
    await device.read(1);
    return device;
  }

  beforeAll(async () => {
    await receiver.start();
    await messagesReceiver.start();
    hub = await startTestHub();
    await api(hub, 'POST', '/gw/devices', [{ name: 'van', configuration: { ident: IDENT }, device_type_id: 1 }]);
  });
  afterAll(async () => {
    await hub?.stop();
    await receiver.close();
    await messagesReceiver.close();
  });

  it('stores source (default messages), returns and updates it, and refuses intervals for wialon_retranslator naming why', async () => {
    const created = await api(hub, 'POST', '/gw/streams', [
      { name: 'events', protocol_name: 'http', source: 'intervals', configuration: { uri: `http://127.0.0.1:${receiver.port}/events` } },
      { name: 'messages', protocol_name: 'http', configuration: { uri: `http://127.0.0.1:${messagesReceiver.port}/messages` } },
    ]);
    expect(created.status).toBe(200);
    expect(created.json.result.map((s: { id: number; source: string }) => [s.id, s.source])).toEqual([
      [1, 'intervals'],
      [2, 'messages'],
    ]);
    const wialon = await api(hub, 'POST', '/gw/streams', [
      { name: 'w', protocol_name: 'wialon_retranslator', source: 'intervals', configuration: { uri: 'tcp://127.0.0.1:1' } },
    ]);
    expect(wialon.status).toBe(400);
    expect(wialon.json.errors[0].reason).toMatch(
      /^\[0\]\.source: "intervals" is not supported by wialon_retranslator: a Wialon retranslator receives position packets/,
    );
    const bad = await api(hub, 'POST', '/gw/streams', [{ name: 'x', protocol_name: 'http', source: 'events', configuration: { uri: 'http://x' } }]);
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].reason).toMatch(/^\[0\]\.source: /);
    expect((await api(hub, 'PUT', '/gw/streams/2', { source: 'intervals' })).json.result[0].source).toBe('intervals');
    expect((await api(hub, 'GET', '/gw/streams/2')).json.result[0].source).toBe('intervals');
    expect((await api(hub, 'PUT', '/gw/streams/2', { source: 'messages' })).json.result[0].source).toBe('messages');
    await api(hub, 'POST', '/gw/streams/1,2/devices/1');
  });

  it('delivers online, interval and offline events in order as the API shapes; messages go only to the messages stream', async () => {
    const device = await connectDevice();
    const online = await eventually(async () => receiver.messages()[0]);
    expect(online).toEqual({ event: 'online', device_id: 1, timestamp: expect.any(Number) });
    await hub.services.deviceEvents.publish([
      intervalEvent('activated', 1_700_000_000, 1_700_000_000),
      intervalEvent('deactivated', 1_700_000_000, 1_700_000_600),
    ]);
    device.send(avlPacket([{ timestampMs: 1_700_000_700_000, latitude: 54, longitude: 25, satellites: 6, speed: 30 }]));
    await device.read(4);
    device.close();
    const got = await eventually(async () => (receiver.messages().length >= 4 ? receiver.messages() : undefined));
    expect(got).toEqual([
      online,
      intervalEvent('activated', 1_700_000_000, 1_700_000_000),
      intervalEvent('deactivated', 1_700_000_000, 1_700_000_600),
      { event: 'offline', device_id: 1, timestamp: expect.any(Number) },
    ]);
    expect((got[3].timestamp as number) >= (online.timestamp as number)).toBe(true);
    const msgs = await eventually(async () => (messagesReceiver.messages().length >= 1 ? messagesReceiver.messages() : undefined));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ ident: IDENT, 'position.speed': 30, timestamp: 1_700_000_700 });
    const status = await eventually(async () => {
      const st = (await api(hub, 'GET', '/gw/streams/1')).json.result[0].status;
      return st.delivered_messages === 4 ? st : undefined;
    });
    expect(status).toMatchObject({ delivered_messages: 4, buffered: 0, errors: 0 });
    const logs = (await api(hub, 'GET', '/gw/streams/1/logs')).json.result as { read: number; accepted: number }[];
    expect(logs.reduce((n, l) => n + l.accepted, 0)).toBe(4);
  });

  it('keeps every event, once and in order, through a 60 s receiver outage', async () => {
    const before = received(receiver);
    receiver.down = true;
    const expected: string[] = [];
    const started = Date.now();
    let k = 0;
    const buffered = () =>
      eventually(
        async () => ((await api(hub, 'GET', '/gw/streams/1')).json.result[0].status.buffered_messages >= expected.length ? true : undefined),
        10_000,
        50,
      );
    while (Date.now() - started < 60_000) {
      const device = await connectDevice();
      expected.push('online');
      await buffered(); // the connection event went through the queue and ingest
      const begin = 1_700_100_000 + ++k * 100;
      await hub.services.deviceEvents.publish([intervalEvent('activated', begin, begin)]);
      expected.push(`activated@${begin}`);
      device.close();
      expected.push('offline');
      await buffered();
      await new Promise((r) => setTimeout(r, 4000));
    }
    const waiting = (await api(hub, 'GET', '/gw/streams/1')).json.result[0].status;
    expect(waiting.errors).toBeGreaterThan(0);
    expect(waiting.last_error).toMatch(/HTTP 503/);
    receiver.down = false;
    const all = [...before, ...expected];
    const got = await eventually(async () => (received(receiver).length >= all.length ? received(receiver) : undefined), 30_000, 200);
    expect(got).toEqual(all);
    expect(k).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('publishes each event on the MQTT topic of its device, payload the event JSON', async () => {
    const aedes = await Aedes.createBroker();
    const port = await freePort();
    const broker: TcpServer = createTcpServer(aedes.handle);
    await new Promise<void>((r) => broker.listen(port, '127.0.0.1', r));
    const platform = connect(`mqtt://127.0.0.1:${port}`);
    try {
      const got: { topic: string; payload: unknown }[] = [];
      await new Promise<void>((r) => platform.on('connect', () => r()));
      platform.on('message', (topic, payload) => got.push({ topic, payload: JSON.parse(payload.toString()) }));
      await new Promise<void>((r) => platform.subscribe('fleet/#', { qos: 1 }, () => r()));
      const s = await api(hub, 'POST', '/gw/streams', [
        {
          name: 'mqtt events',
          protocol_name: 'mqtt',
          source: 'intervals',
          configuration: { uri: `mqtt://127.0.0.1:${port}`, topic: 'fleet/%ident%/%device.id%/events' },
        },
      ]);
      await api(hub, 'POST', `/gw/streams/${s.json.result[0].id}/devices/1`);
      const event = intervalEvent('updated', 1_700_200_000, 1_700_200_300);
      await hub.services.deviceEvents.publish([event]);
      const first = await eventually(async () => got[0], 10_000, 50);
      expect(first).toEqual({ topic: `fleet/${IDENT}/1/events`, payload: event });
    } finally {
      platform.end(true);
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
    }
  }, 30_000);
});
