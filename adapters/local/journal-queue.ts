import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { packEnvelopes, type QueuedFrame } from '../../core/envelope.js';
import type { Logger } from '../../core/logger.js';
import type { FrameQueue } from '../../core/ports.js';

/**
 * A durable local queue with SQS semantics: an append-only journal on disk, fsynced before `send`
 * resolves (so "acked means durable" holds through SIGKILL), replayed from the last committed
 * offset on start, delivered to a handler as SQS-shaped events with partial batch failures,
 * retried with backoff and moved to a dead-letter journal after `maxReceives` attempts.
 *
 * Record layout: length u32 LE | CRC-32 of the payload u32 LE | payload (the SQS message body).
 * A torn record at the tail (crash mid-write, never acknowledged) is cut off on open.
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
}

interface Rec {
  readonly id: string;
  readonly segment: number;
  readonly end: number;
  /** Payload length (bytes); the payload ends at `end`. */
  readonly len: number;
  /** Kept in memory while the backlog is small; read back from the segment otherwise. */
  body?: string;
  readonly sent: number;
  receives: number;
  state: 'ready' | 'inflight' | 'done';
  notBefore: number;
}

const HEADER = 8;

export class JournalQueue implements FrameQueue {
  private readonly records: Rec[] = [];
  private bodyBytes = 0;
  private segment = 1;
  private segmentSize = 0;
  private fh?: FileHandle;
  private writing: Promise<void> = Promise.resolve();
  private pending: { buf: Buffer; done: () => void; fail: (e: unknown) => void }[] = [];
  private flushScheduled = false;
  private committed = { segment: 1, position: 0 };
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private readonly batchSize: number;
  private readonly maxReceives: number;
  private readonly segmentBytes: number;
  private readonly name: string;
  /** Counts for metrics and tests. */
  readonly stats = { sent: 0, delivered: 0, failed: 0, deadLettered: 0, replayed: 0 };

  constructor(private readonly opts: JournalQueueOptions) {
    this.batchSize = opts.batchSize ?? 10;
    this.maxReceives = opts.maxReceives ?? 5;
    this.segmentBytes = opts.segmentBytes ?? 64 * 1024 * 1024;
    this.name = opts.queueName ?? 'hub-ingest';
  }

  /** Records not yet processed (waiting, in flight or retrying). */
  get depth(): number {
    return this.records.filter((r) => r.state !== 'done').length;
  }

  async open(): Promise<void> {
    mkdirSync(this.opts.dir, { recursive: true });
    const offsetFile = join(this.opts.dir, 'offset.json');
    if (existsSync(offsetFile)) this.committed = JSON.parse(readFileSync(offsetFile, 'utf8'));
    const segments = this.segments();
    for (const seg of segments) if (seg < this.committed.segment) unlinkSync(this.segmentPath(seg));
    for (const seg of segments.filter((s) => s >= this.committed.segment)) this.replaySegment(seg);
    this.segment = Math.max(this.committed.segment, ...segments, 1);
    this.fh = await open(this.segmentPath(this.segment), 'a');
    this.segmentSize = (await this.fh.stat()).size;
    if (this.records.length > 0) this.opts.logger.info('local queue replayed unprocessed records', { records: this.records.length, dir: this.opts.dir });
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
    await this.writing;
    await this.fh?.close();
    this.fh = undefined;
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
    return this.sendBodies(packEnvelopes(frames));
  }

  /** Appends message bodies; resolves after they are on disk (fsync). */
  sendBodies(bodies: readonly string[]): Promise<void> {
    if (!this.fh) return Promise.reject(new Error('local queue is not open'));
    return new Promise<void>((resolve, reject) => {
      for (const [i, body] of bodies.entries()) {
        const payload = Buffer.from(body);
        const buf = Buffer.allocUnsafe(HEADER + payload.length);
        buf.writeUInt32LE(payload.length, 0);
        buf.writeUInt32LE(crc32(payload), 4);
        payload.copy(buf, HEADER);
        const last = i === bodies.length - 1;
        this.pending.push({ buf, done: last ? resolve : () => {}, fail: reject });
      }
      if (bodies.length === 0) resolve();
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.writing = this.writing.then(() => this.flush());
  }

  /** Group commit: one write and one fsync for everything sent since the last flush. */
  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || !this.fh) {
      for (const p of batch) p.fail(new Error('local queue is closed'));
      return;
    }
    try {
      if (this.segmentSize > this.segmentBytes) await this.rotate();
      const start = this.segmentSize;
      await this.fh.writev(batch.map((p) => p.buf));
      if (!this.opts.unsafeNoSync) await this.fh.datasync();
      let pos = start;
      const now = Date.now();
      for (const p of batch) {
        pos += p.buf.length;
        const len = p.buf.length - HEADER;
        this.records.push({
          id: `${this.segment}:${pos}`,
          segment: this.segment,
          end: pos,
          len,
          body: this.keep(len) ? p.buf.toString('utf8', HEADER) : undefined,
          sent: now,
          receives: 0,
          state: 'ready',
          notBefore: 0,
        });
      }
      this.segmentSize = pos;
      this.stats.sent += batch.length;
      for (const p of batch) p.done();
      this.wake?.();
    } catch (err) {
      for (const p of batch) p.fail(err);
    }
  }

  private async rotate(): Promise<void> {
    await this.fh?.close();
    this.segment++;
    this.fh = await open(this.segmentPath(this.segment), 'a');
    this.segmentSize = 0;
  }

  private async consume(): Promise<void> {
    while (this.running) {
      const now = Date.now();
      const batch: Rec[] = [];
      let soonest = Infinity;
      for (const r of this.records) {
        if (r.state !== 'ready') continue;
        if (r.notBefore > now) {
          soonest = Math.min(soonest, r.notBefore);
          continue;
        }
        batch.push(r);
        if (batch.length >= this.batchSize) break;
      }
      if (batch.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (soonest !== Infinity) setTimeout(resolve, soonest - now);
        });
        this.wake = undefined;
        continue;
      }
      await this.deliver(batch);
      this.commit();
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
        this.release(r);
        this.stats.delivered++;
      } else if (r.receives >= this.maxReceives) {
        this.deadLetter(r);
        r.state = 'done';
        this.release(r);
      } else {
        this.stats.failed++;
        r.state = 'ready';
        r.notBefore = Date.now() + Math.min(10_000, 200 * 2 ** (r.receives - 1));
      }
    }
  }

  private deadLetter(r: Rec): void {
    const payload = Buffer.from(`${JSON.stringify({ id: r.id, sent: r.sent, failed: Date.now(), receives: r.receives, body: this.bodyOf(r) })}\n`);
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

  /** Advances the committed offset past the processed head of the journal. */
  private commit(): void {
    let advanced = false;
    while (this.records[0]?.state === 'done') {
      const r = this.records[0];
      this.records.shift();
      this.committed = { segment: r.segment, position: r.end };
      advanced = true;
    }
    if (!advanced) return;
    const file = join(this.opts.dir, 'offset.json');
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.committed));
      if (!this.opts.unsafeNoSync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    const head = this.records[0]?.segment ?? this.segment;
    for (const seg of this.segments()) if (seg < head && seg < this.segment) unlinkSync(this.segmentPath(seg));
  }

  private replaySegment(seg: number): void {
    const path = this.segmentPath(seg);
    const data = readFileSync(path);
    let pos = seg === this.committed.segment ? this.committed.position : 0;
    while (pos + HEADER <= data.length) {
      const len = data.readUInt32LE(pos);
      const end = pos + HEADER + len;
      if (end > data.length || crc32(data.subarray(pos + HEADER, end)) !== data.readUInt32LE(pos + 4)) break;
      this.records.push({
        id: `${seg}:${end}`,
        segment: seg,
        end,
        len,
        body: this.keep(len) ? data.toString('utf8', pos + HEADER, end) : undefined,
        sent: Date.now(),
        receives: 0,
        state: 'ready',
        notBefore: 0,
      });
      this.stats.replayed++;
      pos = end;
    }
    if (pos < data.length) {
      this.opts.logger.warn('local queue: cut a torn record at the end of a segment (it was never acknowledged)', { segment: seg, bytes: data.length - pos });
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, pos);
      } finally {
        closeSync(fd);
      }
    }
  }

  /** Counts a body into the memory budget; false when it should stay on disk only. */
  private keep(len: number): boolean {
    if (this.bodyBytes + len > (this.opts.maxBodyBytesInMemory ?? 64 * 1024 * 1024)) return false;
    this.bodyBytes += len;
    return true;
  }

  /** A record's body: from memory, or read back from its segment. */
  private bodyOf(r: Rec): string {
    if (r.body !== undefined) return r.body;
    const fd = openSync(this.segmentPath(r.segment), 'r');
    try {
      const buf = Buffer.allocUnsafe(r.len);
      readSync(fd, buf, 0, r.len, r.end - r.len);
      return buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }

  /** Frees a processed record's body from the memory budget. */
  private release(r: Rec): void {
    if (r.body === undefined) return;
    this.bodyBytes -= r.len;
    r.body = undefined;
  }

  private sqsRecord(r: Rec): SQSRecord {
    return {
      messageId: r.id,
      receiptHandle: r.id,
      body: this.bodyOf(r),
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

  private segments(): number[] {
    return readdirSync(this.opts.dir)
      .map((f) => /^(\d{8})\.log$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  private segmentPath(seg: number): string {
    return join(this.opts.dir, `${String(seg).padStart(8, '0')}.log`);
  }
}
