import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueuedFrame } from '../../core/envelope.js';
import type { Logger } from '../../core/logger.js';
import type { FrameQueue } from '../../core/ports.js';
import { type BodyBudget, JournalLane, type Rec } from './journal-lane.js';
import { JournalWriter, writerPid } from './journal-writer.js';

/**
 * A durable local queue with SQS semantics: an append-only journal on disk, fsynced before `send`
 * resolves (so "acked means durable" holds through SIGKILL), replayed from the last committed
 * offset on start, delivered to a handler as SQS-shaped events with partial batch failures,
 * retried with backoff and moved to a dead-letter journal after `maxReceives` attempts.
 *
 * Besides its own directory, which this process writes, the queue reads *lanes*: subdirectories
 * `listener-<n>` each written by one listener process (listener/main.ts), which appends and fsyncs
 * its frames itself and acks its devices without waiting for this process; it reports how far its
 * lane is durable (`lane(name).advance`), and this process reads the new records from the files.
 * Every lane found on open is replayed, whichever mode wrote it. Record layout: journal-format.ts.
 */
export interface JournalQueueOptions {
  readonly dir: string;
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  readonly logger: Logger;
  /** Records per handler call (SQS allows 10). */
  readonly batchSize?: number;
  readonly maxReceives?: number;
  readonly segmentBytes?: number;
  /** Bytes of waiting bodies kept in memory (default 64 MB); a larger backlog is read back from disk. */
  readonly maxBodyBytesInMemory?: number;
  /** Skip fsync (tests of speed only; breaks the durability promise). */
  readonly unsafeNoSync?: boolean;
  readonly queueName?: string;
  /** How long open() waits for the listener of a previous hub to stop writing its lane (ms). */
  readonly laneWriterWaitMs?: number;
}

/** A lane written by another process: its directory, and where that process reports what it made durable. */
export interface LaneHandle {
  readonly dir: string;
  advance(segment: number, end: number): void;
}

const LANE_DIR = /^listener-\d+$/;

export class JournalQueue implements FrameQueue {
  private readonly own: JournalLane;
  private readonly lanes = new Map<string, JournalLane>();
  private readonly writer: JournalWriter;
  private bodyBytes = 0;
  private readonly budget: BodyBudget;
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private readonly batchSize: number;
  private readonly maxReceives: number;
  private readonly name: string;
  /** Counts for metrics and tests. */
  readonly stats = { sent: 0, delivered: 0, failed: 0, deadLettered: 0, replayed: 0 };

  constructor(private readonly opts: JournalQueueOptions) {
    this.batchSize = opts.batchSize ?? 10;
    this.maxReceives = opts.maxReceives ?? 5;
    this.name = opts.queueName ?? 'hub-ingest';
    const max = opts.maxBodyBytesInMemory ?? 64 * 1024 * 1024;
    this.budget = {
      keep: (len) => {
        if (this.bodyBytes + len > max) return false;
        this.bodyBytes += len;
        return true;
      },
      free: (len) => {
        this.bodyBytes -= len;
      },
    };
    this.own = new JournalLane(opts.dir, '', this.budget, opts.logger, opts.unsafeNoSync ?? false);
    this.writer = new JournalWriter({
      dir: opts.dir,
      unsafeNoSync: opts.unsafeNoSync,
      segmentBytes: opts.segmentBytes,
      onDurable: (segment, records) => {
        this.own.appended(segment, records);
        this.stats.sent += records.length;
        this.wake?.();
      },
    });
  }

  /** Records not yet processed (waiting, in flight or retrying), in every lane. */
  get depth(): number {
    let n = this.own.depth;
    for (const lane of this.lanes.values()) n += lane.depth;
    return n;
  }

  async open(): Promise<void> {
    mkdirSync(this.opts.dir, { recursive: true });
    let replayed = this.own.replay();
    for (const entry of readdirSync(this.opts.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !LANE_DIR.test(entry.name)) continue;
      const lane = this.addLane(entry.name);
      await this.untilUnwritten(lane.dir);
      replayed += lane.replay();
    }
    this.stats.replayed = replayed;
    await this.writer.open();
    if (replayed > 0) this.opts.logger.info('local queue replayed unprocessed records', { records: replayed, dir: this.opts.dir });
  }

  /** The lane `name` (`listener-<n>`), created if new: its writer reports to `advance`. */
  lane(name: string): LaneHandle {
    if (!LANE_DIR.test(name)) throw new Error(`not a lane name: ${name}`);
    const lane = this.lanes.get(name) ?? this.addLane(name);
    return {
      dir: lane.dir,
      advance: (segment, end) => {
        const added = lane.advance(segment, end);
        this.stats.sent += added;
        if (added > 0) this.wake?.();
      },
    };
  }

  private addLane(name: string): JournalLane {
    const dir = join(this.opts.dir, name);
    mkdirSync(dir, { recursive: true });
    const lane = new JournalLane(dir, `${name}/`, this.budget, this.opts.logger, this.opts.unsafeNoSync ?? false);
    this.lanes.set(name, lane);
    return lane;
  }

  /** A listener of a previous hub may still be finishing its lane (its hub was killed): waits until it is gone. */
  private async untilUnwritten(dir: string): Promise<void> {
    const until = Date.now() + (this.opts.laneWriterWaitMs ?? 15_000);
    for (let pid = writerPid(dir); pid !== undefined; pid = writerPid(dir)) {
      if (Date.now() > until) throw new Error(`local queue: ${dir} is still written by pid ${pid}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.consume();
  }

  /** Stops delivering once the batch in flight finishes; appended records stay on disk. */
  async close(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.writer.close();
  }

  /** Waits until every record appended so far has been processed (tests, drain). */
  async drain(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.depth > 0) {
      if (Date.now() > until) throw new Error(`local queue still holds ${this.depth} record(s) after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  send(frames: readonly QueuedFrame[]): Promise<void> {
    return this.writer.send(frames);
  }

  /** Appends message bodies to this process's journal; resolves after they are on disk (fsync). */
  sendBodies(bodies: readonly string[]): Promise<void> {
    return this.writer.sendBodies(bodies);
  }

  /** Up to `batchSize` ready records, taken from the lanes in turn; the soonest retry time otherwise. */
  private nextBatch(now: number): { batch: Rec[]; soonest: number } {
    const batch: Rec[] = [];
    let soonest = Infinity;
    for (const lane of [this.own, ...this.lanes.values()]) {
      for (const r of lane.records) {
        if (batch.length >= this.batchSize) return { batch, soonest };
        if (r.state !== 'ready') continue;
        if (r.notBefore > now) soonest = Math.min(soonest, r.notBefore);
        else batch.push(r);
      }
    }
    return { batch, soonest };
  }

  private async consume(): Promise<void> {
    while (this.running) {
      const now = Date.now();
      const { batch, soonest } = this.nextBatch(now);
      if (batch.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (soonest !== Infinity) setTimeout(resolve, soonest - now);
        });
        this.wake = undefined;
        continue;
      }
      await this.deliver(batch);
      for (const lane of new Set(batch.map((r) => r.lane))) lane.commit();
    }
  }

  private async deliver(batch: Rec[]): Promise<void> {
    for (const r of batch) {
      r.state = 'inflight';
      r.receives++;
    }
    let failed: Set<string>;
    try {
      const res = await this.opts.handler({ Records: batch.map((r) => this.sqsRecord(r)) });
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      this.opts.logger.error('ingest handler failed for a whole batch', { error: err instanceof Error ? err.message : String(err), records: batch.length });
      failed = new Set(batch.map((r) => r.id));
    }
    for (const r of batch) {
      if (!failed.has(r.id)) {
        r.state = 'done';
        r.lane.release(r);
        this.stats.delivered++;
      } else if (r.receives >= this.maxReceives) {
        this.deadLetter(r);
        r.state = 'done';
        r.lane.release(r);
      } else {
        this.stats.failed++;
        r.state = 'ready';
        r.notBefore = Date.now() + Math.min(10_000, 200 * 2 ** (r.receives - 1));
      }
    }
  }

  private deadLetter(r: Rec): void {
    const payload = Buffer.from(`${JSON.stringify({ id: r.id, sent: r.sent, failed: Date.now(), receives: r.receives, body: r.lane.bodyOf(r) })}\n`);
    const fd = openSync(join(this.opts.dir, 'dead-letter.jsonl'), 'a');
    try {
      writeSync(fd, payload);
      if (!this.opts.unsafeNoSync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.stats.deadLettered++;
    this.opts.logger.error('queue record moved to the dead-letter journal', { id: r.id, receives: r.receives });
  }

  private sqsRecord(r: Rec): SQSRecord {
    return {
      messageId: r.id,
      receiptHandle: r.id,
      body: r.lane.bodyOf(r),
      attributes: {
        ApproximateReceiveCount: String(r.receives),
        SentTimestamp: String(r.sent),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
      awsRegion: 'local',
    };
  }
}
