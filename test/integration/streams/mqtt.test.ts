/**
 * The mqtt stream target and its commands joiner against real brokers on loopback: aedes (in
 * process) and Debian's mosquitto (child process; `apt-get install -y mosquitto`, found on PATH,
 * in /usr/sbin or via MOSQUITTO_BIN; a failing test names the fix when it is absent).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Aedes, type AedesOptions } from 'aedes';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { streamTypeModules } from '../../../adapters/streams/index.js';
import { MqttTarget } from '../../../adapters/streams/mqtt.js';
import { createMqttJoiner } from '../../../adapters/streams/mqtt-commands.js';
import { MqttConfigSchema, type Stream } from '../../../core/schemas/streams.js';
import type { CommandGateway, StreamBatch, StreamJoiner, StreamTarget } from '../../../core/streams/types.js';
import type { Message } from '../../../protocols/common/types.js';
import { type CapturedLogger, captureLogger, eventually, freePort, removeDir, tempDir } from '../../helpers/local-hub.js';

interface Broker {
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function aedesBroker(port: number, options: AedesOptions = {}): Broker & { aedes?: Aedes } {
  let server: Server | undefined;
  const b: Broker & { aedes?: Aedes } = {
    port,
    async start() {
      b.aedes = await Aedes.createBroker(options);
      const s = createServer(b.aedes.handle);
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
      server = s;
    },
    async stop() {
      const [s, a] = [server, b.aedes];
      server = undefined;
      if (a) await new Promise<void>((resolve) => a.close(() => resolve()));
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  return b;
}

const MOSQUITTO = [
  process.env.MOSQUITTO_BIN,
  ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'mosquitto')),
  '/usr/sbin/mosquitto',
  '/usr/local/sbin/mosquitto',
].find((p): p is string => !!p && existsSync(p));

const configDirs: string[] = [];
afterAll(() => {
  for (const d of configDirs) removeDir(d);
});

function mosquittoBroker(port: number, bin: string): Broker {
  const dir = tempDir('mosquitto-');
  configDirs.push(dir);
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  let child: ChildProcess | undefined;
  return {
    port,
    async start() {
      child = spawn(bin, ['-c', conf], { stdio: 'ignore' });
      await eventually(() => reachable(port));
    },
    async stop() {
      const c = child;
      child = undefined;
      if (c && c.exitCode === null) {
        const exited = new Promise((resolve) => c.once('exit', resolve));
        c.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function reachable(port: number): Promise<true | undefined> {
  const { connect: tcp } = await import('node:net');
  return new Promise((resolve) => {
    const s = tcp({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(undefined));
  });
}

/** A platform-side client recording everything on `filter`. */
async function platform(port: number, filter: string): Promise<{ client: MqttClient; got: { topic: string; body: unknown; qos: number; retain: boolean }[] }> {
  const client = connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
  const got: { topic: string; body: unknown; qos: number; retain: boolean }[] = [];
  client.on('message', (topic, payload, packet) => got.push({ topic, body: safeJson(payload.toString()), qos: packet.qos, retain: packet.retain }));
  await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, got };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** The hub side of commands, in memory: records queue calls; a result appears after `pollsBeforeResult` polls. */
class FakeCommands implements CommandGateway {
  readonly queued: { ident: string; name: string; properties: Record<string, unknown>; origin: string }[] = [];
  polls = 0;
  private nextId = 100;
  constructor(private readonly pollsBeforeResult = 2) {}
  async queue(ident: string, command: { name: string; properties: Record<string, unknown> }, origin: string) {
    if (ident === 'unknown') throw new Error('no device with ident unknown');
    this.queued.push({ ident, ...command, origin });
    return { id: ++this.nextId, deviceId: 7 };
  }
  async result(deviceId: number, commandId: number) {
    this.polls++;
    return this.polls >= this.pollsBeforeResult ? { executed: true, response: `done ${commandId} on ${deviceId}`, status: 'replied' } : undefined;
  }
}

const STREAM: Stream = { id: 7, name: 'broker', protocol_name: 'mqtt', configuration: {}, queue_ttl: 3600, enabled: true };
const msg = (ident: string, t: number): Message => ({ ident, timestamp: t, 'device.id': ident === 'dev1' ? 1 : 2, 'position.speed': t % 100 });
const batch = (messages: Message[]): StreamBatch => ({ streamId: 7, batchId: 'm1', messages });
const FAST = { connectWaitMs: 500, ackWaitMs: 2000, reconnectMs: 100 } as const;

function brokerSuite(kind: string, makeBroker: (port: number) => Broker) {
  describe(`mqtt stream target on ${kind}`, () => {
    let broker: Broker;
    let logger: CapturedLogger;
    const closers: (() => Promise<unknown>)[] = [];
    const cfg = (extra: Record<string, unknown> = {}) => MqttConfigSchema.parse({ uri: `mqtt://127.0.0.1:${broker.port}`, ...extra });
    const target = (extra: Record<string, unknown> = {}): StreamTarget => {
      const t = new MqttTarget(cfg(extra), STREAM, { logger }, FAST);
      closers.push(() => t.close());
      return t;
    };
    const joiner = async (gateway: CommandGateway, extra: Record<string, unknown> = {}): Promise<StreamJoiner> => {
      const j = createMqttJoiner(
        cfg({ commands_topic: 'telematics/%ident%/commands', ...extra }),
        STREAM,
        { logger, commands: gateway },
        { ...FAST, everyMs: 30 },
      );
      if (!j) throw new Error('no joiner');
      closers.push(() => j.stop());
      await j.start();
      return j;
    };
    const watch = async (filter: string) => {
      const p = await platform(broker.port, filter);
      closers.push(() => p.client.endAsync(true));
      return p;
    };

    beforeAll(async () => {
      broker = makeBroker(await freePort());
      await broker.start();
    });
    beforeEach(() => {
      logger = captureLogger();
    });
    afterEach(async () => {
      await Promise.all(closers.splice(0).map((c) => c()));
    });
    afterAll(async () => {
      await broker.stop();
    });
    it('publishes one message per publish on the expanded topic, QoS 1, payload = message JSON', async () => {
      const p = await watch('telematics/#');
      const t = streamTypeModules().mqtt.createTarget(cfg({ topic: 'telematics/%device.id%/%ident%' }), STREAM, { logger });
      closers.push(() => t.close());
      await t.deliver(batch([msg('dev1', 1), msg('dev2', 2), msg('dev1', 3)]));
      await eventually(async () => (p.got.length === 3 ? true : undefined));
      expect(p.got).toEqual([
        { topic: 'telematics/1/dev1', body: msg('dev1', 1), qos: 1, retain: false },
        { topic: 'telematics/2/dev2', body: msg('dev2', 2), qos: 1, retain: false },
        { topic: 'telematics/1/dev1', body: msg('dev1', 3), qos: 1, retain: false },
      ]);
    });

    it('retains when configured: a later subscriber gets the last message', async () => {
      await target({ topic: 'retained/%ident%', retain: true }).deliver(batch([msg('dev1', 5)]));
      const p = await watch('retained/#');
      await eventually(async () => (p.got.length === 1 ? true : undefined));
      expect(p.got[0]).toMatchObject({ topic: 'retained/dev1', body: msg('dev1', 5), retain: true });
    });

    it('rejects within the bound while the broker is down, and delivers again once it is back', async () => {
      const t = target();
      await t.deliver(batch([msg('dev1', 1)]));
      await broker.stop();
      const started = Date.now();
      await expect(t.deliver(batch([msg('dev1', 2)]))).rejects.toThrow(
        /mqtt stream 7: (broker mqtt:\/\/127\.0\.0\.1:\d+ not connected within 0\.5 s|connection .* closed before every PUBACK)/,
      );
      expect(Date.now() - started).toBeLessThan(1500);
      await broker.start();
      const p = await watch('telematics/#');
      await eventually(() => t.deliver(batch([msg('dev1', 3)])).then(() => true), 5000, 100);
      await eventually(async () => (p.got.some((g) => (g.body as Message).timestamp === 3) ? true : undefined));
    });

    it('turns a command on the commands topic into a queued command and publishes its result', async () => {
      const gateway = new FakeCommands(2);
      await joiner(gateway);
      const p = await watch('telematics/+/commands/results');
      await p.client.publishAsync('telematics/dev1/commands', JSON.stringify({ name: 'setdigout', properties: { out: 1 } }), { qos: 1 });
      await eventually(async () => (p.got.length === 1 ? true : undefined));
      expect(gateway.queued).toEqual([{ ident: 'dev1', name: 'setdigout', properties: { out: 1 }, origin: 'stream:7' }]);
      expect(gateway.polls).toBeGreaterThanOrEqual(2);
      expect(p.got[0]).toMatchObject({
        topic: 'telematics/dev1/commands/results',
        body: { id: 101, name: 'setdigout', executed: true, response: 'done 101 on 7', status: 'replied' },
      });
    });

    it('ignores malformed commands and keeps serving; a refused command gets an error result', async () => {
      const gateway = new FakeCommands(1);
      await joiner(gateway, { results_topic: 'results/%device.id%/%ident%' });
      const p = await watch('results/#');
      for (const bad of ['not json', '[1]', '{"properties":{}}', '{"name":"x","properties":[1]}'])
        await p.client.publishAsync('telematics/dev2/commands', bad, { qos: 1 });
      await p.client.publishAsync('telematics/unknown/commands', '{"name":"reboot"}', { qos: 1 });
      await p.client.publishAsync('telematics/dev2/commands', '{"name":"reboot"}', { qos: 1 });
      await eventually(async () => (p.got.length === 2 ? true : undefined));
      expect(gateway.queued.map((q) => [q.ident, q.name, q.properties])).toEqual([['dev2', 'reboot', {}]]);
      expect(p.got.map((g) => [g.topic, g.body])).toEqual(
        expect.arrayContaining([
          ['results//unknown', { id: null, name: 'reboot', executed: false, response: '', status: 'refused', error: 'no device with ident unknown' }],
          ['results/7/dev2', { id: 101, name: 'reboot', executed: true, response: 'done 101 on 7', status: 'replied' }],
        ]),
      );
      expect(logger.lines.filter((l) => l.message === 'mqtt commands: malformed command ignored')).toHaveLength(4);
    });

    it('ignores a retained command (it would run again on every reconnection)', async () => {
      const p = await watch('telematics/+/commands/results');
      await p.client.publishAsync('telematics/dev9/commands', '{"name":"old"}', { qos: 1, retain: true });
      const gateway = new FakeCommands(1);
      await joiner(gateway);
      await p.client.publishAsync('telematics/dev9/commands', '{"name":"new"}', { qos: 1 });
      await eventually(async () => (p.got.length === 1 ? true : undefined));
      expect(gateway.queued.map((q) => q.name)).toEqual(['new']);
      await p.client.publishAsync('telematics/dev9/commands', '', { qos: 1, retain: true });
    });
  });
}

brokerSuite('aedes', (port) => aedesBroker(port));
if (MOSQUITTO) brokerSuite('mosquitto', (port) => mosquittoBroker(port, MOSQUITTO));
else {
  // a required peer (issue: tested against Debian's mosquitto): absent, this fails with the fix (`.ci/run` installs it)
  describe('mqtt stream target on mosquitto', () => {
    it('finds the mosquitto broker', () => {
      throw new Error('mosquitto not found: apt-get install -y mosquitto, or set MOSQUITTO_BIN');
    });
  });
}

describe('mqtt stream target, broker behaviour checked in aedes', () => {
  let broker: ReturnType<typeof aedesBroker>;
  let held: (() => void) | undefined;
  let refuse = false;
  const logins: { id: string; username?: string; password?: string }[] = [];
  const logger = captureLogger();

  beforeAll(async () => {
    broker = aedesBroker(await freePort(), {
      authenticate: (client, username, password, done) => {
        logins.push({ id: client.id, username, password: password?.toString() });
        done(null, true);
      },
      authorizePublish: (_client, _packet, done) => {
        if (refuse) return done(new Error('refused'));
        held = () => done(null);
      },
    });
    await broker.start();
  });
  afterAll(async () => {
    held?.();
    await broker.stop();
  });

  it('resolves only once the PUBACK arrived, and authenticates with username, password and client_id', async () => {
    const t = new MqttTarget(
      MqttConfigSchema.parse({ uri: `mqtt://127.0.0.1:${broker.port}`, username: 'u', password: 'p', client_id: 'hub-7' }),
      STREAM,
      { logger },
      FAST,
    );
    let done = false;
    const delivered = t.deliver(batch([msg('dev1', 1)])).then(() => (done = true));
    const release = await eventually(async () => held);
    await new Promise((r) => setTimeout(r, 100));
    expect(done).toBe(false);
    release();
    await delivered;
    expect(done).toBe(true);
    expect(logins).toContainEqual({ id: 'hub-7', username: 'u', password: 'p' });
    await t.close();
  });

  it('rejects when the broker drops the connection instead of acknowledging', async () => {
    refuse = true;
    const t = new MqttTarget(MqttConfigSchema.parse({ uri: `mqtt://127.0.0.1:${broker.port}` }), STREAM, { logger }, FAST);
    await expect(t.deliver(batch([msg('dev1', 1)]))).rejects.toThrow(/closed before every PUBACK|not every PUBACK/);
    await t.close();
    refuse = false;
  });

  it('rejects within the bound when nothing listens at all', async () => {
    const t = new MqttTarget(MqttConfigSchema.parse({ uri: `mqtt://127.0.0.1:${await freePort()}` }), STREAM, { logger }, FAST);
    const started = Date.now();
    await expect(t.deliver(batch([msg('dev1', 1)]))).rejects.toThrow(/not connected within 0\.5 s \(.*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(1500);
    await t.close();
  });
});
