import type { HubPorts } from '../core/hub.js';
import type { Logger } from '../core/logger.js';
import type { FrameQueue } from '../core/ports.js';
import type { Channel } from '../core/schemas/channels.js';
import { Teardown } from '../core/teardown.js';
import { type BatcherOptions, DEFAULT_BATCHER_OPTIONS, FrameBatcher } from './batcher.js';
import { ChannelListeners, type ListenerOptions, type ListenerView } from './channel-listeners.js';
import { CommandDispatcher } from './command-dispatcher.js';
import { ConnectionPublisher } from './connection-publisher.js';
import { ListenerMetrics, type MetricsOptions, type MetricTotals } from './metrics.js';
import { type Presence, queuedPresence } from './presence.js';
import { SessionLog } from './session-log.js';

/** The registry ports a listener reads and writes. */
export type ListenerPorts = Pick<HubPorts, 'channels' | 'commands' | 'connections' | 'devices' | 'logs' | 'clock'>;

export interface ListenerServiceOptions {
  /** Address to listen on. */
  readonly host: string;
  /** Unique per listener process (connection ids and snapshots are keyed by it). */
  readonly listenerId: string;
  readonly logger: Logger;
  /** Where frames go (SQS, the local journal, or the cluster primary). */
  readonly queue: FrameQueue;
  readonly ports: ListenerPorts;
  readonly batcher?: Partial<BatcherOptions>;
  /** How often the channel list is re-read (ms). */
  readonly channelSyncMs: number;
  /** How often queued commands and kicks are polled (ms). */
  readonly commandPollMs: number;
  /** How often the connection table is published (ms). */
  readonly snapshotMs: number;
  /** Bytes a connection may read per second. */
  readonly readBudget?: number;
  /** Registry requests per second for device logs of connects (ident lookups, writes); default 200. */
  readonly registryRequestsPerS?: number;
  /** EMF metrics on stdout; off when absent. */
  readonly metrics?: MetricsOptions;
}

export interface ListenerStats extends MetricTotals {
  readonly connections: number;
  readonly channels: number;
  readonly pending: number;
  readonly frames: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly decodeErrors: number;
  readonly ackErrors: number;
  readonly batches: number;
  readonly queueFailures: number;
  readonly commandsDelivered: number;
}

/** A running listener: one process (this) or a cluster of them (listener/cluster.ts). */
export interface ListenerHandle extends ListenerView {
  /** Re-reads the channel list and starts/stops servers now. */
  syncChannels(): Promise<void>;
  /** Looks for queued commands now (a command was just queued). */
  nudge(): void;
  stats(): ListenerStats;
  /** The same totals for a metrics period: the batch-latency maximum restarts after each read. */
  metricTotals(): ListenerStats;
  /** Graceful stop: stop accepting, flush batches (acks go out), close sockets, publish the empty table. */
  drain(timeoutMs?: number): Promise<void>;
}

export interface ListenerService extends ListenerHandle {
  readonly listeners: ChannelListeners;
  readonly batcher: FrameBatcher;
  readonly dispatcher: CommandDispatcher;
  readonly publisher: ConnectionPublisher;
}

/**
 * The channel listener of one process, wired once for every host: the Fargate task, a cluster
 * worker and the local hub. Starts the servers of every enabled channel and keeps them in step
 * with the registry, batches frames into the queue, delivers commands, publishes the connection
 * table and the device logs of connects, and drains on request. Each step of the drain is
 * registered with a Teardown as its resource opens (`openService`): the drain and a failed start
 * close the same things, in the same order.
 */
export async function startListenerService(opts: ListenerServiceOptions): Promise<ListenerService> {
  const parts = wireService(opts);
  const { listeners, batcher, dispatcher, publisher, totals } = parts;
  const t = new Teardown();
  let sync: () => Promise<void>;
  try {
    sync = await openService(opts, parts, t);
  } catch (err) {
    await t.close().catch((closeErr) => opts.logger.error('listener start-up failed and so did closing what was open', { error: String(closeErr) }));
    throw err;
  }
  return {
    listeners,
    batcher,
    dispatcher,
    publisher,
    get channels(): Channel[] {
      return listeners.channels;
    },
    syncChannels: sync,
    nudge: () => dispatcher.nudge(),
    stats: () => totals(false),
    metricTotals: () => totals(true),
    drain(timeoutMs = 20_000) {
      parts.drainTimeoutMs ??= timeoutMs; // the first call's timeout: later calls wait for its drain
      return t.close();
    },
  };
}

/** The service's parts, built and connected: none of them holds a socket or a timer yet. */
interface Parts {
  readonly batcher: FrameBatcher;
  readonly sessionLog: SessionLog;
  readonly listeners: ChannelListeners;
  readonly dispatcher: CommandDispatcher;
  readonly publisher: ConnectionPublisher;
  readonly metrics?: ListenerMetrics;
  readonly totals: (take: boolean) => ListenerStats;
  /** How long the drain waits for the batcher (set by `drain`). */
  drainTimeoutMs?: number;
}

function wireService(opts: ListenerServiceOptions): Parts {
  const { logger, ports } = opts;
  const batcher = new FrameBatcher(opts.queue, logger, { ...DEFAULT_BATCHER_OPTIONS, ...opts.batcher });
  const sessionLog = new SessionLog(ports.devices, ports.logs, ports.clock, logger, opts.registryRequestsPerS);
  const late: Late = {};
  const listeners = new ChannelListeners({
    host: opts.host,
    listenerId: opts.listenerId,
    logger,
    batcher,
    readBudget: opts.readBudget,
    ...sessionHooks(sessionLog, late, queuedPresence(batcher, logger, ports.clock)),
  });
  const dispatcher = new CommandDispatcher({ commands: ports.commands, listeners, logger, clock: ports.clock, pollMs: opts.commandPollMs });
  const publisher = new ConnectionPublisher(opts.listenerId, listeners, ports.connections, ports.clock, logger, opts.snapshotMs);
  late.dispatcher = dispatcher;
  late.publisher = publisher;
  const totals = (take: boolean) => listenerTotals(listeners, batcher, dispatcher, take);
  const metrics = opts.metrics ? new ListenerMetrics(() => totals(true), opts.metrics) : undefined;
  return { batcher, sessionLog, listeners, dispatcher, publisher, metrics, totals };
}

/**
 * Opens the servers and the timers and registers their closes; returns the channel sync. The drain
 * runs the steps in reverse: channel sync timer, dispatcher, publisher, stop accepting and hold,
 * batcher, connections and servers, session log, last report. The listeners' three steps surround
 * the batcher's (frames read before the hold are acked on their still open connections), so they
 * are registered before the servers open, each in its place.
 */
async function openService(opts: ListenerServiceOptions, parts: Parts, t: Teardown): Promise<() => Promise<void>> {
  const { logger } = opts;
  const { batcher, sessionLog, listeners, dispatcher, publisher, metrics } = parts;
  let serving = false;
  // the last report, once connections are closed and logged: the empty table, the last metrics line; none after a failed start
  t.defer('last report', async () => {
    if (!serving) return metrics?.stop();
    await publisher.publishNow();
    metrics?.stop();
    metrics?.emit();
    logger.info('listener drained', { frames: batcher.stats.frames, listener_id: opts.listenerId });
  });
  t.add('session log', sessionLog, (s) => s.flush());
  t.add('channel servers and connections', listeners, (l) => l.closeAll());
  t.add('frame batcher', batcher, (b) => b.drain(parts.drainTimeoutMs));
  t.add('accepting', listeners, async (l) => {
    await l.stopAccepting();
    l.holdAll();
  });
  t.add('connection publisher', publisher, (p) => p.stop()); // also the publishSoon timer a sync may set
  t.add('command dispatcher', dispatcher, (d) => d.stop());
  let lastStatuses = '';
  const sync = async (): Promise<void> => {
    await listeners.sync(await opts.ports.channels.list());
    const statuses = JSON.stringify(listeners.statuses());
    if (statuses !== lastStatuses) publisher.publishSoon(200); // a channel started or failed: show it soon
    lastStatuses = statuses;
  };
  await sync();
  dispatcher.start();
  publisher.start();
  metrics?.start();
  const timer = setInterval(
    () => sync().catch((err) => logger.error('channel sync failed', { error: err instanceof Error ? err.message : String(err) })),
    opts.channelSyncMs,
  );
  timer.unref();
  t.defer('channel sync timer', () => clearInterval(timer));
  serving = true;
  return sync;
}

/** Created after the listeners they serve (they read its sessions). */
interface Late {
  dispatcher?: CommandDispatcher;
  publisher?: ConnectionPublisher;
}

/**
 * What the listeners tell the rest: connects and disconnects go to the device logs and the
 * connection table; a TCP login or a UDP datagram (a UDP device is reachable right after one)
 * lets the dispatcher deliver what waits for the device, a map lookup when nothing does.
 */
function sessionHooks(sessionLog: SessionLog, late: Late, presence: Presence): Pick<ListenerOptions, 'onIdent' | 'onClose' | 'onDatagram' | 'commandFor'> {
  return {
    onIdent: (s, ctx) => {
      sessionLog.connected(s, ctx.channel.id);
      presence.connected(s, ctx);
      if (s.state.transport === 'tcp' && s.state.ident !== undefined) void late.dispatcher?.onIdent(s.state.ident);
      late.publisher?.publishSoon();
    },
    onClose: (s, ctx) => {
      sessionLog.disconnected(s, ctx.channel.id);
      presence.disconnected(s, ctx);
      late.publisher?.publishSoon();
    },
    onDatagram: (s, ctx) => {
      if (s.state.ident !== undefined) void late.dispatcher?.onIdent(s.state.ident, { session: s, ctx });
    },
    commandFor: async (ident, session, ctx) => late.dispatcher?.commandFor(ident, session, ctx),
  };
}

/** Totals; `take` restarts the batch-latency maximum (metrics periods, cluster reports). */
function listenerTotals(listeners: ChannelListeners, batcher: FrameBatcher, dispatcher: CommandDispatcher, take: boolean): ListenerStats {
  const max = batcher.stats.latencyMsMax;
  if (take) batcher.stats.latencyMsMax = 0;
  return {
    connections: listeners.connectionCount,
    channels: listeners.channels.length,
    pending: batcher.pending,
    frames: listeners.counters.frames,
    bytesIn: listeners.counters.bytesIn,
    bytesOut: listeners.counters.bytesOut,
    decodeErrors: listeners.counters.decodeErrors,
    ackErrors: listeners.counters.ackErrors,
    batches: batcher.stats.batches,
    batchLatencyMsTotal: batcher.stats.latencyMsTotal,
    batchLatencyMsMax: max,
    queueFailures: batcher.stats.failures,
    commandsDelivered: dispatcher.stats.delivered,
  };
}
