/**
 * The channel listener as a service (Fargate task), and the entry of every listener cluster worker.
 * Serves every enabled channel of the registry on its port, hands frames to the queue in batches,
 * acks devices once the queue accepted their frames, and drains on SIGTERM. Configuration from the
 * environment (set by the CDK stack, or by the cluster primary): the variables and their defaults
 * are declared once in core/env.ts (`ENV`, `hubEnv()`).
 */
import cluster from 'node:cluster';
import { createServer, type RequestListener, type Server } from 'node:http';
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
import { Teardown } from '../core/teardown.js';
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

/**
 * Runs `open`, whose resources register their closes with a Teardown; a failed start closes what
 * was open (the journal lane's lock, the listener's servers) before the error is rethrown.
 */
async function opening(logger: Logger, open: (t: Teardown) => Promise<void>): Promise<void> {
  const t = new Teardown();
  try {
    await open(t);
  } catch (err) {
    await t.close().catch((closeErr) => logger.error('listener start-up failed and so did closing what was open', { error: String(closeErr) }));
    throw err;
  }
}

/** A cluster worker: serves, reports its state to the primary, drains when told or signalled. */
async function runWorker(logger: Logger, t: Teardown): Promise<void> {
  const lane = t.add('journal lane', await openQueue(), (l) => l.close());
  const service = t.add('listener service', await serve(logger, lane.queue), (s) => s.drain());
  const report = () => {
    const m: ToPrimary = { hub: 'state', channels: service.channels, stats: { ...service.metricTotals() } };
    if (process.connected) process.send?.(m);
  };
  report();
  const timer = setInterval(report, 1000);
  timer.unref();
  t.defer('state reports', () => clearInterval(timer));
  const drain = () =>
    t.close().then(
      () => process.exit(0),
      (err) => {
        logger.error('listener worker drain failed', { error: String(err) });
        process.exit(1);
      },
    );
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
async function runTask(logger: Logger, t: Teardown): Promise<void> {
  const workers = env[ENV.listenerWorkers];
  let draining = false;
  let health: Server | undefined;
  // closed after the listener's drain (registered before it): it answers 503 while the listener drains
  t.defer('health check', () => health?.close());
  const handle = await openHandle(logger, workers, t);
  health = await listenHealth(env[ENV.healthPort], env[ENV.listenHost], (_req, res) => {
    const ok = !draining;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok, workers, ...handle.stats() }));
  });
  const stop = async (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info('draining', { signal, connections: handle.stats().connections });
    await t.close();
    logger.info('drained', { signal });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** The listener of a task: this process alone (with its queue), or a cluster of workers and the EMF line for all of them. */
async function openHandle(logger: Logger, workers: number, t: Teardown): Promise<ListenerHandle> {
  if (workers <= 1) {
    const queue = t.add('queue', await openQueue(), (q) => q.close());
    return t.add('listener service', await serve(logger, queue.queue), (s) => s.drain());
  }
  const workerEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) workerEnv[k] = v;
  const metricsOn = (env[ENV.metrics] ?? 'emf') === 'emf';
  let metrics: ListenerMetrics | undefined;
  // stopped after the workers drained (registered before them): the drain's periods are still measured
  if (metricsOn) t.defer('metrics', () => metrics?.stop());
  const clustered = t.add('listener cluster', await startListenerCluster({ workers, logger, env: { ...workerEnv, [ENV.queue]: 'sqs' } }), (c) => c.drain());
  if (metricsOn) {
    metrics = new ListenerMetrics(() => clustered.metricTotals(), { periodMs: env[ENV.metricsPeriodMs] });
    metrics.start();
  }
  return clustered;
}

/** The health check server, listening (a port in use fails the start). */
function listenHealth(port: number, host: string, handler: RequestListener): Promise<Server> {
  const server = createServer(handler);
  return new Promise<Server>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

const logger = makeLogger();
opening(logger, (t) => (cluster.isWorker ? runWorker(logger, t) : runTask(logger, t))).catch((err) => {
  process.stderr.write(`listener failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
