import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, type TableNames } from '../adapters/dynamodb/client.js';
import { dynamoPorts } from '../adapters/dynamodb/ports.js';
import { LocalDeadLetters } from '../adapters/local/dead-letters.js';
import { startDynalite } from '../adapters/local/dynalite.js';
import { startDynaliteProcess } from '../adapters/local/dynalite-process.js';
import { FilePackArchive } from '../adapters/local/file-archive.js';
import { JournalQueue } from '../adapters/local/journal-queue.js';
import { LocalBus } from '../adapters/local/local-bus.js';
import { lowerOwnPriority } from '../adapters/local/priority.js';
import { WriteBehindCalcs } from '../adapters/local/write-behind-calcs.js';
import { streamRuntime } from '../adapters/streams/runtime.js';
import { createHub, type HubPorts, type HubServices } from '../core/hub.js';
import type { Logger, LogLevel } from '../core/logger.js';
import type { FrameQueue } from '../core/ports.js';
import { SYSTEM_ACCESS } from '../core/registry/access.js';
import { Teardown } from '../core/teardown.js';
import { makeApiHandler } from '../lambdas/api/handler.js';
import { makeIngestHandler } from '../lambdas/ingest/handler.js';
import type { FrameBatcher } from '../listener/batcher.js';
import type { ListenerView } from '../listener/channel-listeners.js';
import type { CommandDispatcher } from '../listener/command-dispatcher.js';
import { type LocalListener, startLocalListener } from '../listener/local-listener.js';
import { CalcTimer } from './calc-timer.js';
import { lockDataDir } from './data-lock.js';
import { localContext, startApiServer } from './http-server.js';
import { LiveFeed } from './live.js';
import { LIVE_PATH, LiveSocketServer } from './live-socket.js';
import { canListen } from './port-probe.js';
import { staticHandler } from './static.js';

export interface LocalHubOptions {
  /** Data directory (created if missing); ignored with `memory`. */
  readonly dataDir: string;
  /** Keep nothing on disk. */
  readonly memory: boolean;
  readonly apiPort: number;
  readonly host: string;
  readonly adminToken?: string;
  readonly logger: Logger;
  /** Ports given to channels created without one. */
  readonly portRange?: readonly [number, number];
  /** Port of the Teltonika channel created on first start (0 = pick any free port). */
  readonly defaultChannelPort?: number;
  /** The port was asked for explicitly (`--channel-port`): move an existing default channel to it. */
  readonly moveDefaultChannel?: boolean;
  /** Create the default channel when none exists. */
  readonly defaultChannel?: boolean;
  /** How often listeners re-read the channel list (ms). */
  readonly channelSyncMs?: number;
  /** How often the calculators' backfill and tick run (ms; default 10 s). */
  readonly calcTickMs?: number;
  /** How often the calculators' states and intervals held in memory are stored (ms; default 30 minutes: it bounds what a restart re-reads; adapters/local/write-behind-calcs.ts). */
  readonly calcFlushMs?: number;
  readonly flushMs?: number;
  /** How often listeners look for queued commands (ms). */
  readonly commandPollMs?: number;
  /**
   * Everything in this process: dynalite, the listener, ingest, the API (tests, and `hub start
   * --single-process`). Default: dynalite and the listener run in child processes (see
   * startLocalHub), so that acks never wait for ingest, dynalite or the API.
   */
  readonly singleProcess?: boolean;
  /**
   * Listener processes (default 1). With `singleProcess`, 1 serves in this process and more run a
   * node:cluster of workers that send their batches to this process's journal.
   */
  readonly listenerWorkers?: number;
  /**
   * Nice value this process (ingest, streams, API) and the dynalite child take once the listener
   * processes are started, so that on a busy machine acks get the CPU first (`hub start` uses
   * adapters/local/priority.ts BACKGROUND_NICE); absent or 0: priorities stay. Ignored with
   * `singleProcess`.
   */
  readonly backgroundNice?: number;
  /** Log level of listener cluster workers (default warn). */
  readonly listenerLogLevel?: LogLevel;
  /** Bytes a device connection may read per second (default 256 KiB). */
  readonly readBudget?: number;
  /** Test hook: wraps the queue the listener sends frames to (e.g. to inject failures). */
  readonly wrapQueue?: (queue: FrameQueue) => FrameQueue;
  /** The built web console to serve at `/` (none when absent). */
  readonly consoleDir?: string;
  /** The package version, shown in the OpenAPI document. */
  readonly version?: string;
  /** Map tiles for the console (`none`: a grid); undefined keeps the console's default (OpenStreetMap). */
  readonly tileUrl?: string;
  /** Ingest attempts before a queue record is dead-lettered (default 20). */
  readonly ingestMaxReceives?: number;
  /** Fault injection for reliability tests: wraps the ingest handler. */
  readonly faults?: { readonly ingest?: (handler: IngestHandler) => IngestHandler; readonly dynamo?: (client: DynamoDBClient) => void };
  /** Longest wait between retries of a failing stream (s). */
  readonly streamBackoffCapS?: number;
  /** How often failing streams are retried (ms). */
  readonly streamSweepMs?: number;
  /**
   * Whole days device and channel history stays in dynalite before the archiver (hourly) copies it
   * to files under the data directory's `archive/`, as the stack does with S3; 0 turns it off.
   * @default 2
   */
  readonly coldHistoryAfterDays?: number;
}

export interface LocalHub {
  readonly apiUrl: string;
  readonly adminToken: string;
  /** True when the token was generated by this start (print it). */
  readonly tokenGenerated: boolean;
  readonly services: HubServices;
  /** The channels served (in single-process mode, the ChannelListeners themselves). */
  readonly listeners: ListenerView;
  /** The listener: in this process or a cluster (stats, nudge, drain, worker pids). */
  readonly listener: LocalListener;
  readonly queue: JournalQueue;
  /** Single-process mode with one listener only (undefined with listener processes). */
  readonly batcher?: FrameBatcher;
  /** Single-process mode with one listener only (undefined with listener processes). */
  readonly dispatcher?: CommandDispatcher;
  readonly doc: DynamoDBDocumentClient;
  readonly dataDir?: string;
  /** What start-up changed or could not do, for the start banner (e.g. the default channel moved). */
  readonly notices: readonly string[];
  /** Re-reads channels and starts/stops their servers now. */
  syncChannels(): Promise<void>;
  /** Graceful stop: stop accepting, flush acked frames, close sockets, stop ingest. */
  stop(): Promise<void>;
}

/** The SQS-event ingest handler as local mode calls it. */
export type IngestHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export const LOCAL_TABLES: TableNames = { registry: 'hub-registry', messages: 'hub-messages' };
/** How often local mode archives old history (the stack does it nightly). */
const ARCHIVE_EVERY_MS = 3_600_000;

/**
 * The whole hub as one process tree: this process runs the journal queue's consumer (ingest), the
 * streams and the API; dynalite runs in a child process, and the listener in one or more cluster
 * workers that each append their frames to their own lane of the journal (fsynced before the ack)
 * and report them to this process. Acks thus depend on the listener process alone, not on ingest,
 * dynalite or garbage collection here. With `singleProcess` everything runs in this process.
 * Each resource registers its close as it opens (core/teardown.ts): `stop()` and a failed start
 * close the same things, in reverse order; the children exit with this process.
 */
export async function startLocalHub(opts: LocalHubOptions): Promise<LocalHub> {
  const t = new Teardown();
  try {
    return await openLocalHub(opts, t);
  } catch (err) {
    await t.close().catch((closeErr) => opts.logger.error('start-up failed and so did closing what was open', { error: String(closeErr) }));
    throw err;
  }
}

async function openLocalHub(opts: LocalHubOptions, t: Teardown): Promise<LocalHub> {
  const dir = openDataDir(opts, t);
  const { token: adminToken, generated } = resolveAdminToken(opts, dir);
  const dynamoPath = opts.memory ? undefined : join(dir, 'dynamodb');
  const dynamo = t.add(
    'dynalite',
    opts.singleProcess ? await startDynalite(dynamoPath, LOCAL_TABLES) : await startDynaliteProcess(dynamoPath, LOCAL_TABLES, opts.backgroundNice),
    (d) => d.close(),
  );
  const doc = t.add('DynamoDB client', createDocumentClient({ endpoint: dynamo.endpoint }, {}, opts.faults?.dynamo), (d) => d.destroy());
  const late: { queue?: JournalQueue; listener?: LocalListener } = {};
  const wired = await wireServices(opts, dir, doc, adminToken, late, t);
  const hub = wired.services;
  const queue = t.add('journal queue', await openQueue(opts, dir, hub), (q) => q.close());
  late.queue = queue;
  const notices = await ensureDefaultChannel(opts, hub);
  const listener = t.add('listener', await startListener(opts, queue, wired, dynamo.endpoint), (l) => l.drain());
  late.listener = listener;
  // after the listener workers are forked (they would inherit it); a replaced worker does inherit it
  if (opts.backgroundNice && !opts.singleProcess) lowerOwnPriority(opts.backgroundNice);
  const apiHandler = makeApiHandler(async () => ({ router: hub.router }));
  const consoleFiles = opts.consoleDir ? staticHandler(opts.consoleDir, consoleConfig(opts.tileUrl)) : () => false;
  const api = await startApiServer(apiHandler, opts.apiPort, opts.host, (req, res) => wired.live.handle(req, res) || consoleFiles(req, res));
  t.add(
    'API server',
    api.server,
    (server) =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  // upgraded sockets are no longer the HTTP server's: closed first (teardown runs in reverse)
  wired.sockets.attach(api.server);
  t.add('live sockets', wired.sockets, (s) => s.close());
  return {
    apiUrl: `http://${opts.host}:${api.port}`,
    adminToken,
    tokenGenerated: generated,
    services: hub,
    listeners: listener.service?.listeners ?? listener,
    listener,
    queue,
    batcher: listener.service?.batcher,
    dispatcher: listener.service?.dispatcher,
    doc,
    dataDir: opts.memory ? undefined : dir,
    notices,
    syncChannels: () => listener.syncChannels(),
    stop: () => t.close(),
  };
}

/** The data directory, locked for this process (or a temporary one with `memory`, removed at stop). */
function openDataDir(opts: LocalHubOptions, t: Teardown): string {
  const dir = opts.memory ? mkdtempSync(join(tmpdir(), 'hub-')) : resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  if (opts.memory) t.defer('temporary data directory', () => rmSync(dir, { recursive: true, force: true }));
  else t.defer('data directory lock', lockDataDir(dir));
  return dir;
}

interface Wired {
  readonly services: HubServices;
  readonly ports: HubPorts;
  /** Server-Sent Events (`GET /gw/devices/{sel}/messages/live`), kept for integrators that use them. */
  readonly live: LiveFeed;
  /** Live push over WebSocket at `/live` (the protocol of the AWS WebSocket API). */
  readonly sockets: LiveSocketServer;
}

/** The domain services over the local adapters: the in-process bus and stream runtime, the live feed, dead letters. */
async function wireServices(
  opts: LocalHubOptions,
  dir: string,
  doc: DynamoDBDocumentClient,
  adminToken: string,
  late: { queue?: JournalQueue; listener?: LocalListener },
  t: Teardown,
): Promise<Wired> {
  const { logger } = opts;
  let services: HubServices | undefined;
  const wiredHub = () => {
    if (!services) throw new Error('the live feed was used before the hub was wired');
    return services;
  };
  const live = new LiveFeed(wiredHub);
  const sockets = new LiveSocketServer(wiredHub, logger);
  const bus = t.add('local bus', new LocalBus(logger), (b) => b.close());
  const deadLetters = new LocalDeadLetters(join(dir, 'queue'), (bodies) => {
    if (!late.queue) throw new Error('dead letters were replayed before the queue opened');
    return late.queue.sendBodies(bodies);
  });
  const coldAfter = opts.coldHistoryAfterDays ?? 2;
  const archive = coldAfter > 0 ? new FilePackArchive(join(dir, 'archive')) : undefined;
  const stored = dynamoPorts(doc, LOCAL_TABLES, logger, { bus, deadLetters, archive });
  // closed after ingest, the tick and the backfill (registered before them), before the store
  const calcs = t.add('calculator states', new WriteBehindCalcs(stored.calcs, { flushMs: opts.calcFlushMs, logger }), (c) => c.close());
  const ports = { ...stored, calcs };
  let joinersSync: (() => Promise<void>) | undefined;
  let calcTimer: CalcTimer | undefined;
  services = createHub(ports, {
    publicHost: opts.host,
    portRange: opts.portRange ?? [5027, 5046],
    adminToken,
    onRegistryChange: () => {
      services?.ingest.invalidate();
      services?.calcSync.invalidate();
      void joinersSync?.();
    },
    onCommandQueued: () => late.listener?.nudge(),
    onStored: async (batch) => {
      await live.publish(batch);
      await sockets.publish(batch);
    },
    onDeviceEvents: sockets.publishEvents,
    onStreamReplay: (id) => bus.kick(id, true),
    onCalcsUnsynced: () => calcTimer?.kick(),
    portAvailable: (port, transport) => canListen(opts.host, port, transport),
    version: opts.version,
    coldHistoryAfterDays: archive ? coldAfter : undefined,
  });
  const archiver = services.archiver;
  if (archiver) {
    const timer = setInterval(() => void archiver.run().catch((err) => logger.error('archive run failed', { error: String(err) })), ARCHIVE_EVERY_MS);
    timer.unref();
    t.defer('archiver', () => clearInterval(timer));
  }
  const streams = t.add(
    'stream runtime',
    streamRuntime(services, { logger, owner: 'local', backoffCapS: opts.streamBackoffCapS ?? 5, drainBudgetS: 30 }),
    (s) => s.close(),
  );
  bus.attach(streams.delivery, opts.streamSweepMs ?? 1000);
  const hub = services;
  calcTimer = t.add('calculator timer', new CalcTimer(() => hub.calcSync.run(), opts.calcTickMs ?? 10_000, logger), (c) => c.close());
  joinersSync = () => streams.joiners.sync();
  await joinersSync();
  return { services, ports, live, sockets };
}

/** The durable queue in front of ingest: the same handler the Lambda runs, called with SQS-shaped events. */
async function openQueue(opts: LocalHubOptions, dir: string, hub: HubServices): Promise<JournalQueue> {
  const realIngest = makeIngestHandler(async () => hub.ingest);
  const ingestHandler = opts.faults?.ingest ? opts.faults.ingest(realIngest) : realIngest;
  // 20 attempts with backoff up to 10 s ride out about two and a half minutes of store outage before a record is dead-lettered
  const queue = new JournalQueue({
    dir: join(dir, 'queue'),
    logger: opts.logger,
    handler: (event) => ingestHandler(event, localContext('hub-ingest')),
    unsafeNoSync: opts.memory,
    maxReceives: opts.ingestMaxReceives ?? 20,
  });
  await queue.open();
  queue.start();
  return queue;
}

/** The channel listener (listener/service.ts): cluster workers writing their journal lanes, or (single process) in this process. */
function startListener(opts: LocalHubOptions, queue: JournalQueue, wired: Wired, dynamoEndpoint: string): Promise<LocalListener> {
  return startLocalListener({
    host: opts.host,
    logger: opts.logger,
    queue: opts.wrapQueue ? opts.wrapQueue(queue) : queue,
    ports: wired.ports,
    workers: opts.listenerWorkers,
    lanes: opts.singleProcess ? undefined : (index) => queue.lane(`listener-${index}`),
    unsafeNoSync: opts.memory,
    dynamoEndpoint,
    tables: LOCAL_TABLES,
    flushMs: opts.flushMs,
    commandPollMs: opts.commandPollMs,
    channelSyncMs: opts.channelSyncMs,
    readBudget: opts.readBudget,
    logLevel: opts.listenerLogLevel,
  });
}

/**
 * A new data directory gets a Teltonika channel. An explicit `--channel-port` on a later start
 * moves that default channel (the hub's first channel named "teltonika") instead of being
 * ignored; what happened is returned for the start banner.
 */
async function ensureDefaultChannel(opts: LocalHubOptions, hub: HubServices): Promise<string[]> {
  if (opts.defaultChannel === false) return [];
  const existing = await hub.ports.channels.list();
  const port = opts.defaultChannelPort ?? 5027;
  if (existing.length === 0) {
    const configuration = port === 0 ? { port: await freePort(opts.host) } : { port };
    const [created] = await hub.channels.create([{ name: 'teltonika', protocol_name: 'teltonika', configuration }]);
    opts.logger.info('created the default channel', { channel_id: created.id, protocol: 'teltonika', port: created.configuration.port });
    return [];
  }
  if (!opts.moveDefaultChannel || port === 0) return [];
  const main = existing.filter((c) => c.name === 'teltonika' && c.protocol_name === 'teltonika').sort((a, b) => a.id - b.id)[0];
  if (!main) return [`--channel-port ${port}: this data directory has no default "teltonika" channel to move; the option applies to its first start`];
  if (main.configuration.port === port) return [];
  try {
    await hub.channels.update(String(main.id), { configuration: { port } }, SYSTEM_ACCESS);
    return [`channel ${main.id} moved from port ${main.configuration.port} to ${port} (--channel-port)`];
  } catch (err) {
    return [`--channel-port ${port}: channel ${main.id} stays on ${main.configuration.port}: ${err instanceof Error ? err.message : String(err)}`];
  }
}

/** The console's deployment settings (`config.json`): live push on this server's `/live`, and the map tiles when the hub was started with a choice. */
function consoleConfig(tileUrl: string | undefined): Record<string, string> {
  const live = { liveUrl: LIVE_PATH };
  if (tileUrl === undefined) return live;
  return tileUrl === 'none' || tileUrl === '' ? { ...live, tilesUrl: '' } : { ...live, tilesUrl: tileUrl };
}

function resolveAdminToken(opts: LocalHubOptions, dir: string): { token: string; generated: boolean } {
  if (opts.adminToken) return { token: opts.adminToken, generated: false };
  const file = join(dir, 'admin-token');
  if (!opts.memory && existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false };
  const token = randomBytes(24).toString('base64url');
  if (!opts.memory) writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}

async function freePort(host: string): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}
