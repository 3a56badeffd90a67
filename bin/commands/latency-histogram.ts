/** Ack latencies: 0.1 ms buckets to 100 ms, 1 ms buckets to 10 s, then one overflow bucket. */
export class LatencyHistogram {
  readonly buckets = new Uint32Array(1000 + 9900 + 1);
  count = 0;
  max = 0;

  add(ms: number): void {
    const i = ms < 100 ? Math.floor(ms * 10) : ms < 10_000 ? 1000 + Math.floor(ms - 100) : this.buckets.length - 1;
    this.buckets[i]++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  merge(buckets: ArrayLike<number>, max: number): void {
    for (let i = 0; i < buckets.length; i++) {
      this.buckets[i] += buckets[i];
      this.count += buckets[i];
    }
    if (max > this.max) this.max = max;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i];
      if (seen >= rank) return i < 1000 ? (i + 1) / 10 : i < 10_900 ? i - 1000 + 101 : this.max;
    }
    return this.max;
  }
}
