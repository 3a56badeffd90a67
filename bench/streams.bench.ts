/**
 * Stream delivery (streams issue), local mode: a whole hub in this process (dynalite on disk, the
 * fsynced journal, the same ingest and stream-delivery code the Lambdas run) with one `http` stream
 * subscribed to the channel, and a real HTTP target on loopback.
 *
 * 0. Warm-up: every device sends one record at once (first lookups and telemetry checkpoints).
 * 1. Latency: BENCH_STREAM_DEVICES Teltonika devices over TCP report at BENCH_STREAM_RATE records/s
 *    in total for BENCH_STREAM_SECONDS; each record's timestamp is the ms it was sent, so the target
 *    measures device frame → target latency (p50/p99) and the bus counts EventBridge entries per
 *    1,000 messages (one entry per stream per ingest batch, as the fan-out publishes in AWS).
 * 2. Throughput: the target answers 503 while BENCH_STREAM_BACKLOG records are buffered, then comes
 *    back; the rate at which the backlog reaches it is the delivery throughput (messages/s).
 *
 * Writes bench/results/streams.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBus } from '../adapters/local/local-bus.js';
import type { BusEvent } from '../core/ports.js';
import { avlPacket, handshake, simRecord } from '../protocols/teltonika/device.js';
import { StreamReceiver } from '../test/helpers/stream-receiver.js';
import { table } from './lib/measure.js';
import { sleep } from './lib/proc.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true'; // as `hub start` does: no EMF lines on stdout locally
const DEVICES = Number(process.env.BENCH_STREAM_DEVICES ?? 200);
const RATE = Number(process.env.BENCH_STREAM_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 60);
const BACKLOG = Number(process.env.BENCH_STREAM_BACKLOG ?? 20_000);
const TOKEN = 'bench-admin-token';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Counts what the fan-out hands the bus (each event = one PutEvents entry in AWS). */
let busEntries = 0;
let busMessages = 0;
const publish = LocalBus.prototype.publish;
LocalBus.prototype.publish = function (this: LocalBus, events: readonly BusEvent[]) {
  busEntries += events.length;
  for (const e of events) busMessages += e.messages.length;
  return publish.call(this, events);
};

/** Device frame → target latency (ms) of each distinct message that reached the target since `sinceMs`, sorted. */
function latencies(target: StreamReceiver, sinceMs: number): number[] {
  return target
    .distinct()
    .filter((b) => b.at >= sinceMs)
    .flatMap((b) => b.messages.map((m) => b.at - Math.round((m.timestamp as number) * 1000)))
    .sort((a, b) => a - b);
}

/** A tracker on a TCP socket: handshake, then one record per packet; resolves each ack in order. */
class Device {
  private readonly waiting: (() => void)[] = [];
  private buf = Buffer.alloc(0);
  private constructor(private readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.waiting.length > 0) {
        this.buf = this.buf.subarray(4); // the ack: records accepted, u32 BE
        this.waiting.shift()!();
      }
    });
  }

  static async open(port: number, imei: string): Promise<Device> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
    const accepted = new Promise<void>((r) => socket.once('data', () => r()));
    socket.write(handshake(imei));
    await accepted;
    return new Device(socket);
  }

  send(n: number, seq: number): Promise<void> {
    const acked = new Promise<void>((r) => this.waiting.push(r));
    this.socket.write(avlPacket([simRecord(n, seq, Date.now())]));
    return acked;
  }

  close(): void {
    this.socket.destroy();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `FlespiToken ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-streams-bench-'));
  const target = new StreamReceiver();
  await target.start();
  const { startLocalHub } = await import('../local/runtime.js'); // after the environment above
  const hub = await startLocalHub({
    dataDir: dir,
    memory: false,
    apiPort: 0,
    host: '127.0.0.1',
    adminToken: TOKEN,
    logger: silent,
    defaultChannelPort: 0,
    portRange: [0, 0],
    streamBackoffCapS: 2,
  });
  const port = hub.listeners.channels[0]!.configuration.port;
  const devices: Device[] = [];
  try {
    for (let i = 0; i < DEVICES; i += 500) {
      await api(
        hub.apiUrl,
        'POST',
        '/gw/devices',
        Array.from({ length: Math.min(500, DEVICES - i) }, (_, j) => ({
          name: `bench ${i + j}`,
          configuration: { ident: String(357_000_000_000_000 + i + j) },
          messages_ttl: 86400,
        })),
      );
    }
    const stream = (
      await api(hub.apiUrl, 'POST', '/gw/streams', [
        { name: 'bench http', protocol_name: 'http', configuration: { uri: `http://127.0.0.1:${target.port}/in` } },
      ])
    ).result[0];
    await api(hub.apiUrl, 'POST', `/gw/streams/${stream.id}/channels/1`);
    for (let i = 0; i < DEVICES; i++) devices.push(await Device.open(port, String(357_000_000_000_000 + i)));

    // warm-up: every device's first record (device lookups, first telemetry checkpoint, JIT) is
    // measured apart; in the first seconds it takes up to ~1.5 s to reach the target
    process.stderr.write(`warm-up: one record from each of ${DEVICES} devices...\n`);
    let seq = 0;
    const warmStarted = Date.now();
    await Promise.all(devices.map((d, n) => d.send(n, seq++)));
    await until('the warm-up records at the target', () => target.messages().length >= DEVICES, 60_000);
    const warm = latencies(target, warmStarted);
    const warmup = { messages: DEVICES, sent_in_ms: Date.now() - warmStarted, p50_ms: percentile(warm, 50), p99_ms: percentile(warm, 99) };

    // 1. latency at a steady rate
    process.stderr.write(`latency: ${DEVICES} devices, ${RATE} records/s for ${SECONDS} s...\n`);
    busEntries = busMessages = 0;
    const pending: Promise<void>[] = [];
    const firstSeq = seq;
    const started = Date.now();
    while (Date.now() - started < SECONDS * 1000) {
      const due = firstSeq + Math.floor(((Date.now() - started) / 1000) * RATE);
      while (seq < due) {
        const n = seq % DEVICES;
        pending.push(devices[n].send(n, seq++));
      }
      await sleep(5);
    }
    await Promise.all(pending);
    const sent = seq - firstSeq;
    await until('every message at the target', () => latencies(target, started).length >= sent, 60_000);
    const lat = latencies(target, started);
    const latency = {
      messages: sent,
      p50_ms: percentile(lat, 50),
      p90_ms: percentile(lat, 90),
      p95_ms: percentile(lat, 95),
      p99_ms: percentile(lat, 99),
      max_ms: lat.at(-1) ?? 0,
    };
    const bus = { entries: busEntries, messages: busMessages, entries_per_1000_messages: Math.round((busEntries / Math.max(1, busMessages)) * 1000 * 10) / 10 };

    // 2. throughput: a backlog buffered while the target is down, then delivered
    process.stderr.write(`throughput: ${BACKLOG} records buffered while the target is down...\n`);
    target.down = true;
    const acks: Promise<void>[] = [];
    for (let i = 0; i < BACKLOG; i++) {
      const n = i % DEVICES;
      acks.push(devices[n].send(n, seq++));
      if (i % 1000 === 999) await Promise.all(acks.splice(0));
    }
    await Promise.all(acks);
    await until(
      'the backlog buffered',
      async () => (await api(hub.apiUrl, 'GET', `/gw/streams/${stream.id}`)).result[0].status.buffered > 0 && hub.queue.depth === 0,
      300_000,
    );
    const back = Date.now();
    target.down = false;
    const backlog = () => target.distinct().filter((b) => b.at >= back);
    await until('the backlog at the target', () => backlog().reduce((n, b) => n + b.messages.length, 0) >= BACKLOG, 600_000);
    const first = backlog()[0].at;
    const last = backlog().at(-1)!.at;
    const requests = target.batches.filter((b) => b.at >= back).length;
    const throughput = {
      messages: BACKLOG,
      first_delivery_after_up_ms: first - back,
      drain_s: Math.round((last - first) / 100) / 10,
      messages_per_s: Math.round(BACKLOG / Math.max(0.001, (last - first) / 1000)),
      http_requests: requests,
      messages_per_request: Math.round((BACKLOG / Math.max(1, requests)) * 10) / 10,
    };

    const result = {
      devices: DEVICES,
      rate_per_s: RATE,
      seconds: SECONDS,
      warmup,
      latency,
      eventbridge: bus,
      throughput,
      note: 'local mode, one process, dynalite on disk; EventBridge entries = events the fan-out publishes (one per stream per ingest batch)',
    };
    console.log(
      table(
        ['phase', 'messages', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'EventBridge entries / 1,000 msgs'],
        [
          ['first record of each device (burst)', warmup.messages, warmup.p50_ms, '', '', warmup.p99_ms, warm.at(-1) ?? 0, ''],
          [
            'frame → HTTP target, steady',
            latency.messages,
            latency.p50_ms,
            latency.p90_ms,
            latency.p95_ms,
            latency.p99_ms,
            latency.max_ms,
            bus.entries_per_1000_messages,
          ],
        ],
      ),
    );
    console.log(
      table(
        ['backlog', 'first delivery after target up, ms', 'drained in s', 'messages/s', 'HTTP requests (accepted)', 'messages per request'],
        [
          [
            BACKLOG,
            throughput.first_delivery_after_up_ms,
            throughput.drain_s,
            throughput.messages_per_s,
            throughput.http_requests,
            throughput.messages_per_request,
          ],
        ],
      ),
    );
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/streams.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const d of devices) d.close();
    await hub.stop();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
