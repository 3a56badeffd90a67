/**
 * The fleet side of the cost model, at full scale (e.g. 10,000 devices): when frames arrive, how
 * the listener tasks batch them (FrameBatcher's rule: a batch leaves `flushMs` after its first
 * frame, or at once when full), what the real SqsFrameQueue sends to SQS for each batch, and how
 * the Lambda event source mapping cuts the queue into invocations (batch size, batching window,
 * 6 MB payload). SQS requests go through a real SQSClient (counted) to the in-process stub.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SqsFrameQueue } from '../../adapters/aws/sqs-queue.js';
import type { QueuedFrame } from '../../core/envelope.js';
import { parseEnvelope } from '../../core/envelope.js';
import type { StubQueue } from './aws-stub.js';

export interface SimClock {
  now(): number;
  set(ms: number): void;
}

export interface FleetOptions {
  readonly devices: number;
  /** Listener tasks (devices are spread evenly, as the NLB does). */
  readonly tasks: number;
  /** Seconds between a device's messages. */
  readonly periodS: number;
  /** Simulated seconds (after warm-up). */
  readonly simSeconds: number;
  /** Simulated seconds before counting starts (every device has sent once by then). */
  readonly warmupSeconds: number;
  /** Listener batch window (ms) and limits (listener/batcher.ts). */
  readonly flushMs: number;
  readonly maxFrames: number;
  readonly maxBytes: number;
  /** Event source mapping: batching window (s), batch size (queue messages), payload limit (bytes). */
  readonly windowS: number;
  readonly batchSize: number;
  readonly maxPayloadBytes: number;
  /** Hypothetical runtime change: envelopes gzip-compressed (counts the 6 MB limit on compressed size). */
  readonly compressEnvelopes?: boolean;
  readonly seed: number;
  readonly queueUrl: string;
  /** The frame device `index` sends at `tMs`. */
  frame(index: number, tMs: number): QueuedFrame;
}

/** One invocation of the ingest function, as the event source mapping would make it. */
export interface FleetBatch {
  readonly closeMs: number;
  readonly records: { readonly messageId: string; readonly receiptHandle: string; readonly body: string; readonly sentMs: number }[];
  readonly payloadBytes: number;
}

export interface FleetStats {
  frames: number;
  flushes: number;
  envelopes: number;
  envelopeBytes: number;
  gzipBytes: number;
  batches: number;
  batchFrames: number[];
  maxBatchPayload: number;
  /** Simulated ms counted (after warm-up). */
  countedMs: number;
}

/** Deterministic PRNG (mulberry32) so runs are comparable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Flush {
  readonly t: number;
  readonly arrivals: { readonly device: number; readonly t: number }[];
}

/** Arrival times per listener task and the batches FrameBatcher would send (time-ordered). */
export function listenerFlushes(o: FleetOptions, startMs: number, frameBytes: number): Flush[] {
  const rnd = prng(o.seed);
  const endMs = startMs + (o.warmupSeconds + o.simSeconds) * 1000;
  const perTask: { device: number; t: number }[][] = Array.from({ length: o.tasks }, () => []);
  for (let d = 0; d < o.devices; d++) {
    const phase = rnd() * o.periodS * 1000;
    for (let t = startMs + phase; t < endMs; t += o.periodS * 1000) perTask[d % o.tasks].push({ device: d, t: t + (rnd() - 0.5) * 1000 });
  }
  const flushes: Flush[] = [];
  for (const arrivals of perTask) {
    arrivals.sort((a, b) => a.t - b.t);
    let cur: { device: number; t: number }[] = [];
    let opened = 0;
    for (const a of arrivals) {
      if (cur.length > 0 && a.t >= opened + o.flushMs) {
        flushes.push({ t: opened + o.flushMs, arrivals: cur });
        cur = [];
      }
      if (cur.length === 0) opened = a.t;
      cur.push(a);
      if (cur.length >= o.maxFrames || cur.length * frameBytes >= o.maxBytes) {
        flushes.push({ t: a.t, arrivals: cur });
        cur = [];
      }
    }
    if (cur.length > 0) flushes.push({ t: opened + o.flushMs, arrivals: cur });
  }
  return flushes.sort((a, b) => a.t - b.t);
}

/** Per record of an SQS event, besides the body: ids, attributes, ARN (measured on a real event, rounded up). */
export const SQS_RECORD_OVERHEAD_BYTES = 700;

/**
 * Runs the fleet: listener batches → SqsFrameQueue → stub queue → event source mapping batches.
 * `onWarm` is called once when counting starts; `onBatch` for every invocation (in time order).
 */
export async function runFleet(
  o: FleetOptions,
  clock: SimClock,
  sqs: SQSClient,
  stub: StubQueue,
  hooks: { onWarm(): void; onEnd(): void; onBatch(batch: FleetBatch, counted: boolean): Promise<void> },
): Promise<FleetStats> {
  const startMs = clock.now();
  const warmMs = startMs + o.warmupSeconds * 1000;
  const sample = o.frame(0, startMs);
  const flushes = listenerFlushes(o, startMs, JSON.stringify(sample).length);
  const queue = new SqsFrameQueue(sqs, o.queueUrl);
  const stats: FleetStats = {
    frames: 0,
    flushes: 0,
    envelopes: 0,
    envelopeBytes: 0,
    gzipBytes: 0,
    batches: 0,
    batchFrames: [],
    maxBatchPayload: 0,
    countedMs: o.simSeconds * 1000,
  };
  let warm = false;
  let cur: { sentMs: number; size: number; frames: number }[] = [];
  let curStart = 0;
  let curBytes = 0;

  const close = async (at: number) => {
    const n = cur.length;
    if (n === 0) return;
    clock.set(Math.max(clock.now(), at));
    const records: FleetBatch['records'][number][] = [];
    while (records.length < n) {
      const r = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: o.queueUrl,
          MaxNumberOfMessages: Math.min(10, n - records.length),
          MessageSystemAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      for (const m of r.Messages ?? [])
        records.push({ messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, sentMs: Number(m.Attributes?.SentTimestamp) });
      if (!r.Messages?.length) throw new Error('stub queue ran dry: the event source model and the queue disagree');
    }
    const counted = warm && at <= warmMs + o.simSeconds * 1000;
    if (counted) {
      stats.batches++;
      stats.batchFrames.push(cur.reduce((s, x) => s + x.frames, 0));
      stats.maxBatchPayload = Math.max(stats.maxBatchPayload, curBytes);
    }
    await hooks.onBatch({ closeMs: at, records, payloadBytes: curBytes }, counted);
    for (let i = 0; i < records.length; i += 10) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: o.queueUrl,
          Entries: records.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
    cur = [];
    curBytes = 0;
  };

  for (const f of flushes) {
    if (cur.length > 0 && f.t > curStart + o.windowS * 1000) await close(curStart + o.windowS * 1000);
    if (!warm && f.t >= warmMs) {
      warm = true;
      hooks.onWarm();
    }
    clock.set(Math.max(clock.now(), f.t));
    const before = stub.sent.length;
    await queue.send(f.arrivals.map((a) => o.frame(a.device, a.t)));
    const added = stub.sent.slice(before);
    const counted = warm;
    if (counted) {
      stats.flushes++;
      stats.frames += f.arrivals.length;
    }
    for (const m of added) {
      const frames = parseEnvelope(m.body).frames.length;
      const gz = m.bytes; // envelopes are gzip-compressed by the listener (core/envelope.ts)
      if (counted) {
        stats.envelopes++;
        stats.envelopeBytes += m.bytes;
        stats.gzipBytes += gz;
      }
      const size = m.bytes + SQS_RECORD_OVERHEAD_BYTES;
      if (cur.length > 0 && curBytes + size > o.maxPayloadBytes) await close(f.t);
      if (cur.length === 0) curStart = f.t;
      cur.push({ sentMs: m.sentMs, size, frames });
      curBytes += size;
      if (cur.length >= o.batchSize) await close(f.t);
    }
  }
  hooks.onEnd();
  await close(curStart + o.windowS * 1000);
  return stats;
}
