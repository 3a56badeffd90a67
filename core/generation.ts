import type { RegistryGeneration } from './ports.js';

/**
 * The hard maximum age of a revalidated cache entry (ms): past it an entry is re-read whatever the
 * generation says, so a lost bump (a write whose UpdateItem failed) is seen within 15 minutes.
 */
export const REVALIDATED_MAX_AGE_MS = 15 * 60_000;

/** What a revalidating cache keeps with an entry: when it was read from the registry, and the generation then. */
export interface Stamp {
  readonly loadedAt: number;
  readonly generation: number | undefined;
}

/**
 * The registry generation as ingest's caches see it (one per process). `check()` reads it once per
 * `ttlMs` (one eventually consistent GetItem; ingest calls it at the start of each batch); between
 * two reads it is a constant. A cache entry older than its TTL stays valid while it was loaded at
 * the generation confirmed by the last read, that read is younger than the TTL, and the entry is
 * younger than `maxAgeMs`: a registry change (its write, then its bump) reaches a process within
 * one TTL of the bump (the next read sees the new generation and every older entry is re-read),
 * plus the read's replication lag (eventually consistent, typically well under a second).
 * Without a port (or before the first read) nothing is confirmed: entries expire after their TTL.
 */
export class GenerationWatch {
  private confirmed?: { readonly generation: number; readonly at: number };
  private pending?: Promise<void>;

  constructor(
    private readonly port: Pick<RegistryGeneration, 'read'>,
    private readonly ttlMs = 120_000,
    readonly maxAgeMs = REVALIDATED_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the generation when the last read is older than the TTL (concurrent callers share one read). */
  async check(): Promise<void> {
    const t = this.now();
    if (this.confirmed && t - this.confirmed.at < this.ttlMs) return;
    this.pending ??= this.port
      .read()
      .then((generation) => {
        this.confirmed = { generation, at: t };
      })
      .finally(() => {
        this.pending = undefined;
      });
    await this.pending;
  }

  /** The stamp of an entry read now (the generation last read: older than the data, never newer). */
  stamp(now: number): Stamp {
    return { loadedAt: now, generation: this.confirmed?.generation };
  }

  /** Whether an entry past its TTL may be kept: loaded at the generation the last read (younger than `ttlMs`) confirmed, younger than the maximum age. */
  confirms(stamp: Stamp, ttlMs: number, now: number): boolean {
    const c = this.confirmed;
    return c !== undefined && stamp.generation === c.generation && now - c.at < ttlMs && now - stamp.loadedAt < this.maxAgeMs;
  }
}
