import type { Logger } from '../core/logger.js';
import type { Clock, ConnectionDirectory } from '../core/ports.js';
import type { ChannelListeners } from './channel-listeners.js';

/**
 * Publishes this listener's connection table (per channel) as snapshots: every `everyMs`, and at
 * most once per `everyMs` even when connections change faster. Snapshots older than a few periods
 * are ignored by readers, so a dead task's connections disappear by themselves.
 */
export class ConnectionPublisher {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private published = new Set<number>();

  constructor(
    private readonly listenerId: string,
    private readonly listeners: ChannelListeners,
    private readonly directory: ConnectionDirectory,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.publishNow(), this.everyMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  /** Publishes shortly after a change (debounced), so new connections show up quickly. */
  publishSoon(delayMs = 200): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.publishNow();
    }, delayMs);
    this.soon.unref?.();
  }

  private soon?: NodeJS.Timeout;

  publishNow(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const at = this.clock.now();
        const current = new Set(this.listeners.channels.map((c) => c.id));
        for (const id of current) await this.directory.publish(this.listenerId, id, this.listeners.connections(id), at);
        // channels stopped since the last snapshot: publish them empty once
        for (const id of this.published) if (!current.has(id)) await this.directory.publish(this.listenerId, id, [], at);
        this.published = current;
      } catch (err) {
        this.logger.warn('connection snapshot failed', { error: err instanceof Error ? err.message : String(err) });
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
