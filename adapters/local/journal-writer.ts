import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { packEnvelopes, type QueuedFrame } from '../../core/envelope.js';
import type { FrameQueue } from '../../core/ports.js';
import { encodeRecord, HEADER, listSegments, segmentPath } from './journal-format.js';

/** A record made durable by a group commit: where it ends in its segment, and its bytes. */
export interface DurableRecord {
  readonly end: number;
  readonly buf: Buffer;
}

export interface JournalWriterOptions {
  readonly dir: string;
  /** Skip fsync (tests of speed, `--memory`; breaks the durability promise). */
  readonly unsafeNoSync?: boolean;
  /** A segment this large is closed and the next one started (default 64 MiB). */
  readonly segmentBytes?: number;
  /**
   * Start a new segment instead of appending to the last one: for a writer that cannot know whether
   * the last segment ends in a torn record (a listener process started after a crash of its
   * predecessor). The queue's reader reads an older segment up to its last valid record.
   */
  readonly fresh?: boolean;
  /** Hold `<dir>/writer.pid` while open (the reader waits for a writer of another process to be gone before it replays). */
  readonly lock?: boolean;
  /** Told after every group commit, once its records are on disk and before their senders hear of it. */
  readonly onDurable?: (segment: number, records: readonly DurableRecord[]) => void;
}

const LOCK = 'writer.pid';

/**
 * The one writer of a journal directory: appends queue bodies with group commit (one write and
 * one fsync for everything sent since the previous flush) and resolves a send only once its
 * records are on disk, so "acked means durable" holds through SIGKILL. Used by the local queue
 * for its own directory and by each listener process for its lane (listener/main.ts).
 */
export class JournalWriter implements FrameQueue {
  private fh?: FileHandle;
  private current = 1;
  private size = 0;
  private writing: Promise<void> = Promise.resolve();
  private pending: { buf: Buffer; done: () => void; fail: (e: unknown) => void }[] = [];
  private flushScheduled = false;
  private locked = false;

  constructor(private readonly opts: JournalWriterOptions) {}

  /** The segment appended to now. */
  get segment(): number {
    return this.current;
  }

  async open(): Promise<void> {
    mkdirSync(this.opts.dir, { recursive: true });
    if (this.opts.lock) this.lock();
    // never below the committed segment: the reader deletes segments before it
    const last = Math.max(committedSegment(this.opts.dir), ...listSegments(this.opts.dir));
    this.current = this.opts.fresh ? last + 1 : Math.max(last, 1);
    this.fh = await open(segmentPath(this.opts.dir, this.current), 'a');
    this.size = (await this.fh.stat()).size;
  }

  /** Waits for the flushes under way and closes the segment. */
  async close(): Promise<void> {
    await this.writing;
    await this.fh?.close();
    this.fh = undefined;
    if (this.locked) {
      this.locked = false;
      try {
        if (readFileSync(join(this.opts.dir, LOCK), 'utf8').trim() === String(process.pid)) unlinkSync(join(this.opts.dir, LOCK));
      } catch {
        // already gone
      }
    }
  }

  /** Packs frames into queue bodies (gzip, core/envelope.ts) and appends them. */
  send(frames: readonly QueuedFrame[]): Promise<void> {
    return this.sendBodies(packEnvelopes(frames));
  }

  /** Appends message bodies; resolves after they are on disk (fsync). */
  sendBodies(bodies: readonly string[]): Promise<void> {
    if (!this.fh) return Promise.reject(new Error('local queue is not open'));
    return new Promise<void>((resolve, reject) => {
      for (const [i, body] of bodies.entries())
        this.pending.push({ buf: encodeRecord(body), done: i === bodies.length - 1 ? resolve : () => {}, fail: reject });
      if (bodies.length === 0) resolve();
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.writing = this.writing.then(() => this.flush());
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || !this.fh) {
      for (const p of batch) p.fail(new Error('local queue is closed'));
      return;
    }
    try {
      if (this.size > (this.opts.segmentBytes ?? 64 * 1024 * 1024)) await this.rotate();
      await this.fh.writev(batch.map((p) => p.buf));
      if (!this.opts.unsafeNoSync) await this.fh.datasync();
      const records: DurableRecord[] = [];
      for (const p of batch) {
        this.size += p.buf.length;
        records.push({ end: this.size, buf: p.buf });
      }
      this.opts.onDurable?.(this.current, records);
      for (const p of batch) p.done();
    } catch (err) {
      for (const p of batch) p.fail(err);
    }
  }

  private async rotate(): Promise<void> {
    await this.fh?.close();
    this.current++;
    this.fh = await open(segmentPath(this.opts.dir, this.current), 'a');
    this.size = 0;
  }

  private lock(): void {
    const file = join(this.opts.dir, LOCK);
    const holder = writerPid(this.opts.dir);
    if (holder !== undefined && holder !== process.pid) throw new Error(`journal ${this.opts.dir} is written by pid ${holder}`);
    if (existsSync(file)) unlinkSync(file);
    const fd = openSync(file, 'wx', 0o644);
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    this.locked = true;
  }
}

/** The pid of the live process writing `dir` (a lock left by a dead one does not count). */
export function writerPid(dir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, LOCK), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** The segment of the lane's committed offset (0 when none was committed). */
function committedSegment(dir: string): number {
  try {
    return Number((JSON.parse(readFileSync(join(dir, 'offset.json'), 'utf8')) as { segment?: number }).segment ?? 0);
  } catch {
    return 0;
  }
}

/** A record's body, from its bytes (header included). */
export function payloadOf(buf: Buffer): string {
  return buf.toString('utf8', HEADER);
}
