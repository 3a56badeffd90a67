/**
 * The channel listener as a service (Fargate task): serves every enabled channel of the registry
 * on its port, hands frames to SQS in batches, acks devices once SQS accepted their frames, and
 * drains on SIGTERM. Configuration from the environment (set by the CDK stack).
 */
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient, tableNamesFromEnv } from '../adapters/dynamodb/client.js';
import { dynamoPorts } from '../adapters/dynamodb/ports.js';
import { SqsFrameQueue } from '../adapters/aws/sqs-queue.js';
import { jsonLogger } from '../core/logger.js';
import { DEFAULT_BATCHER_OPTIONS, FrameBatcher } from './batcher.js';
import { ChannelListeners } from './channel-listeners.js';
import { CommandDispatcher } from './command-dispatcher.js';
import { ConnectionPublisher } from './connection-publisher.js';
import { SessionLog } from './session-log.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const env = process.env;
  const logger = jsonLogger((env.LOG_LEVEL as 'info') ?? 'info', { service: 'hub-listener', task: hostname() });
  const queueUrl = env.HUB_INGEST_QUEUE_URL;
  if (!queueUrl) throw new Error('HUB_INGEST_QUEUE_URL is not set');
  const doc = createDocumentClient({ region: env.AWS_REGION, endpoint: env.HUB_DYNAMODB_ENDPOINT });
  const ports = dynamoPorts(doc, tableNamesFromEnv(env), logger);
  const channels = ports.channels;
  const queue = new SqsFrameQueue(new SQSClient({ region: env.AWS_REGION, endpoint: env.HUB_SQS_ENDPOINT }), queueUrl);
  const batcher = new FrameBatcher(queue, logger, { ...DEFAULT_BATCHER_OPTIONS, flushMs: Number(env.HUB_FLUSH_MS ?? DEFAULT_BATCHER_OPTIONS.flushMs) });
  const listenerId = hostname().slice(0, 32);
  const sessionLog = new SessionLog(ports.devices, ports.logs, ports.clock, logger);
  let dispatcher: CommandDispatcher | undefined;
  let publisher: ConnectionPublisher | undefined;
  const listeners = new ChannelListeners({
    host: env.HUB_LISTEN_HOST ?? '0.0.0.0',
    listenerId,
    logger,
    batcher,
    onIdent: (s, ctx) => {
      sessionLog.connected(s, ctx.channel.id);
      void dispatcher?.onIdent(s.state.ident!);
    },
    onClose: (s, ctx) => sessionLog.disconnected(s, ctx.channel.id),
  });
  dispatcher = new CommandDispatcher({ commands: ports.commands, listeners, logger, clock: ports.clock, pollMs: Number(env.HUB_COMMAND_POLL_MS ?? 1000) });
  dispatcher.start();
  publisher = new ConnectionPublisher(listenerId, listeners, ports.connections, ports.clock, logger, Number(env.HUB_CONNECTIONS_SNAPSHOT_MS ?? 30000));
  publisher.start();
  const sync = async () => listeners.sync(await channels.list());
  await sync();
  const timer = setInterval(() => sync().catch((err) => logger.error('channel sync failed', { error: String(err) })), Number(env.HUB_CHANNEL_SYNC_MS ?? 2000));

  let draining = false;
  const health = createServer((req, res) => {
    const ok = !draining;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok, connections: listeners.stats.connections, channels: listeners.channels.length, pending: batcher.pending }));
  });
  health.listen(Number(env.HUB_HEALTH_PORT ?? 8081), env.HUB_LISTEN_HOST ?? '0.0.0.0');

  const stop = async (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info('draining', { signal, connections: listeners.stats.connections });
    clearInterval(timer);
    await dispatcher?.stop();
    await publisher?.stop();
    await listeners.stopAccepting();
    await batcher.drain(20_000);
    await listeners.closeAll();
    await publisher?.publishNow();
    health.close();
    logger.info('drained', { frames: batcher.stats.frames });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`listener failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
