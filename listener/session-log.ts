import type { Logger } from '../core/logger.js';
import type { Clock, DeviceLogEntry, DeviceLogRepository, DeviceRepository } from '../core/ports.js';
import type { Device } from '../core/schemas/devices.js';
import type { Session } from './session.js';

/**
 * Registry requests (ident lookups, log writes) per second at most. A reconnect storm of 50,000
 * devices would otherwise spend the listener's CPU on 50,000 lookups while devices wait for their
 * handshake; entries wait instead (with their own time) and are written over the next minutes.
 */
const REQUESTS_PER_S = 200;
/** Entries waiting at most; beyond, entries are dropped and counted (the log is diagnostics, not data). */
const MAX_WAITING = 100_000;
const TICK_MS = 100;
const CACHE_MS = 30_000;
/** Entries per batched lookup and write, and such batches under way at most. */
const CHUNK = 100;
const MAX_CHUNKS = 2;

interface Entry {
  readonly ident: string;
  readonly channelId: number;
  readonly event: 'connected' | 'disconnected';
  readonly at: number;
  readonly extra: Record<string, unknown>;
}

/** Writes `connected` / `disconnected` entries into the device log of registered idents. */
export class SessionLog {
  private readonly cache = new Map<string, { device: Device | undefined; expires: number }>();
  private waiting: Entry[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private chunks = 0;
  private tokens: number;
  private refilled = Date.now();
  readonly stats = { written: 0, dropped: 0, lookups: 0 };

  constructor(
    private readonly repo: Pick<DeviceRepository, 'findByIdents'>,
    private readonly logs: DeviceLogRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly requestsPerS = REQUESTS_PER_S,
  ) {
    this.tokens = this.burst;
  }

  private get burst(): number {
    return Math.max(2, Math.round((this.requestsPerS * TICK_MS) / 1000));
  }

  connected(session: Session, channelId: number): void {
    const ident = session.state.ident;
    if (ident) this.schedule({ ident, channelId, event: 'connected', at: this.clock.now(), extra: { peer: session.peer } });
  }

  disconnected(session: Session, channelId: number): void {
    const ident = session.state.ident;
    if (!ident) return;
    const at = this.clock.now();
    const extra = {
      peer: session.peer,
      duration: Math.round(at - session.established),
      bytes_in: session.bytesIn,
      bytes_out: session.bytesOut,
      frames_in: session.framesIn,
    };
    this.schedule({ ident, channelId, event: 'disconnected', at, extra });
  }

  /** Entries not written yet. */
  get backlog(): number {
    return this.waiting.length - this.head + this.inFlight;
  }

  /** Writes what waits, without the rate limit, for at most `timeoutMs` (drain). */
  async flush(timeoutMs = 3000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.backlog > 0 && Date.now() < until) {
      this.tokens = Math.max(this.tokens, 16);
      this.pump();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private schedule(entry: Entry): void {
    if (this.backlog >= MAX_WAITING) {
      this.stats.dropped++;
      return;
    }
    this.waiting.push(entry);
    if (this.timer) return;
    // the first tick takes what arrived meanwhile: connects come in bursts, written in chunks
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  private tick(): void {
    this.pump();
    if (this.waiting.length === this.head) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.waiting = [];
      this.head = 0;
    }
  }

  /**
   * Starts the registry requests the token bucket allows: entries go in chunks of up to 100 (one
   * batched lookup of their uncached idents, two requests; one batched write per 25 entries), at
   * most two chunks at a time. A cached unregistered ident costs none.
   */
  private pump(): void {
    const now = Date.now();
    this.tokens = Math.min(Math.max(this.tokens, this.burst), this.tokens + ((now - this.refilled) * this.requestsPerS) / 1000);
    this.refilled = now;
    while (this.tokens >= 1 && this.chunks < MAX_CHUNKS && this.head < this.waiting.length) {
      const chunk: Entry[] = [];
      let uncached = false;
      while (chunk.length < CHUNK && this.head < this.waiting.length) {
        const entry = this.waiting[this.head++];
        const hit = this.cache.get(entry.ident);
        if (hit && hit.expires > now && hit.device === undefined) continue;
        uncached ||= !(hit && hit.expires > now);
        chunk.push(entry);
      }
      if (chunk.length === 0) break;
      this.tokens -= (uncached ? 2 : 0) + Math.ceil(chunk.length / 25);
      this.inFlight += chunk.length;
      this.chunks++;
      void this.write(chunk).finally(() => {
        this.inFlight -= chunk.length;
        this.chunks--;
      });
    }
    if (this.head > 4096 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }

  private async write(chunk: readonly Entry[]): Promise<void> {
    try {
      const now = Date.now();
      const missing = [...new Set(chunk.filter((e) => !((this.cache.get(e.ident)?.expires ?? 0) > now)).map((e) => e.ident))];
      if (missing.length > 0) {
        this.stats.lookups += missing.length;
        const found = await this.repo.findByIdents(missing);
        for (const ident of missing) {
          if (this.cache.size >= 100_000) this.cache.delete(this.cache.keys().next().value as string);
          this.cache.set(ident, { device: found.get(ident), expires: Date.now() + CACHE_MS });
        }
      }
      const entries: { deviceId: number; entry: DeviceLogEntry }[] = [];
      for (const e of chunk) {
        const device = this.cache.get(e.ident)?.device;
        if (device) entries.push({ deviceId: device.id, entry: { timestamp: e.at, event: e.event, channel_id: e.channelId, ident: e.ident, ...e.extra } });
      }
      if (entries.length === 0) return;
      await this.logs.appendMany(entries);
      this.stats.written += entries.length;
    } catch (err) {
      const first = chunk[0];
      this.logger.warn('device log write failed', {
        ident: first?.ident,
        event: first?.event,
        entries: chunk.length,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
