/** A small time-bounded cache (lookups that may be a little stale, e.g. ident → device in ingest). */
export class TtlCache<K, V> {
  private readonly map = new Map<K, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    const t = this.now();
    if (hit && hit.expires > t) return hit.value;
    const value = await load(key);
    if (this.map.size >= this.maxEntries) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, { value, expires: t + this.ttlMs });
    return value;
  }

  /** True when `key` holds a value that has not expired (possibly `undefined`: a cached miss). */
  has(key: K): boolean {
    const hit = this.map.get(key);
    return hit !== undefined && hit.expires > this.now();
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.maxEntries) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, { value, expires: this.now() + this.ttlMs });
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
