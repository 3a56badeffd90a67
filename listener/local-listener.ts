import type { TableNames } from '../adapters/dynamodb/client.js';
import type { LaneHandle } from '../adapters/local/journal-queue.js';
import { ENV } from '../core/env.js';
import type { Logger, LogLevel } from '../core/logger.js';
import type { FrameQueue } from '../core/ports.js';
import { startListenerCluster } from './cluster.js';
import { ListenerMetrics } from './metrics.js';
import { type ListenerHandle, type ListenerPorts, type ListenerService, startListenerService } from './service.js';

/**
 * Registry requests per second for connect logs, all listener processes together. dynalite serves
 * them in the hub's process (about 1 ms of CPU each), so a reconnect storm's device logs are written
 * over the following minutes instead of taking the CPU that acks need.
 */
const LOCAL_REGISTRY_RPS = 100;

export interface LocalListenerOptions {
  readonly host: string;
  readonly logger: Logger;
  /** The hub's durable queue (the journal), possibly wrapped by tests. */
  readonly queue: FrameQueue;
  readonly ports: ListenerPorts;
  /** 1 (default): the listener runs in this process; more: a node:cluster of that many workers. */
  readonly workers?: number;
  /**
   * Listener processes write their own lanes of the journal (`queue` only takes what this process
   * appends itself): the listener always runs as `workers` (default 1) cluster workers, and acks
   * never wait for this process.
   */
  readonly lanes?: (index: number) => LaneHandle;
  /** With `lanes`: skip fsync in the workers (a `--memory` hub). */
  readonly unsafeNoSync?: boolean;
  /** dynalite, for the workers' own registry clients. */
  readonly dynamoEndpoint: string;
  readonly tables: TableNames;
  readonly flushMs?: number;
  readonly commandPollMs?: number;
  readonly channelSyncMs?: number;
  readonly snapshotMs?: number;
  readonly readBudget?: number;
  /** EMF metrics lines on stdout every this many ms (off when absent). */
  readonly metricsPeriodMs?: number;
  /** The cluster workers' entry module (default listener/main; a bundle for benchmarks). */
  readonly workerEntry?: string;
  /** Log level of cluster workers (they log as text lines on stderr). */
  readonly logLevel?: LogLevel;
}

export interface LocalListener extends ListenerHandle {
  /** The in-process service (single-process mode only). */
  readonly service?: ListenerService;
  /** Process ids of the cluster workers (empty in single-process mode). */
  pids(): number[];
}

/**
 * The listener of the one-process hub: in this process (default), or as a cluster of workers that
 * reach the registry through dynalite's endpoint and send their batches to this process, which
 * appends them to the journal (see listener/cluster.ts).
 */
export async function startLocalListener(o: LocalListenerOptions): Promise<LocalListener> {
  const workers = o.workers ?? 1;
  const timing = { channelSyncMs: o.channelSyncMs ?? 1000, commandPollMs: o.commandPollMs ?? 500, snapshotMs: o.snapshotMs ?? 5000 };
  if (workers <= 1 && !o.lanes) {
    const service = await startListenerService({
      host: o.host,
      listenerId: 'local',
      logger: o.logger,
      queue: o.queue,
      ports: o.ports,
      batcher: o.flushMs === undefined ? undefined : { flushMs: o.flushMs },
      readBudget: o.readBudget,
      registryRequestsPerS: LOCAL_REGISTRY_RPS,
      metrics: o.metricsPeriodMs ? { periodMs: o.metricsPeriodMs } : undefined,
      ...timing,
    });
    return {
      service,
      get channels() {
        return service.channels;
      },
      syncChannels: service.syncChannels,
      nudge: service.nudge,
      stats: service.stats,
      metricTotals: service.metricTotals,
      drain: service.drain,
      pids: () => [],
    };
  }
  const env: Record<string, string> = {
    [ENV.listenHost]: o.host,
    [ENV.listenerId]: 'local',
    [ENV.dynamodbEndpoint]: o.dynamoEndpoint,
    [ENV.tableRegistry]: o.tables.registry,
    [ENV.tableMessages]: o.tables.messages,
    [ENV.flushMs]: String(o.flushMs ?? 10),
    [ENV.commandPollMs]: String(timing.commandPollMs),
    [ENV.channelSyncMs]: String(timing.channelSyncMs),
    [ENV.connectionsSnapshotMs]: String(timing.snapshotMs),
    [ENV.metrics]: 'off', // the primary writes one line for all workers
    [ENV.registryRps]: String(Math.max(10, Math.round(LOCAL_REGISTRY_RPS / workers))),
    [ENV.logFormat]: 'text',
    [ENV.logLevel]: o.logLevel ?? 'warn',
    [ENV.journalFsync]: o.unsafeNoSync ? 'off' : 'on',
    ...(o.readBudget ? { [ENV.readBudget]: String(o.readBudget) } : {}),
  };
  const cluster = await startListenerCluster({
    workers,
    logger: o.logger,
    queue: o.lanes ? undefined : o.queue,
    lanes: o.lanes,
    env,
    workerEntry: o.workerEntry,
  });
  if (!o.metricsPeriodMs) return cluster;
  const metrics = new ListenerMetrics(() => cluster.metricTotals(), { periodMs: o.metricsPeriodMs });
  metrics.start();
  return {
    get channels() {
      return cluster.channels;
    },
    syncChannels: cluster.syncChannels,
    nudge: cluster.nudge,
    stats: cluster.stats,
    metricTotals: cluster.metricTotals,
    pids: cluster.pids,
    async drain(timeoutMs?: number) {
      await cluster.drain(timeoutMs);
      metrics.stop();
      metrics.emit();
    },
  };
}
