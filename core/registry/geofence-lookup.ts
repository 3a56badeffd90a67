import { GeofenceIndex } from '../geofences/index.js';
import type { GeofenceRepository } from '../ports.js';
import type { Geofence } from '../schemas/geofences.js';

/**
 * The geofences as a spatial index, cached like device lookups: rebuilt after `ttlMs` (on AWS a
 * change reaches ingest within that time) or at once on `invalidate()` (local mode, on change).
 * One list read and one build per period however many messages use it.
 */
export class GeofenceLookup {
  private cached?: { readonly at: number; readonly index: Promise<GeofenceIndex<Geofence>> };

  constructor(
    private readonly repo: Pick<GeofenceRepository, 'list'>,
    private readonly ttlMs = 120_000,
    private readonly now: () => number = Date.now,
  ) {}

  index(): Promise<GeofenceIndex<Geofence>> {
    const t = this.now();
    if (!this.cached || t - this.cached.at >= this.ttlMs) {
      const index = this.repo.list().then((list) => new GeofenceIndex(list));
      const entry = { at: t, index };
      this.cached = entry;
      index.catch(() => {
        if (this.cached === entry) this.cached = undefined;
      });
    }
    return this.cached.index;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
