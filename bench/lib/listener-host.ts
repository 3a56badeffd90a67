/**
 * The local hub's listener and durable queue, without ingest, for the listener load test:
 * dynalite (in memory) holds the registry with one Teltonika channel; the listener runs as in
 * `hub start` (in this process, or a node:cluster of workers sending their batches here); every
 * batch is appended to the journal with fsync before any device is acked. Ingest stays off so
 * that the figures are the listener's (on AWS ingest runs in Lambda, not in the task); the journal
 * keeps the frames.
 *
 *   node --import tsx bench/lib/listener-host.ts --port P [--workers N] [--dir D] [--flush-ms 10]
 *        [--worker-entry bundle.js] [--metrics-ms MS]
 *
 * Prints one JSON line `{"ready":true,"port","pids":[primary, ...workers]}` once serving, and
 * `{"stopped":true,"frames":<frames made durable>}` after SIGTERM (graceful drain).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDocumentClient } from '../../adapters/dynamodb/client.js';
import { dynamoPorts } from '../../adapters/dynamodb/ports.js';
import { startDynalite } from '../../adapters/local/dynalite.js';
import { JournalQueue } from '../../adapters/local/journal-queue.js';
import type { QueuedFrame } from '../../core/envelope.js';
import { textLogger } from '../../core/logger.js';
import type { BodyQueue } from '../../listener/ipc-queue.js';
import { startLocalListener } from '../../listener/local-listener.js';

const TABLES = { registry: 'hub-registry', messages: 'hub-messages' };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      workers: { type: 'string', default: '1' },
      dir: { type: 'string' },
      'flush-ms': { type: 'string', default: '10' },
      'metrics-ms': { type: 'string' },
      'worker-entry': { type: 'string' },
    },
  });
  const port = Number(values.port);
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'listener-bench-'));
  const logger = textLogger('warn');
  const dynamo = await startDynalite(undefined, TABLES);
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  const ports = dynamoPorts(doc, TABLES, logger);
  await ports.channels.create({
    id: 1,
    name: 'bench',
    protocol_id: 1,
    protocol_name: 'teltonika',
    uri: `127.0.0.1:${port}`,
    configuration: { port, transport: 'tcp', crc: 'strict', max_frame_size: 65536 },
    messages_ttl: 86400,
    enabled: true,
  });
  const journal = new JournalQueue({ dir: join(dir, 'queue'), logger, handler: async () => undefined });
  await journal.open();
  let frames = 0;
  // counts what became durable; cluster workers hand over packed bodies with their frame count
  const counting: BodyQueue = {
    async send(batch: readonly QueuedFrame[]) {
      await journal.send(batch);
      frames += batch.length;
    },
    async sendBodies(bodies: readonly string[], n = 0) {
      await journal.sendBodies(bodies);
      frames += n;
    },
  };
  const listener = await startLocalListener({
    host: '0.0.0.0',
    logger,
    queue: counting,
    ports,
    workers: Number(values.workers),
    dynamoEndpoint: dynamo.endpoint,
    tables: TABLES,
    flushMs: Number(values['flush-ms']),
    commandPollMs: 1000,
    channelSyncMs: 2000,
    snapshotMs: 30_000,
    metricsPeriodMs: values['metrics-ms'] ? Number(values['metrics-ms']) : undefined,
    workerEntry: values['worker-entry'],
  });
  process.stdout.write(`${JSON.stringify({ ready: true, port, pids: [process.pid, ...listener.pids()] })}\n`);
  if (process.env.LISTENER_HOST_DEBUG) {
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    setInterval(() => {
      process.stderr.write(
        `primary loop delay p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms max ${(h.max / 1e6).toFixed(1)} ms frames ${frames} journal depth ${journal.depth}\n`,
      );
      h.reset();
    }, 2000).unref();
  }
  const stop = async () => {
    await listener.drain();
    await journal.close();
    doc.destroy();
    await dynamo.close();
    if (!values.dir) rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`${JSON.stringify({ stopped: true, frames })}\n`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`listener host failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
