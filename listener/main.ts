/**
 * The channel listener as a service (Fargate task), and the entry of every listener cluster worker.
 * Serves every enabled channel of the registry on its port, hands frames to the queue in batches,
 * acks devices once the queue accepted their frames, and drains on SIGTERM. Configuration from the
 * environment (set by the CDK stack, or by the cluster primary): the variables and their defaults
 * are declared once in core/env.ts (`ENV`, `hubEnv()`).
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ShardedFrameQueue, SqsFrameQueue } from '../adapters/aws/sqs-queue.js';
import { AWS_CLIENT_DEFAULTS } from '../adapters/aws/timeouts.js';
import { createDocumentClient, tableNamesFromEnv } from '../adapters/dynamodb/client.js';
import { dynamoPorts } from '../adapters/dynamodb/ports.js';
import { JournalWriter } from '../adapters/local/journal-writer.js';
import { ENV, hubEnv } from '../core/env.js';
import { jsonLogger, type Logger, type LogLevel, textLogger } from '../core/logger.js';
import type { FrameQueue } from '../core/ports.js';
import { startListenerCluster } from './cluster.js';
import { IpcFrameQueue, isHubMessage, type ToPrimary, type ToWorker } from './ipc-queue.js';
import { ListenerMetrics } from './metrics.js';
import { type ListenerHandle, type ListenerService, startListenerService } from './service.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const env = hubEnv();

function makeLogger(): Logger {
  const level: LogLevel = env[ENV.logLevel];
  const base = { service: 'hub-listener', task: hostname(), ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}) };
  return env[ENV.logFormat] === 'text' ? textLogger(level) : jsonLogger(level, base);
}

/** Where this process's frames go, and how to close it after the drain. */
interface OpenQueue {
  readonly queue: FrameQueue;
  close(): Promise<void>;
}

/** The queue: SQS, the cluster primary (`ipc`), or this process's lane of a local hub's journal (`journal`). */
async function openQueue(): Promise<OpenQueue> {
  const mode = env[ENV.queue];
  if (mode === 'ipc') return { queue: new IpcFrameQueue(), close: async () => undefined };
  if (mode === 'journal') return openLane();
  const queueUrl = env[ENV.ingestQueueUrl];
  if (!queueUrl) throw new Error(`${ENV.ingestQueueUrl} is not set`);
  const sqs = new SQSClient({ region: process.env.AWS_REGION, endpoint: env[ENV.sqsEndpoint], ...AWS_CLIENT_DEFAULTS });
  const shards = env[ENV.ingestShardQueueUrls] ?? [];
  const queue = shards.length > 1 ? new ShardedFrameQueue(shards.map((url) => new SqsFrameQueue(sqs, url))) : new SqsFrameQueue(sqs, queueUrl);
  return { queue, close: async () => sqs.destroy() };
}

/**
 * A local hub's listener process writes its own lane of the journal: it acks a device once its
 * frames are fsynced, without waiting for the hub's process (busy with ingest), and tells the hub
 * how far the lane is durable so that ingest reads the new records (adapters/local/journal-queue.ts).
 */
async function openLane(): Promise<OpenQueue> {
  const dir = env[ENV.journalDir];
  if (!dir) throw new Error(`${ENV.journalDir} is not set`);
  const report = (segment: number, end: number) => {
    const m: ToPrimary = { hub: 'appended', segment, end };
    if (process.connected) process.send?.(m);
  };
  const writer = new JournalWriter({
    dir,
    fresh: true,
    lock: true,
    unsafeNoSync: env[ENV.journalFsync] === 'off',
    onDurable: (segment, records) => report(segment, records.at(-1)?.end ?? 0),
  });
  await writer.open();
  report(writer.segment, 0);
  return { queue: writer, close: () => writer.close() };
}

/** One listener process: the whole service with its own batcher. */
async function serve(logger: Logger, queue: FrameQueue): Promise<ListenerService> {
  const local = env[ENV.queue] !== 'sqs';
  const region = process.env.AWS_REGION;
  const doc = createDocumentClient({ region, endpoint: env[ENV.dynamodbEndpoint] });
  const ports = dynamoPorts(doc, tableNamesFromEnv(env), logger);
  const prefix = env[ENV.listenerId] ?? hostname().slice(0, 24);
  const listenerId = cluster.isWorker ? `${prefix}-w${cluster.worker?.id ?? 0}` : prefix;
  // one EMF line per task: in a cluster the primary writes it (the sum of its workers)
  const metricsOn = !cluster.isWorker && (env[ENV.metrics] ?? (local ? 'off' : 'emf')) === 'emf';
  return startListenerService({
    host: env[ENV.listenHost],
    listenerId,
    logger,
    queue,
    ports,
    batcher: { flushMs: env[ENV.flushMs] },
    channelSyncMs: env[ENV.channelSyncMs],
    commandPollMs: env[ENV.commandPollMs],
    snapshotMs: env[ENV.connectionsSnapshotMs],
    readBudget: env[ENV.readBudget],
    registryRequestsPerS: env[ENV.registryRps],
    metrics: metricsOn ? { periodMs: env[ENV.metricsPeriodMs] } : undefined,
  });
}

/** A cluster worker: serves, reports its state to the primary, drains when told or signalled. */
async function runWorker(logger: Logger): Promise<void> {
  const lane = await openQueue();
  const service = await serve(logger, lane.queue);
  const report = () => {
    const m: ToPrimary = { hub: 'state', channels: service.channels, stats: { ...service.metricTotals() } };
    if (process.connected) process.send?.(m);
  };
  report();
  const timer = setInterval(report, 1000);
  timer.unref();
  let draining = false;
  const drain = async () => {
    if (draining) return;
    draining = true;
    clearInterval(timer);
    await service.drain();
    await lane.close();
    process.exit(0);
  };
  process.on('message', (m: unknown) => {
    if (!isHubMessage<ToWorker>(m)) return;
    if (m.hub === 'nudge') service.nudge();
    else if (m.hub === 'drain') void drain();
    else if (m.hub === 'sync') {
      void service.syncChannels().finally(() => {
        report();
        const r: ToPrimary = { hub: 'synced', id: m.id };
        if (process.connected) process.send?.(r);
      });
    }
  });
  // Ctrl-C reaches the whole process group; the primary drives the drain, a lone worker drains itself.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void drain());
  process.on('disconnect', () => void drain());
}

/** The process ECS starts: serves alone, or supervises workers; health check and SIGTERM drain. */
async function runTask(logger: Logger): Promise<void> {
  const workers = env[ENV.listenerWorkers];
  let handle: ListenerHandle;
  if (workers > 1) {
    const workerEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) workerEnv[k] = v;
    const clustered = await startListenerCluster({ workers, logger, env: { ...workerEnv, [ENV.queue]: 'sqs' } });
    handle = clustered;
    if ((env[ENV.metrics] ?? 'emf') === 'emf') {
      const metrics = new ListenerMetrics(() => clustered.metricTotals(), { periodMs: env[ENV.metricsPeriodMs] });
      metrics.start();
    }
  } else handle = await serve(logger, (await openQueue()).queue);
  let draining = false;
  const host = env[ENV.listenHost];
  const health = createServer((_req, res) => {
    const ok = !draining;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok, workers, ...handle.stats() }));
  });
  health.listen(env[ENV.healthPort], host);
  const stop = async (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info('draining', { signal, connections: handle.stats().connections });
    await handle.drain();
    health.close();
    logger.info('drained', { signal });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

const logger = makeLogger();
(cluster.isWorker ? runWorker(logger) : runTask(logger)).catch((err) => {
  process.stderr.write(`listener failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
