/**
 * The channel listener as a service (Fargate task), and the entry of every listener cluster worker.
 * Serves every enabled channel of the registry on its port, hands frames to the queue in batches,
 * acks devices once the queue accepted their frames, and drains on SIGTERM. Configuration from the
 * environment (set by the CDK stack, or by the cluster primary):
 *
 *   HUB_INGEST_QUEUE_URL         SQS queue (HUB_QUEUE=sqs, the default)
 *   HUB_QUEUE                    sqs | ipc (a cluster worker whose primary holds the queue)
 *   HUB_LISTENER_WORKERS         worker processes (default 1: this process serves); one per vCPU
 *   HUB_LISTEN_HOST              default 0.0.0.0
 *   HUB_FLUSH_MS, HUB_COMMAND_POLL_MS, HUB_CHANNEL_SYNC_MS, HUB_CONNECTIONS_SNAPSHOT_MS
 *   HUB_READ_BUDGET              bytes/s per connection
 *   HUB_REGISTRY_RPS             registry requests/s for connect logs (default 200)
 *   HUB_METRICS                  emf (default on Fargate) | off;  HUB_METRICS_PERIOD_MS (60000)
 *   HUB_HEALTH_PORT              default 8081 (primary or single process only)
 *   HUB_DYNAMODB_ENDPOINT, HUB_SQS_ENDPOINT, HUB_TABLE_*, LOG_LEVEL, HUB_LOG_FORMAT (json | text)
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsFrameQueue } from '../adapters/aws/sqs-queue.js';
import { AWS_CLIENT_DEFAULTS } from '../adapters/aws/timeouts.js';
import { createDocumentClient, tableNamesFromEnv } from '../adapters/dynamodb/client.js';
import { dynamoPorts } from '../adapters/dynamodb/ports.js';
import { jsonLogger, type Logger, type LogLevel, textLogger } from '../core/logger.js';
import type { FrameQueue } from '../core/ports.js';
import { startListenerCluster } from './cluster.js';
import { IpcFrameQueue, isHubMessage, type ToPrimary, type ToWorker } from './ipc-queue.js';
import { ListenerMetrics } from './metrics.js';
import { type ListenerHandle, type ListenerService, startListenerService } from './service.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const env = process.env;
const num = (name: string, fallback: number): number => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : fallback);

function makeLogger(): Logger {
  const level = (env.LOG_LEVEL ?? 'info') as LogLevel;
  const base = { service: 'hub-listener', task: hostname(), ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}) };
  return env.HUB_LOG_FORMAT === 'text' ? textLogger(level) : jsonLogger(level, base);
}

/** One listener process: the whole service with its own batcher. */
async function serve(logger: Logger): Promise<ListenerService> {
  const ipc = env.HUB_QUEUE === 'ipc';
  let queue: FrameQueue;
  if (ipc) queue = new IpcFrameQueue();
  else {
    const queueUrl = env.HUB_INGEST_QUEUE_URL;
    if (!queueUrl) throw new Error('HUB_INGEST_QUEUE_URL is not set');
    queue = new SqsFrameQueue(new SQSClient({ region: env.AWS_REGION, endpoint: env.HUB_SQS_ENDPOINT, ...AWS_CLIENT_DEFAULTS }), queueUrl);
  }
  const doc = createDocumentClient({ region: env.AWS_REGION, endpoint: env.HUB_DYNAMODB_ENDPOINT });
  const ports = dynamoPorts(doc, tableNamesFromEnv(env), logger);
  const prefix = env.HUB_LISTENER_ID ?? hostname().slice(0, 24);
  const listenerId = cluster.isWorker ? `${prefix}-w${cluster.worker?.id ?? 0}` : prefix;
  // one EMF line per task: in a cluster the primary writes it (the sum of its workers)
  const metricsOn = !cluster.isWorker && (env.HUB_METRICS ?? (ipc ? 'off' : 'emf')) === 'emf';
  return startListenerService({
    host: env.HUB_LISTEN_HOST ?? '0.0.0.0',
    listenerId,
    logger,
    queue,
    ports,
    batcher: { flushMs: num('HUB_FLUSH_MS', 10) },
    channelSyncMs: num('HUB_CHANNEL_SYNC_MS', 2000),
    commandPollMs: num('HUB_COMMAND_POLL_MS', 1000),
    snapshotMs: num('HUB_CONNECTIONS_SNAPSHOT_MS', 30_000),
    readBudget: env.HUB_READ_BUDGET ? Number(env.HUB_READ_BUDGET) : undefined,
    registryRequestsPerS: env.HUB_REGISTRY_RPS ? Number(env.HUB_REGISTRY_RPS) : undefined,
    metrics: metricsOn ? { periodMs: num('HUB_METRICS_PERIOD_MS', 60_000) } : undefined,
  });
}

/** A cluster worker: serves, reports its state to the primary, drains when told or signalled. */
async function runWorker(logger: Logger): Promise<void> {
  const service = await serve(logger);
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
  const workers = num('HUB_LISTENER_WORKERS', 1);
  let handle: ListenerHandle;
  if (workers > 1) {
    const workerEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) workerEnv[k] = v;
    const clustered = await startListenerCluster({ workers, logger, env: { ...workerEnv, HUB_QUEUE: 'sqs' } });
    handle = clustered;
    if ((env.HUB_METRICS ?? 'emf') === 'emf') {
      const metrics = new ListenerMetrics(() => clustered.metricTotals(), { periodMs: num('HUB_METRICS_PERIOD_MS', 60_000) });
      metrics.start();
    }
  } else handle = await serve(logger);
  let draining = false;
  const host = env.HUB_LISTEN_HOST ?? '0.0.0.0';
  const health = createServer((_req, res) => {
    const ok = !draining;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok, workers, ...handle.stats() }));
  });
  health.listen(num('HUB_HEALTH_PORT', 8081), host);
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
