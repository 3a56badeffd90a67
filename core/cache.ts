import type { GenerationWatch, Stamp } from './generation.js';

/**
 * A small time-bounded cache (lookups that may be a little stale, e.g. ident → device in ingest).
 * With a generation watch (registry lookups in ingest), an entry past its TTL is kept while the
 * registry generation it was loaded at is confirmed, up to the watch's maximum age (15 minutes):
 * core/generation.ts.
 */
export class TtlCache<K, V> {
  private readonly map = new Map<K, { value: V; expires: number; stamp?: Stamp }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
    private readonly watch?: GenerationWatch,
  ) {}

  async get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    const t = this.now();
    if (hit && this.valid(hit, t)) return hit.value;
    const stamp = this.watch?.stamp(t);
    const value = await load(key);
    this.put(key, value, t, stamp);
    return value;
  }

  /** True when `key` holds a value that has not expired (possibly `undefined`: a cached miss). */
  has(key: K): boolean {
    const hit = this.map.get(key);
    return hit !== undefined && this.valid(hit, this.now());
  }

  set(key: K, value: V): void {
    const t = this.now();
    this.put(key, value, t, this.watch?.stamp(t));
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  private valid(hit: { expires: number; stamp?: Stamp }, t: number): boolean {
    return hit.expires > t || (hit.stamp !== undefined && this.watch?.confirms(hit.stamp, this.ttlMs, t) === true);
  }

  private put(key: K, value: V, t: number, stamp: Stamp | undefined): void {
    this.map.delete(key);
    if (this.map.size >= this.maxEntries) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, { value, expires: t + this.ttlMs, stamp });
  }
}
