import type { Logger } from '../../core/logger.js';
import type { Bus, BusEvent } from '../../core/ports.js';
import type { StreamDelivery } from '../../core/streams/delivery.js';

/**
 * The in-process bus of local mode: an event is buffered durably by the stream's delivery (the
 * same code the stream Lambdas run) before `publish` resolves; delivery then runs in the
 * background, one drain per stream at a time, and a sweep retries failed streams.
 */
export class LocalBus implements Bus {
  private delivery?: StreamDelivery;
  private readonly draining = new Map<number, Promise<void>>();
  private readonly again = new Set<number>();
  private sweepTimer?: NodeJS.Timeout;

  constructor(private readonly logger: Logger) {}

  attach(delivery: StreamDelivery, sweepMs: number): void {
    this.delivery = delivery;
    this.sweepTimer = setInterval(() => void this.delivery?.drainAll().catch(() => undefined), sweepMs);
    this.sweepTimer.unref?.();
  }

  async publish(events: readonly BusEvent[]): Promise<void> {
    if (!this.delivery) throw new Error('local bus has no stream delivery attached');
    for (const e of events) await this.delivery.accept(e);
    for (const id of new Set(events.map((e) => e.stream_id))) this.kick(id);
  }

  /** Drains a stream now (coalescing concurrent requests). */
  kick(streamId: number, force = false): void {
    if (this.draining.has(streamId)) {
      this.again.add(streamId);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(streamId);
        try {
          await this.delivery?.drain(streamId, force);
        } catch (err) {
          this.logger.error('stream drain failed', { stream_id: streamId, error: err instanceof Error ? err.message : String(err) });
        }
      } while (this.again.has(streamId));
    })().finally(() => this.draining.delete(streamId));
    this.draining.set(streamId, run);
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    await Promise.all(this.draining.values());
  }
}
