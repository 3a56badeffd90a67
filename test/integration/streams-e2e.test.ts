import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { Aedes } from 'aedes';
import { connect } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlPacket, codec12Response, codec12Text, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, freePort, startTestHub } from '../helpers/local-hub.js';
import { StreamReceiver } from '../helpers/stream-receiver.js';

const IDENT = '354444444444444';

/** Message timestamps a receiver got, in order, without repeated batches (at-least-once). */
const timestamps = (r: StreamReceiver) => r.messages().map((m) => m.timestamp as number);

describe('streams end to end in local mode', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let device: TestDevice;
  const receiver = new StreamReceiver();
  let seq = 0;

  /** Sends one record and waits for its ack; returns its timestamp (s). */
  async function send(): Promise<number> {
    const ts = 1_700_000_000_000 + ++seq * 1000;
    device.send(avlPacket([{ timestampMs: ts, latitude: 54, longitude: 25, satellites: 6, speed: seq }]));
    await device.read(4);
    return ts / 1000;
  }

  beforeAll(async () => {
    await receiver.start();
    hub = await startTestHub();
    await api(hub, 'POST', '/gw/devices', [{ name: 'streamed', configuration: { ident: IDENT }, device_type_id: 1 }]);
    device = await TestDevice.connect(hub.channelPort);
    device.send(handshake(IDENT));
    await device.read(1);
  });
  afterAll(async () => {
    device?.close();
    await hub?.stop();
    await receiver.close();
  });

  it('validates stream configuration per type, naming the field', async () => {
    const r = await api(hub, 'POST', '/gw/streams', [{ name: 'bad', protocol_name: 'http', configuration: { uri: 'ftp://x' } }]);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].reason).toMatch(/^\[0\]\.configuration\.uri: must be a URL/);
    const filter = await api(hub, 'POST', '/gw/streams', [
      { name: 'bad', protocol_name: 'http', configuration: { uri: 'http://x' }, validate_message: 'a>>1' },
    ]);
    expect(filter.json.errors[0].reason).toMatch(/validate_message/);
  });

  it("forwards a subscribed device's messages to an HTTP platform in order, one request per batch", async () => {
    const s = await api(hub, 'POST', '/gw/streams', [
      { name: 'platform', protocol_name: 'http', configuration: { uri: `http://127.0.0.1:${receiver.port}/in` } },
    ]);
    expect(s.status).toBe(200);
    const sub = await api(hub, 'POST', `/gw/streams/${s.json.result[0].id}/devices/configuration.ident=${IDENT}`);
    expect(sub.json.result).toEqual([{ stream_id: 1, id: 1 }]);
    const sent = [await send(), await send(), await send()];
    const got = await eventually(async () => (timestamps(receiver).length >= 3 ? timestamps(receiver) : undefined));
    expect(got).toEqual(sent);
    expect(receiver.batches[0].messages[0]).toMatchObject({ ident: IDENT, 'device.id': 1, 'position.latitude': 54 });
    const status = await eventually(async () => {
      const st = (await api(hub, 'GET', '/gw/streams/1')).json.result[0].status;
      return st.delivered_messages === 3 ? st : undefined;
    });
    expect(status).toMatchObject({ delivered_messages: 3, buffered: 0, errors: 0 });
    expect(Math.round(status.lag * 1000) / 1000).toBe(status.lag); // seconds to the millisecond, no float noise
    expect(status.last_delivery).toBeGreaterThan(0);
    const logs = (await api(hub, 'GET', '/gw/streams/1/logs')).json.result as { read: number; accepted: number; rejected: number }[];
    expect(logs.reduce((n, l) => n + l.read, 0)).toBe(3); // consecutive batches may travel together
    expect(logs.every((l) => l.accepted === l.read && l.rejected === 0)).toBe(true);
  });

  it('keeps order through a 60 s outage, delivers every message exactly, and drops into a replayable list after queue_ttl', async () => {
    const short = new StreamReceiver();
    await short.start();
    try {
      const dropper = await api(hub, 'POST', '/gw/streams', [
        { name: 'short ttl', protocol_name: 'http', queue_ttl: 60, configuration: { uri: `http://127.0.0.1:${short.port}/short` } },
      ]);
      const dropId = dropper.json.result[0].id;
      await api(hub, 'POST', `/gw/streams/${dropId}/devices/1`);
      const sentBefore = timestamps(receiver);
      receiver.down = true;
      short.down = true;
      const during: number[] = [];
      const started = Date.now();
      while (Date.now() - started < 60_000) {
        during.push(await send());
        await new Promise((r) => setTimeout(r, 3000));
      }
      const waiting = (await api(hub, 'GET', '/gw/streams/1')).json.result[0].status;
      expect(waiting.buffered).toBeGreaterThan(0);
      expect(waiting.errors).toBeGreaterThan(0);
      expect(waiting.last_error).toMatch(/HTTP 503/);
      receiver.down = false;
      const after = await send();
      const expected = [...sentBefore, ...during, after];
      // every message, in order, exactly the ones sent (repeated batches are at-least-once repeats)
      const got = await eventually(async () => (timestamps(receiver).length >= expected.length ? timestamps(receiver) : undefined), 30_000, 200);
      expect(got).toEqual(expected);
      const status = await eventually(async () => {
        const st = (await api(hub, 'GET', '/gw/streams/1')).json.result[0].status;
        return st.errors === 0 ? st : undefined;
      });
      expect(status).toMatchObject({ buffered: 0, errors: 0, last_error: null });
      const repeats = receiver.batches.length - new Set(receiver.batches.map((b) => b.id)).size;
      expect(status.duplicates).toBeGreaterThanOrEqual(repeats);
      // the 60 s stream dropped what waited longer than its queue_ttl, kept for inspection and replay
      const dropped = await eventually(
        async () => {
          const r = (await api(hub, 'GET', `/gw/streams/${dropId}/dropped`)).json.result;
          return r.length > 0 ? r : undefined;
        },
        15_000,
        200,
      );
      expect(dropped[0].reason).toMatch(/queue_ttl \(60 s\): HTTP 503/);
      await eventually(async () => ((await api(hub, 'GET', `/gw/streams/${dropId}`)).json.result[0].status.dropped > 0 ? true : undefined));
      short.down = false;
      const replayed = await api(hub, 'POST', `/gw/streams/${dropId}/dropped/replay`);
      // batches keep ageing past queue_ttl until the target's next attempt, so the list may have grown
      expect(replayed.json.result.length).toBeGreaterThanOrEqual(dropped.length);
      await eventually(
        async () => {
          const left = (await api(hub, 'GET', `/gw/streams/${dropId}/dropped`)).json.result as unknown[];
          if (left.length > 0) {
            await api(hub, 'POST', `/gw/streams/${dropId}/dropped/replay`); // dropped after the first replay
            return undefined;
          }
          return timestamps(short).length >= during.length ? true : undefined;
        },
        30_000,
        500,
      );
      expect(timestamps(short)).toEqual(expect.arrayContaining(during));
    } finally {
      await short.close();
    }
  }, 120_000);

  it('takes commands from an MQTT platform to the device and publishes the result back', async () => {
    const aedes = await Aedes.createBroker();
    const port = await freePort();
    const broker: TcpServer = createTcpServer(aedes.handle);
    await new Promise<void>((r) => broker.listen(port, '127.0.0.1', r));
    try {
      const s = await api(hub, 'POST', '/gw/streams', [
        {
          name: 'mqtt',
          protocol_name: 'mqtt',
          configuration: { uri: `mqtt://127.0.0.1:${port}`, topic: 'fleet/%ident%', commands_topic: 'fleet/%ident%/commands' },
        },
      ]);
      expect(s.status).toBe(200);
      await api(hub, 'POST', `/gw/streams/${s.json.result[0].id}/devices/1`);
      const platform = connect(`mqtt://127.0.0.1:${port}`);
      const results: Record<string, unknown>[] = [];
      const telemetry: Record<string, unknown>[] = [];
      await new Promise<void>((r) => platform.on('connect', () => r()));
      platform.on('message', (topic, payload) => (topic.endsWith('/results') ? results : telemetry).push(JSON.parse(payload.toString())));
      await new Promise<void>((r) => platform.subscribe(['fleet/+/commands/results', 'fleet/+'], { qos: 1 }, () => r()));
      await new Promise((r) => setTimeout(r, 1500)); // the joiner subscribes
      await send();
      await eventually(async () => (telemetry.length > 0 ? true : undefined));
      platform.publish(`fleet/${IDENT}/commands`, JSON.stringify({ name: 'getver', properties: {} }), { qos: 1 });
      const head = await device.read(8, 5000);
      const rest = await device.read(head.readUInt32BE(4) + 4);
      expect(codec12Text(Buffer.concat([head, rest]))).toBe('getver');
      device.send(codec12Response('Ver:03.28.07 Hw:FMB920'));
      const result = await eventually(async () => results[0], 10_000, 100);
      expect(result).toMatchObject({ name: 'getver', executed: true, response: 'Ver:03.28.07 Hw:FMB920', status: 'replied' });
      platform.end(true);
    } finally {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
    }
  }, 60_000);
});
