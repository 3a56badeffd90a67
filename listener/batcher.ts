import type { QueuedFrame } from '../core/envelope.js';
import type { Logger } from '../core/logger.js';
import type { FrameQueue } from '../core/ports.js';

export interface BatcherOptions {
  /** Longest a frame waits for its batch (ms). */
  readonly flushMs: number;
  /** A batch is sent at once when it reaches this many frames... */
  readonly maxFrames: number;
  /** ...or this many bytes of frame data. */
  readonly maxBytes: number;
  /** Batches sent at the same time at most; more wait (keeps ordering cheap and memory bounded). */
  readonly maxInFlight?: number;
}

/** Longest pause after queue failures: devices retry on their own, the queue gets a breather. */
const MAX_BACKOFF_MS = 2000;

export const DEFAULT_BATCHER_OPTIONS: BatcherOptions = { flushMs: 10, maxFrames: 2000, maxBytes: 900 * 1024, maxInFlight: 8 };

/** Told when a frame became durable (`ok`) or was refused by the queue. */
export interface DurableSink {
  durable(token: number, ok: boolean): void;
}

interface Waiter {
  readonly frame: QueuedFrame;
  readonly sink: DurableSink;
  readonly token: number;
}

/** Adapts a promise to the sink interface (UDP, HTTP and tests). */
class PromiseSink implements DurableSink {
  constructor(
    private readonly resolve: () => void,
    private readonly reject: (err: Error) => void,
  ) {}
  durable(_token: number, ok: boolean): void {
    if (ok) this.resolve();
    else this.reject(new Error('queue refused the frame'));
  }
}

/**
 * Collects frames from every connection of a listener and hands them to the queue in batches
 * (size- and time-bounded). The sink of a frame hears `ok` once it is durable, so its ack can go
 * out; `false` when the queue refused the batch (no ack: the device resends). After a failure the
 * batcher backs off (100 ms doubling to 2 s) and refuses new frames at once until then.
 */
export class FrameBatcher {
  private waiting: Waiter[] = [];
  private bytes = 0;
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private batchesInFlight = 0;
  private backoffMs = 0;
  private blockedUntil = 0;
  private readonly maxInFlight: number;
  /** Totals since start (metrics read deltas). */
  readonly stats = { frames: 0, batches: 0, failures: 0, refused: 0, latencyMsTotal: 0, latencyMsMax: 0 };

  constructor(
    private readonly queue: FrameQueue,
    private readonly logger: Logger,
    private readonly options: BatcherOptions = DEFAULT_BATCHER_OPTIONS,
  ) {
    this.maxInFlight = options.maxInFlight ?? 8;
  }

  /** Frames waiting or being sent. */
  get pending(): number {
    return this.waiting.length + this.inFlight;
  }

  /** True while the queue is failing and new frames are refused at once. */
  get backingOff(): boolean {
    return Date.now() < this.blockedUntil;
  }

  /** Queues a frame; `sink.durable(token, ok)` is called exactly once (maybe synchronously when refused). */
  push(frame: QueuedFrame, sink: DurableSink, token: number): void {
    if (this.backingOff) {
      this.stats.refused++;
      sink.durable(token, false);
      return;
    }
    this.waiting.push({ frame, sink, token });
    this.bytes += frame.frame.length;
    if (this.waiting.length >= this.options.maxFrames || this.bytes >= this.options.maxBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  /** `push` as a promise: resolves when the frame is durable, rejects when it was refused. */
  add(frame: QueuedFrame): Promise<void> {
    return new Promise<void>((resolve, reject) => this.push(frame, new PromiseSink(resolve, reject), 0));
  }

  /** Sends what is waiting now (or as soon as a send slot frees). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0 || this.batchesInFlight >= this.maxInFlight) return;
    const batch = this.waiting;
    this.waiting = [];
    this.bytes = 0;
    this.inFlight += batch.length;
    this.batchesInFlight++;
    const started = Date.now();
    let sending: Promise<void>;
    try {
      sending = this.queue.send(batch.map((w) => w.frame));
    } catch (err) {
      sending = Promise.reject(err);
    }
    sending.then(
      () => this.settled(batch, started, undefined),
      (err: unknown) => this.settled(batch, started, err ?? new Error('queue failed')),
    );
  }

  private settled(batch: Waiter[], started: number, err: unknown): void {
    this.inFlight -= batch.length;
    this.batchesInFlight--;
    const ms = Date.now() - started;
    if (err === undefined) {
      this.backoffMs = 0;
      this.stats.frames += batch.length;
      this.stats.batches++;
      this.stats.latencyMsTotal += ms;
      if (ms > this.stats.latencyMsMax) this.stats.latencyMsMax = ms;
    } else {
      this.stats.failures++;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs === 0 ? 100 : this.backoffMs * 2);
      this.blockedUntil = Date.now() + this.backoffMs;
      this.logger.error('queue refused a batch: its frames are not acked and will be resent by the devices', {
        frames: batch.length,
        backoff_ms: this.backoffMs,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    const ok = err === undefined;
    for (const w of batch) {
      try {
        w.sink.durable(w.token, ok);
      } catch (e) {
        this.logger.error('ack after a durable batch failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (this.waiting.length > 0 && (this.waiting.length >= this.options.maxFrames || !this.timer)) this.flush();
  }

  /** Flushes and waits until nothing is in flight (graceful drain). */
  async drain(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < until) {
      this.flush();
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
