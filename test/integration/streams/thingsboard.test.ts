/** The thingsboard stream target and RPC joiner on aedes (a plain MQTT 3.1.1 broker standing in for ThingsBoard's gateway API). */
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { streamTypeModules } from '../../../adapters/streams/index.js';
import { ThingsboardTarget } from '../../../adapters/streams/thingsboard.js';
import { ThingsboardGateways } from '../../../adapters/streams/thingsboard-gateway.js';
import { createThingsboardJoiner } from '../../../adapters/streams/thingsboard-rpc.js';
import { type Stream, ThingsboardConfigSchema } from '../../../core/schemas/streams.js';
import { TB_MAX_MESSAGE_BYTES } from '../../../core/streams/thingsboard-payload.js';
import type { CommandGateway, StreamBatch, StreamTarget } from '../../../core/streams/types.js';
import type { Message } from '../../../protocols/common/types.js';
import { type CapturedLogger, captureLogger, eventually, freePort } from '../../helpers/local-hub.js';

interface Seen {
  topic: string;
  body: any;
  qos: number;
  /** whole PUBLISH packet size in bytes */
  packetBytes: number;
}

class FakeCommands implements CommandGateway {
  readonly queued: { ident: string; name: string; properties: Record<string, unknown>; origin: string }[] = [];
  private nextId = 500;
  async queue(ident: string, command: { name: string; properties: Record<string, unknown> }, origin: string) {
    if (ident === 'refused') throw new Error('property "out" must be 0 or 1');
    this.queued.push({ ident, ...command, origin });
    return { id: ++this.nextId, deviceId: 3 };
  }
  async result(_deviceId: number, commandId: number) {
    return { executed: true, response: `ok ${commandId}`, status: 'replied' };
  }
}

const STREAM: Stream = { id: 8, name: 'tb', protocol_name: 'thingsboard', configuration: {}, queue_ttl: 3600, enabled: true };
const FAST = { connectWaitMs: 500, ackWaitMs: 3000, reconnectMs: 100 } as const;
const msg = (ident: string, t: number, extra: Message = {}): Message => ({
  ident,
  timestamp: t,
  'device.id': Number(ident.replace(/\D/g, '')) || 0,
  'position.speed': 10,
  'gsm.lac': null,
  ...extra,
});
const batch = (messages: Message[]): StreamBatch => ({ streamId: 8, batchId: 't1', messages });

describe('thingsboard stream target', () => {
  /** One runtime's gateway connections: the target and the RPC joiner of a stream share one. */
  const gateways = new ThingsboardGateways();
  let aedes: Aedes;
  let server: Server;
  let port: number;
  let logger: CapturedLogger;
  let seen: Seen[] = [];
  let platform: MqttClient;
  const logins: { id: string; username?: string; password?: string }[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  const cfg = (extra: Record<string, unknown> = {}) => ThingsboardConfigSchema.parse({ uri: `mqtt://127.0.0.1:${port}`, access_token: 'GW_TOKEN', ...extra });
  const target = (extra: Record<string, unknown> = {}): StreamTarget => {
    const t = new ThingsboardTarget(cfg(extra), STREAM, { logger }, gateways, FAST);
    closers.push(() => t.close());
    return t;
  };
  const ours = () => seen.filter((s) => s.topic !== 'v1/gateway/rpc');
  const replies = () => seen.filter((s) => s.topic === 'v1/gateway/rpc' && s.body?.data?.method === undefined);

  beforeAll(async () => {
    port = await freePort();
    aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        logins.push({ id: client.id, username, password: password?.toString() });
        done(null, true);
      },
    });
    server = createServer(aedes.handle);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    platform = connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, clientId: 'platform' });
    platform.on('message', (topic, payload, packet) => {
      let body: unknown = payload.toString();
      try {
        body = JSON.parse(payload.toString());
      } catch {
        // kept as text
      }
      const remaining = 2 + Buffer.byteLength(topic) + (packet.qos > 0 ? 2 : 0) + payload.length;
      seen.push({ topic, body, qos: packet.qos, packetBytes: 1 + (remaining < 128 ? 1 : remaining < 16384 ? 2 : 3) + remaining });
    });
    await new Promise((resolve) => platform.once('connect', resolve));
    await platform.subscribeAsync('v1/gateway/#', { qos: 1 });
  });

  beforeEach(() => {
    seen = [];
    logger = captureLogger();
  });

  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  afterAll(async () => {
    await platform.endAsync(true);
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('connects with the access token as username, announces each device once, then sends grouped telemetry (QoS 1)', async () => {
    const t = streamTypeModules().thingsboard.createTarget(cfg(), STREAM, { logger });
    closers.push(() => t.close());
    await t.deliver(batch([msg('dev1', 1700000000.5), msg('dev2', 1700000001), msg('dev1', 1700000002)]));
    await eventually(async () => (ours().length === 5 ? true : undefined));
    expect(logins.filter((l) => l.id !== 'platform').at(-1)).toMatchObject({ username: 'GW_TOKEN', password: undefined });
    expect(ours().map((s) => [s.topic, s.body, s.qos])).toEqual([
      ['v1/gateway/connect', { device: 'dev1' }, 1],
      ['v1/gateway/attributes', { dev1: { ident: 'dev1', 'device.id': 1 } }, 1],
      ['v1/gateway/connect', { device: 'dev2' }, 1],
      ['v1/gateway/attributes', { dev2: { ident: 'dev2', 'device.id': 2 } }, 1],
      [
        'v1/gateway/telemetry',
        {
          dev1: [
            { ts: 1700000000500, values: { 'device.id': 1, 'position.speed': 10 } },
            { ts: 1700000002000, values: { 'device.id': 1, 'position.speed': 10 } },
          ],
          dev2: [{ ts: 1700000001000, values: { 'device.id': 2, 'position.speed': 10 } }],
        },
        1,
      ],
    ]);
    seen = [];
    await t.deliver(batch([msg('dev2', 1700000003), msg('dev3', 1700000004)]));
    await eventually(async () => (ours().length === 3 ? true : undefined));
    expect(ours().map((s) => s.topic)).toEqual(['v1/gateway/connect', 'v1/gateway/attributes', 'v1/gateway/telemetry']);
    expect(ours()[0].body).toEqual({ device: 'dev3' });
  });

  it('announces the devices again on a new connection after the platform dropped the old one', async () => {
    const t = target();
    await t.deliver(batch([msg('dev50', 1)]));
    await eventually(async () => (ours().length === 3 ? true : undefined));
    const gatewayClient = Object.values((aedes as unknown as { clients: Record<string, { id: string; close(): void }> }).clients).find(
      (c) => c.id !== 'platform',
    );
    gatewayClient?.close();
    seen = [];
    await eventually(() => t.deliver(batch([msg('dev50', 2)])).then(() => true), 5000, 100);
    // mqtt.js may first resend the unacknowledged telemetry of the failed attempt (QoS 1: at least once)
    await eventually(async () =>
      ours().filter((s) => s.topic === 'v1/gateway/telemetry').length >= 1 &&
      ours().at(-1)?.topic === 'v1/gateway/telemetry' &&
      ours().some((s) => s.topic === 'v1/gateway/connect')
        ? true
        : undefined,
    );
    const topics = ours().map((s) => s.topic);
    expect(topics.slice(-3)).toEqual(['v1/gateway/connect', 'v1/gateway/attributes', 'v1/gateway/telemetry']);
    expect(ours().at(-1)?.body).toEqual({ dev50: [{ ts: 2000, values: { 'device.id': 50, 'position.speed': 10 } }] });
  });

  it('names devices by the device_name template', async () => {
    await target({ device_name: 'truck %device.id% (%ident%)' }).deliver(batch([msg('dev4', 5)]));
    await eventually(async () => (ours().length === 3 ? true : undefined));
    expect(ours()[0].body).toEqual({ device: 'truck 4 (dev4)' });
    expect(Object.keys(ours()[2].body as object)).toEqual(['truck 4 (dev4)']);
  });

  it('splits telemetry so that every publish stays below 65,536 bytes, losing nothing and keeping order', async () => {
    const big = Array.from({ length: 40 }, (_, i) => msg(i % 2 ? 'dev5' : 'dev6', 1000 + i, { note: 'x'.repeat(5000) }));
    await target().deliver(batch(big));
    const telemetry = () => ours().filter((s) => s.topic === 'v1/gateway/telemetry');
    await eventually(async () => (telemetry().reduce((n, s) => n + Object.values(s.body as object).flat().length, 0) === 40 ? true : undefined));
    expect(telemetry().length).toBeGreaterThanOrEqual(4);
    for (const s of telemetry()) expect(s.packetBytes).toBeLessThan(TB_MAX_MESSAGE_BYTES);
    const ts = (device: string) => telemetry().flatMap((s) => ((s.body as Record<string, { ts: number }[]>)[device] ?? []).map((e) => e.ts));
    expect(ts('dev5')).toEqual(big.filter((m) => m.ident === 'dev5').map((m) => (m.timestamp as number) * 1000));
    expect(ts('dev6')).toEqual(big.filter((m) => m.ident === 'dev6').map((m) => (m.timestamp as number) * 1000));
  });

  it('skips an entry that alone exceeds the limit, with a warning, and sends the rest', async () => {
    await target().deliver(batch([msg('dev7', 1, { note: 'y'.repeat(70_000) }), msg('dev7', 2)]));
    await eventually(async () => (ours().some((s) => s.topic === 'v1/gateway/telemetry') ? true : undefined));
    expect(ours().find((s) => s.topic === 'v1/gateway/telemetry')?.body).toEqual({ dev7: [{ ts: 2000, values: { 'device.id': 7, 'position.speed': 10 } }] });
    expect(logger.lines.some((l) => l.message.includes('larger than one publish'))).toBe(true);
  });

  it('rejects within the bound when the broker is unreachable', async () => {
    const t = new ThingsboardTarget(
      ThingsboardConfigSchema.parse({ uri: `mqtt://127.0.0.1:${await freePort()}`, access_token: 'x' }),
      STREAM,
      { logger },
      gateways,
      FAST,
    );
    closers.push(() => t.close());
    await expect(t.deliver(batch([msg('dev1', 1)]))).rejects.toThrow(/thingsboard stream 8: broker mqtt:\/\/127\.0\.0\.1:\d+ not connected within 0\.5 s/);
  });

  describe('server-side RPC', () => {
    const startJoiner = async (commands: CommandGateway, extra: Record<string, unknown> = {}) => {
      const j = createThingsboardJoiner(cfg(extra), STREAM, { logger, commands }, gateways, { ...FAST, everyMs: 20 });
      if (!j) throw new Error('no joiner');
      closers.push(() => j.stop());
      await j.start();
      return j;
    };
    const rpc = (body: unknown) => platform.publishAsync('v1/gateway/rpc', typeof body === 'string' ? body : JSON.stringify(body), { qos: 1 });

    it('queues the method with its params for the device behind the name and replies with the same id, on the shared connection', async () => {
      const commands = new FakeCommands();
      const before = logins.length;
      const t = target({ device_name: 'truck-%device.id%' });
      await startJoiner(commands, { device_name: 'truck-%device.id%' });
      await t.deliver(batch([msg('dev21', 1)]));
      await rpc({ device: 'truck-21', data: { id: 42, method: 'setdigout', params: { out: 1 } } });
      await eventually(async () => (replies().length === 1 ? true : undefined));
      expect(commands.queued).toEqual([{ ident: 'dev21', name: 'setdigout', properties: { out: 1 }, origin: 'stream:8' }]);
      expect(replies()[0].body).toEqual({ device: 'truck-21', id: 42, data: { response: 'ok 501', executed: true, status: 'replied' } });
      expect(logins.length - before).toBe(1);
    });

    it('reads the ident back from the default name without any delivery, and answers errors for refused commands and unknown devices', async () => {
      const commands = new FakeCommands();
      await startJoiner(commands, { device_name: 'tb-%ident%' });
      await rpc({ device: 'tb-dev30', data: { id: 1, method: 'reboot' } });
      await rpc({ device: 'tb-refused', data: { id: 2, method: 'setdigout', params: '{"out":9}' } });
      await rpc({ device: 'other', data: { id: 3, method: 'reboot' } });
      await rpc({ device: 'tb-dev31', data: { id: 4, method: 'x', params: 5 } });
      await eventually(async () => (replies().length === 4 ? true : undefined));
      const byId = Object.fromEntries(replies().map((r) => [r.body.id, r.body.data]));
      expect(commands.queued.map((q) => [q.ident, q.name, q.properties])).toEqual([['dev30', 'reboot', {}]]);
      expect(byId).toEqual({
        1: { response: 'ok 501', executed: true, status: 'replied' },
        2: { error: 'property "out" must be 0 or 1', executed: false },
        3: { error: 'unknown device "other": no message delivered for it yet', executed: false },
        4: { error: 'params must be a JSON object, got 5', executed: false },
      });
    });

    it('ignores malformed requests and its own echoed replies, and keeps serving', async () => {
      const commands = new FakeCommands();
      await startJoiner(commands);
      for (const bad of [
        'garbage',
        '[]',
        { device: 'dev40' },
        { device: '', data: { id: 1, method: 'm' } },
        { device: 'dev40', data: { method: 'm' } },
        { device: 'dev40', data: 'x' },
      ])
        await rpc(bad);
      await rpc({ device: 'dev40', data: { id: 9, method: 'ping' } });
      await eventually(async () => (replies().some((r) => r.body?.id === 9) ? true : undefined));
      expect(commands.queued.map((q) => q.ident)).toEqual(['dev40']);
      expect(logger.lines.filter((l) => l.message === 'thingsboard rpc: malformed request ignored')).toHaveLength(6);
      await eventually(async () =>
        logger.lines.some((l) => l.message === 'thingsboard rpc: message ignored' && l.extra?.reason === 'no data.method (a reply)') ? true : undefined,
      );
    });
  });
});
