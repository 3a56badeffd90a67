import type { GenerationWatch, Stamp } from '../generation.js';
import { GeofenceIndex } from '../geofences/index.js';
import type { GeofenceRepository } from '../ports.js';
import type { Geofence } from '../schemas/geofences.js';

/**
 * The geofences as a spatial index, cached like device lookups: rebuilt after `ttlMs` (on AWS a
 * change reaches ingest within that time) or at once on `invalidate()` (local mode, on change).
 * One list read and one build per period however many messages use it. With a generation watch
 * the index is kept past `ttlMs` while the registry generation is unchanged (core/generation.ts).
 */
export class GeofenceLookup {
  private cached?: { readonly at: number; readonly stamp?: Stamp; readonly index: Promise<GeofenceIndex<Geofence>> };

  constructor(
    private readonly repo: Pick<GeofenceRepository, 'list'>,
    private readonly ttlMs = 120_000,
    private readonly now: () => number = Date.now,
    private readonly watch?: GenerationWatch,
  ) {}

  index(): Promise<GeofenceIndex<Geofence>> {
    const t = this.now();
    const c = this.cached;
    if (!c || (t - c.at >= this.ttlMs && !(c.stamp && this.watch?.confirms(c.stamp, this.ttlMs, t)))) {
      const stamp = this.watch?.stamp(t);
      const index = this.repo.list().then((list) => new GeofenceIndex(list));
      const entry = { at: t, stamp, index };
      this.cached = entry;
      index.catch(() => {
        if (this.cached === entry) this.cached = undefined;
      });
      return index;
    }
    return c.index;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
