import Flatbush from 'flatbush';
import type { Geofence } from '../schemas/geofences.js';
import { type Box, prepareShape, type Shape } from './geometry.js';

/** What the index needs of a geofence; `containing` answers with the very objects it was given. */
export type IndexableGeofence = Readonly<Pick<Geofence, 'id' | 'name' | 'geometry' | 'priority' | 'enabled'>>;

const NONE: readonly never[] = Object.freeze([]);

function inBoxes(boxes: readonly Box[], lat: number, lon: number): boolean {
  for (const [minLon, minLat, maxLon, maxLat] of boxes) {
    if (lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat) return true;
  }
  return false;
}

/**
 * Immutable lookup of the enabled geofences containing a position: bounding boxes in a packed
 * Hilbert R-tree (flatbush; a shape across ±180 has two boxes), then the exact test on the
 * candidates. Built once from the list; rebuild it when the list changes.
 */
export class GeofenceIndex<G extends IndexableGeofence = IndexableGeofence> {
  /** How many geofences are indexed (the enabled ones). */
  readonly size: number;
  /** Ordered by priority descending, then id: results come out in this order. */
  private readonly items: readonly G[];
  private readonly shapes: readonly Shape[];
  /** Box number in the tree → item number. */
  private readonly owner: Uint32Array;
  private readonly tree: Flatbush | undefined;
  private readonly byName: ReadonlyMap<string, readonly number[]>;
  private readonly byId: ReadonlyMap<number, number>;

  constructor(geofences: Iterable<G>) {
    const items = [...geofences].filter((g) => g.enabled).sort((a, b) => b.priority - a.priority || a.id - b.id);
    const shapes = items.map((g) => prepareShape(g.geometry));
    const byName = new Map<string, number[]>();
    const byId = new Map<number, number>();
    let boxes = 0;
    items.forEach((g, k) => {
      byId.set(g.id, k);
      const same = byName.get(g.name);
      if (same) same.push(k);
      else byName.set(g.name, [k]);
      boxes += shapes[k].boxes.length;
    });
    this.owner = new Uint32Array(boxes);
    if (boxes > 0) {
      const tree = new Flatbush(boxes);
      shapes.forEach((shape, k) => {
        for (const [minLon, minLat, maxLon, maxLat] of shape.boxes) this.owner[tree.add(minLon, minLat, maxLon, maxLat)] = k;
      });
      tree.finish();
      this.tree = tree;
    }
    this.items = items;
    this.shapes = shapes;
    this.byName = byName;
    this.byId = byId;
    this.size = items.length;
  }

  /**
   * The enabled geofences containing the position (boundaries included), by priority descending,
   * then id. A position out of range (or NaN) is in none.
   */
  containing(lat: number, lon: number): readonly G[] {
    if (!this.tree || !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return NONE;
    const hits = this.tree.search(lon, lat, lon, lat);
    if (hits.length === 0) return NONE;
    for (let k = 0; k < hits.length; k++) hits[k] = this.owner[hits[k]];
    if (hits.length > 1) hits.sort((a, b) => a - b);
    const out: G[] = [];
    let last = -1;
    for (const k of hits) {
      if (k === last) continue; // a shape across ±180 has two boxes
      last = k;
      if (this.shapes[k].contains(lat, lon)) out.push(this.items[k]);
    }
    return out.length > 0 ? out : NONE;
  }

  /** Whether the position is inside the geofence with this id (a number) or any geofence of this name (a string). */
  inside(nameOrId: string | number, lat: number, lon: number): boolean {
    if (typeof nameOrId === 'number') {
      const k = this.byId.get(nameOrId);
      return k !== undefined && this.test(k, lat, lon);
    }
    for (const k of this.byName.get(nameOrId) ?? NONE) if (this.test(k, lat, lon)) return true;
    return false;
  }

  private test(k: number, lat: number, lon: number): boolean {
    const shape = this.shapes[k];
    return inBoxes(shape.boxes, lat, lon) && shape.contains(lat, lon);
  }
}
