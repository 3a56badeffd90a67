import type { Logger } from '../core/logger.js';
import type { Clock, ConnectionDirectory } from '../core/ports.js';
import type { ChannelStatus } from './channel-listeners.js';
import type { ConnectionInfo } from './session.js';

/** What the publisher reads: the channels asked for (listening or not) and their connections. */
export interface ConnectionSource {
  statuses(): readonly ChannelStatus[];
  connections(channelId: number): ConnectionInfo[];
  readonly connectionCount: number;
}

/** Readers ignore snapshots older than 90 s (core/registry/connections.ts): publish well within. */
const MAX_PERIOD_MS = 60_000;

/**
 * Publishes this listener's connection table (per channel) as snapshots: every `everyMs` (longer
 * for a large table: 2 ms per connection, at most a minute, since each snapshot of 10,000
 * connections is a few compressed writes), and soon after a change of a small table. Snapshots
 * older than a few periods are ignored by readers, so a dead task's connections disappear by
 * themselves.
 */
export class ConnectionPublisher {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private published = new Set<number>();

  constructor(
    private readonly listenerId: string,
    private readonly listeners: ConnectionSource,
    private readonly directory: ConnectionDirectory,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.timer = setTimeout(() => {
      void this.publishNow().finally(() => {
        if (this.timer) this.start();
      });
    }, this.period());
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.soon);
    this.soon = undefined;
    await this.inFlight;
  }

  private period(): number {
    return Math.min(MAX_PERIOD_MS, Math.max(this.everyMs, this.listeners.connectionCount * 2));
  }

  /**
   * Publishes shortly after a change (debounced), so a new connection shows up quickly. A table of
   * more than 1,000 connections waits for the next period instead: a reconnect storm must not
   * rewrite tens of compressed snapshot chunks every few hundred milliseconds.
   */
  publishSoon(delayMs = this.listeners.connectionCount > 1000 ? this.everyMs : 200): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.publishNow();
    }, delayMs);
    this.soon.unref?.();
  }

  private soon?: NodeJS.Timeout;

  /** Publishes now, or joins the publication in flight. */
  publishNow(): Promise<void> {
    // the reset runs after the assignment even when publishing finishes without awaiting anything
    this.inFlight ??= this.publishAll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async publishAll(): Promise<void> {
    try {
      const at = this.clock.now();
      const statuses = this.listeners.statuses();
      const current = new Set(statuses.map((s) => s.channelId));
      for (const { channelId, ...status } of statuses)
        await this.directory.publish(this.listenerId, channelId, this.listeners.connections(channelId), at, status);
      // channels stopped since the last snapshot: publish them empty once
      for (const id of this.published) if (!current.has(id)) await this.directory.publish(this.listenerId, id, [], at);
      this.published = current;
    } catch (err) {
      this.logger.warn('connection snapshot failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
