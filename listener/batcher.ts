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
}

export const DEFAULT_BATCHER_OPTIONS: BatcherOptions = { flushMs: 10, maxFrames: 2000, maxBytes: 900 * 1024 };

interface Waiter {
  readonly frame: QueuedFrame;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Collects frames from every connection of a listener and hands them to the queue in batches
 * (size- and time-bounded). `add` resolves when the frame is durable, so its ack can go out; it
 * rejects when the queue refused the batch (no ack: the device resends). After a failure the
 * batcher backs off before the next attempt.
 */
export class FrameBatcher {
  private waiting: Waiter[] = [];
  private bytes = 0;
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private backoffMs = 0;
  private blockedUntil = 0;
  readonly stats = { frames: 0, batches: 0, failures: 0, latencyMsTotal: 0 };

  constructor(
    private readonly queue: FrameQueue,
    private readonly logger: Logger,
    private readonly options: BatcherOptions = DEFAULT_BATCHER_OPTIONS,
  ) {}

  /** Frames waiting or being sent. */
  get pending(): number {
    return this.waiting.length + this.inFlight;
  }

  /** True while the queue is failing and new frames are refused at once. */
  get backingOff(): boolean {
    return Date.now() < this.blockedUntil;
  }

  add(frame: QueuedFrame): Promise<void> {
    if (this.backingOff) return Promise.reject(new Error('queue unavailable: backing off'));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ frame, resolve, reject });
      this.bytes += frame.f.length;
      if (this.waiting.length >= this.options.maxFrames || this.bytes >= this.options.maxBytes) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.flushMs);
    });
  }

  /** Sends what is waiting now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.bytes = 0;
    this.inFlight += batch.length;
    const started = Date.now();
    this.queue
      .send(batch.map((w) => w.frame))
      .then(
        () => {
          this.backoffMs = 0;
          this.stats.frames += batch.length;
          this.stats.batches++;
          this.stats.latencyMsTotal += Date.now() - started;
          for (const w of batch) w.resolve();
        },
        (err: unknown) => {
          this.stats.failures++;
          this.backoffMs = Math.min(5000, this.backoffMs === 0 ? 100 : this.backoffMs * 2);
          this.blockedUntil = Date.now() + this.backoffMs;
          this.logger.error('queue refused a batch: its frames are not acked and will be resent by the devices', {
            frames: batch.length,
            backoff_ms: this.backoffMs,
            error: err instanceof Error ? err.message : String(err),
          });
          for (const w of batch) w.reject(err);
        },
      )
      .finally(() => {
        this.inFlight -= batch.length;
      });
  }

  /** Flushes and waits until nothing is in flight (graceful drain). */
  async drain(timeoutMs = 10_000): Promise<void> {
    this.flush();
    const until = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  }
}
