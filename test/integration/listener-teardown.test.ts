import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../core/logger.js';
import type { Channel } from '../../core/schemas/channels.js';
import { startListenerCluster } from '../../listener/cluster.js';
import { type ListenerPorts, type ListenerServiceOptions, startListenerService } from '../../listener/service.js';
import { type CapturedLogger, captureLogger, freePort, removeDir, tempDir } from '../helpers/local-hub.js';

const HOST = '127.0.0.1';

function channel(id: number, port: number): Channel {
  return {
    id,
    name: `c${id}`,
    protocol_id: 1,
    protocol_name: 'teltonika',
    uri: `${HOST}:${port}`,
    configuration: { port, transport: 'tcp', crc: 'strict', max_frame_size: 65536 },
    messages_ttl: 60,
    enabled: true,
  };
}

/** The registry a listener reads, in memory: these channels (or a failing read), nothing queued. */
function memoryPorts(list: () => Promise<Channel[]>): ListenerPorts {
  return {
    channels: { list },
    commands: { pending: async () => ({ commands: [], kicks: [] }), pendingFor: async () => [] },
    connections: { publish: async () => undefined, list: async () => [] },
    devices: { findByIdent: async () => undefined, findByIdents: async () => new Map() },
    logs: { append: async () => undefined, appendMany: async () => undefined, list: async () => [] },
    clock: { now: () => Date.now() / 1000 },
  } as unknown as ListenerPorts;
}

function serviceOptions(logger: Logger, list: () => Promise<Channel[]>): ListenerServiceOptions {
  return {
    host: HOST,
    listenerId: 'teardown',
    logger,
    queue: { send: async () => undefined },
    ports: memoryPorts(list),
    channelSyncMs: 50,
    commandPollMs: 50,
    snapshotMs: 50,
    metrics: { periodMs: 50, write: () => undefined },
  };
}

function bind(port: number): Promise<Server> {
  const server = createServer();
  return new Promise<Server>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve(server));
  });
}

const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

/** Whether this process can bind `port` now (the listener let it go). */
async function canBind(port: number): Promise<boolean> {
  try {
    await close(await bind(port));
    return true;
  } catch {
    return false;
  }
}

/** Listening TCP handles of this process, once the ones just closed are released (a tick after their close callback). */
async function tcpServers(): Promise<number> {
  await new Promise((r) => setTimeout(r, 20));
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
}

/**
 * Timers set while tracking and neither cleared nor fired (the listener's timers are unref'd, so
 * `getActiveResourcesInfo` does not list them).
 */
function trackTimers(): { pending(): number; restore(): void } {
  const live = new Set<unknown>();
  const orig = { setInterval, setTimeout, clearInterval, clearTimeout };
  globalThis.setInterval = ((fn: () => void, ms?: number) => {
    const h = orig.setInterval(fn, ms);
    live.add(h);
    return h;
  }) as unknown as typeof setInterval;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const h = orig.setTimeout(() => {
      live.delete(h);
      fn();
    }, ms);
    live.add(h);
    return h;
  }) as unknown as typeof setTimeout;
  const clear = (h: NodeJS.Timeout | string | number | undefined) => {
    live.delete(h);
    orig.clearTimeout(h);
  };
  globalThis.clearInterval = clear as typeof clearInterval;
  globalThis.clearTimeout = clear as typeof clearTimeout;
  return {
    pending: () => live.size,
    restore: () => Object.assign(globalThis, orig),
  };
}

describe('listener/service.ts startListenerService: start-up and teardown', () => {
  let timers: ReturnType<typeof trackTimers> | undefined;
  afterEach(() => timers?.restore());

  it('a start that fails after its first server is bound rejects with that error, frees the port and leaves no timer', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const blocker = await bind(b);
    const servers = await tcpServers();
    const failure = new Error('log sink closed');
    // the second channel's port is in use; reporting that fails (the log sink throws): a later step of the start failed
    const base = captureLogger();
    const logger: CapturedLogger = {
      ...base,
      error: (message, extra) => {
        base.error(message, extra);
        if (message.startsWith('channel cannot listen')) throw failure;
      },
    };
    timers = trackTimers();
    await expect(startListenerService(serviceOptions(logger, async () => [channel(1, a), channel(2, b)]))).rejects.toBe(failure);
    expect(base.lines.filter((l) => l.message === 'channel listening').map((l) => l.extra?.channel_id)).toEqual([1]);
    expect(base.lines.filter((l) => l.message === 'channel stopped').map((l) => l.extra?.channel_id)).toEqual([1]);
    expect(base.lines.some((l) => l.message === 'listener drained')).toBe(false);
    expect(timers.pending()).toBe(0);
    expect(await tcpServers()).toBe(servers);
    expect(await canBind(a)).toBe(true);
    await close(blocker);
  });

  it('a failed registry read rejects with that error and leaves no timer', async () => {
    const failure = new Error('registry down');
    const servers = await tcpServers();
    timers = trackTimers();
    const logger = captureLogger();
    await expect(
      startListenerService(
        serviceOptions(logger, async () => {
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    expect(timers.pending()).toBe(0);
    expect(await tcpServers()).toBe(servers);
    expect(logger.lines).toEqual([]);
  });

  it('a port in use does not fail the start: the channel reports it and is retried, and the drain frees the other port', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const blocker = await bind(b);
    const servers = await tcpServers();
    timers = trackTimers();
    const service = await startListenerService(serviceOptions(captureLogger(), async () => [channel(1, a), channel(2, b)]));
    expect(service.channels.map((c) => c.id)).toEqual([1]);
    expect(service.listeners.statuses().map((s) => [s.channelId, s.listening, s.error])).toEqual([
      [1, true, undefined],
      [2, false, `address ${HOST}:${b} in use`],
    ]);
    expect(await canBind(a)).toBe(false);
    await service.drain();
    expect(timers.pending()).toBe(0);
    expect(await tcpServers()).toBe(servers);
    expect(await canBind(a)).toBe(true);
    await close(blocker);
  });

  it('drain twice: one drain, and the second call waits for it', async () => {
    const port = await freePort();
    const logger = captureLogger();
    const lines: string[] = [];
    const service = await startListenerService({
      ...serviceOptions(logger, async () => [channel(1, port)]),
      metrics: { periodMs: 60_000, write: (l) => lines.push(l) },
    });
    timers = trackTimers();
    const order: string[] = [];
    const first = service.drain().then(() => order.push('first'));
    const second = service.drain().then(() => {
      order.push('second');
      return canBind(port);
    });
    expect(await second).toBe(true);
    await first;
    expect(order).toEqual(['first', 'second']);
    expect(logger.lines.filter((l) => l.message === 'listener drained')).toHaveLength(1);
    expect(logger.lines.filter((l) => l.message === 'channel stopped')).toHaveLength(1);
    expect(lines).toHaveLength(1); // the last metrics line, once
    await service.drain(); // a third call after the drain resolves at once
    expect(timers.pending()).toBe(0);
  });
});

/**
 * A stand-in worker entry: worker `i` listens on the i-th port of TEST_PORTS (through the primary,
 * as cluster workers do) and reports its state; a port in use makes it exit with 3; `drain` closes.
 */
const WORKER = `
const ports = process.env.TEST_PORTS.split(',').map(Number);
const index = Number(process.env.HUB_WORKER_INDEX);
const net = await import('node:net');
const server = net.createServer((s) => s.end());
server.once('error', () => process.exit(3));
setTimeout(() => server.listen(ports[index - 1], '127.0.0.1', () => process.send({ hub: 'state', channels: [], stats: {} })), index === 1 ? 0 : 500);
process.on('message', (m) => { if (m && m.hub === 'drain') server.close(() => process.exit(0)); });
`;

describe('listener/cluster.ts startListenerCluster: start-up and teardown', () => {
  const dir = tempDir();
  const entry = join(dir, 'worker.mjs');
  writeFileSync(entry, WORKER);
  let timers: ReturnType<typeof trackTimers> | undefined;
  afterEach(() => timers?.restore());
  afterAll(() => removeDir(dir));

  const start = (logger: Logger, ports: number[], workers: number) =>
    startListenerCluster({ workers, logger, env: { TEST_PORTS: ports.join(',') }, workerEntry: entry, startTimeoutMs: 10_000 });

  it('a worker whose port is in use fails the start: the other workers are stopped, the first port is free, none is started again', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const blocker = await bind(b);
    const logger = captureLogger();
    timers = trackTimers();
    await expect(start(logger, [a, b], 2)).rejects.toThrow('listener worker 2 exited with 3 while starting');
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
    expect(await canBind(a)).toBe(true);
    expect(timers.pending()).toBe(0);
    await new Promise((r) => setTimeout(r, 1500)); // past the replacement delay of an exited worker
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
    expect(logger.lines.filter((l) => l.message === 'listener worker failed to start')).toEqual([]);
    await close(blocker);
  }, 20_000);

  it('drain twice: one drain, the second call waits for it, the port is free after', async () => {
    const port = await freePort();
    const logger = captureLogger();
    const listener = await start(logger, [port, port], 2);
    expect(listener.pids()).toHaveLength(2);
    expect(await canBind(port)).toBe(false);
    timers = trackTimers();
    const order: string[] = [];
    const first = listener.drain().then(() => order.push('first'));
    const second = listener.drain().then(() => {
      order.push('second');
      return Object.keys(cluster.workers ?? {}).length;
    });
    expect(await second).toBe(0);
    await first;
    expect(order).toEqual(['first', 'second']);
    expect(await canBind(port)).toBe(true);
    expect(logger.lines.filter((l) => l.message === 'listener cluster drained')).toHaveLength(1);
    expect(timers.pending()).toBe(0);
  }, 20_000);
});
