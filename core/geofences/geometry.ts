/**
 * Exact geofence tests, pure and allocation-light.
 *
 * The model, stated once:
 * - Distances are great-circle distances on a sphere of the IUGG mean radius (haversine).
 * - A circle is a spherical cap: inside when the distance from the center is ≤ radius. It may
 *   cross ±180 and may cover a pole.
 * - A polygon is drawn on the lat/lon plane (x = lon, y = lat, edges straight in degrees), the
 *   common practice for geofences of city scale; even-odd rule, points on an edge or vertex count
 *   as inside (decided exactly). An edge takes the shorter way round in longitude, so a polygon may
 *   cross ±180 (179 → -179 is a 2° edge); a polygon that goes round a pole is refused by validation.
 * - A corridor is every point within width / 2 of its polyline, whose segments are straight on the
 *   same lat/lon plane (and may cross ±180 like polygon edges). The nearest point of the polyline
 *   is found on a local equirectangular projection at the position's latitude, then measured with
 *   haversine; the projection's error only moves that point along the line, so the distance is off
 *   by second-order terms (far below 0.5 % for corridors of a few hundred km, see the tests) and
 *   never shorter than the true one.
 * Boundaries count as inside, with 1e-9 relative slack so that rounding in the last bit does not
 * move a point that lies exactly on a circle or corridor edge outside (1 µm per km).
 */
import { orient2d } from 'robust-predicates';
import type { Geometry, LatLon } from '../schemas/geofences.js';

/** IUGG mean Earth radius, km: the sphere of every distance in the hub. */
export const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;
const SLACK = 1 + 1e-9;
/** Boxes are widened a little more than the slack, and by a hair of a degree against rounding. */
const BOX_SLACK = 1 + 1e-6;
const BOX_EPS_DEG = 1e-9;

/** [minLon, minLat, maxLon, maxLat] on the lat/lon plane, within -180..180. */
export type Box = readonly [number, number, number, number];

/** A prepared geometry: its bounding boxes (two when it crosses ±180) and its exact test. */
export interface Shape {
  readonly boxes: readonly Box[];
  contains(lat: number, lon: number): boolean;
}

/** Great-circle distance in km (haversine); the expression engine's `distance()`. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const sinLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sinLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const a = sinLat * sinLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sinLon * sinLon;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A path's vertices with continuous longitudes (see unwrapPath). */
export interface Unwrapped {
  readonly lons: Float64Array;
  readonly lats: Float64Array;
  /** How often the closing step (last → first) winds round the globe: not 0 for a ring that goes round a pole. */
  readonly turns: number;
}

/**
 * The path with continuous longitudes: each step takes the shorter way round, so a path across
 * ±180 runs on past it (179, -179 → 179, 181).
 */
export function unwrapPath(path: readonly LatLon[]): Unwrapped {
  const n = path.length;
  const lons = new Float64Array(n);
  const lats = new Float64Array(n);
  let turns = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const d = path[i].lon - path[i - 1].lon;
      turns += d > 180 ? -1 : d < -180 ? 1 : 0;
    }
    lons[i] = path[i].lon + 360 * turns;
    lats[i] = path[i].lat;
  }
  const d = path[0].lon - path[n - 1].lon;
  turns += d > 180 ? -1 : d < -180 ? 1 : 0;
  return { lons, lats, turns };
}

/** Splits a lon range that runs past ±180 into two boxes within -180..180. */
function lonBoxes(minLon: number, minLat: number, maxLon: number, maxLat: number): Box[] {
  if (maxLon - minLon >= 360) return [[-180, minLat, 180, maxLat]];
  if (maxLon > 180)
    return [
      [minLon, minLat, 180, maxLat],
      [-180, minLat, maxLon - 360, maxLat],
    ];
  if (minLon < -180)
    return [
      [minLon + 360, minLat, 180, maxLat],
      [-180, minLat, maxLon, maxLat],
    ];
  return [[minLon, minLat, maxLon, maxLat]];
}

/**
 * Boxes of everything within `km` of the lat/lon rectangle (unwrapped longitudes). A cap of
 * angular radius δ around latitude φ spans φ ± δ in latitude and asin(sin δ / cos φ) in longitude,
 * which grows with |φ|: the rectangle's highest |lat| bounds it. Covers a pole → all longitudes.
 */
function paddedBoxes(minLon: number, minLat: number, maxLon: number, maxLat: number, km: number): Box[] {
  const delta = (km / EARTH_RADIUS_KM) * BOX_SLACK;
  const latPad = delta / RAD + BOX_EPS_DEG;
  const lo = minLat - latPad;
  const hi = maxLat + latPad;
  if (lo <= -90 || hi >= 90) return [[-180, Math.max(-90, lo), 180, Math.min(90, hi)]];
  const s = Math.sin(delta) / Math.cos(Math.max(Math.abs(minLat), Math.abs(maxLat)) * RAD);
  if (s >= 1) return [[-180, lo, 180, hi]];
  const lonPad = Math.asin(s) / RAD + BOX_EPS_DEG;
  return lonBoxes(minLon - lonPad, lo, maxLon + lonPad, hi);
}

function extent(lons: Float64Array, lats: Float64Array): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < lons.length; i++) {
    if (lons[i] < minLon) minLon = lons[i];
    if (lons[i] > maxLon) maxLon = lons[i];
    if (lats[i] < minLat) minLat = lats[i];
    if (lats[i] > maxLat) maxLat = lats[i];
  }
  return [minLon, minLat, maxLon, maxLat];
}

/**
 * Even-odd point in polygon on the plane (a ray towards +x, edges counted half-open in y), with
 * the boundary found exactly: robust-predicates' orient2d is exact, so a point on an edge or a
 * vertex is found to be there, whatever the rounding. The same test as point-in-polygon-hao (what
 * turf uses), written here because that library takes rings as arrays of [x, y] arrays: for 10,000
 * polygons of 20–200 points that is a million small arrays kept alive, and building the index took
 * most of a second, mostly in the garbage collector. Here a ring is two Float64Arrays.
 */
function inRing(xs: Float64Array, ys: Float64Array, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
    const y1 = ys[j];
    const y2 = ys[i];
    if ((y1 < y && y2 < y) || (y1 > y && y2 > y)) continue;
    const x1 = xs[j];
    const x2 = xs[i];
    if (x1 < x && x2 < x) continue; // left of the point: neither on it nor crossing the ray
    if (y1 === y2) {
      if (x1 <= x || x2 <= x) return true; // a horizontal edge through the point
      continue;
    }
    const o = orient2d(x1, y1, x2, y2, x, y); // < 0: the point is left of the edge (y up)
    if (o === 0) return true;
    if (y1 > y !== y2 > y && (y2 > y1 ? o < 0 : o > 0)) inside = !inside;
  }
  return inside;
}

class CircleShape implements Shape {
  readonly boxes: readonly Box[];
  private readonly cosLat: number;
  /** Haversine's a = sin²(d / 2R) grows with d: comparing it saves the asin and the center's cosine. */
  private readonly maxA: number;
  constructor(
    private readonly lat: number,
    private readonly lon: number,
    radius: number,
  ) {
    this.cosLat = Math.cos(lat * RAD);
    this.maxA = Math.sin(Math.min(Math.PI, (radius * SLACK) / EARTH_RADIUS_KM) / 2) ** 2;
    this.boxes = paddedBoxes(lon, lat, lon, lat, radius);
  }
  contains(lat: number, lon: number): boolean {
    const sinLat = Math.sin(((lat - this.lat) * RAD) / 2);
    const sinLon = Math.sin(((lon - this.lon) * RAD) / 2);
    return sinLat * sinLat + this.cosLat * Math.cos(lat * RAD) * sinLon * sinLon <= this.maxA;
  }
}

class PolygonShape implements Shape {
  readonly boxes: readonly Box[];
  private readonly lons: Float64Array;
  private readonly lats: Float64Array;
  private readonly bounds: readonly [number, number, number, number];
  constructor(path: readonly LatLon[]) {
    const { lons, lats } = unwrapPath(path);
    this.lons = lons;
    this.lats = lats;
    this.bounds = extent(lons, lats);
    const [minLon, minLat, maxLon, maxLat] = this.bounds;
    this.boxes = lonBoxes(minLon - BOX_EPS_DEG, minLat - BOX_EPS_DEG, maxLon + BOX_EPS_DEG, maxLat + BOX_EPS_DEG);
  }
  contains(lat: number, lon: number): boolean {
    const [minLon, minLat, maxLon, maxLat] = this.bounds;
    // the ring's longitudes may run past ±180: bring the position into the same turn
    let x = lon;
    if (x < minLon) x += 360;
    else if (x > maxLon) x -= 360;
    if (x < minLon || x > maxLon || lat < minLat || lat > maxLat) return false;
    return inRing(this.lons, this.lats, x, lat);
  }
}

/**
 * The nearest point of the polyline is found on the equirectangular projection at the position's
 * latitude, then measured with haversine. cheap-ruler's pointOnLine does the same search, but it
 * needs a ruler built for each position's latitude, allocates its answer and scales by the WGS84
 * ellipsoid, while every distance here is on the sphere: this is the same loop without those
 * (about 2× faster in the property test's brute-force scan).
 */
class CorridorShape implements Shape {
  readonly boxes: readonly Box[];
  /** Unwrapped longitudes and latitudes of the vertices. */
  private readonly lons: Float64Array;
  private readonly lats: Float64Array;
  private readonly limit: number;
  constructor(path: readonly LatLon[], width: number) {
    const { lons, lats } = unwrapPath(path);
    this.lons = lons;
    this.lats = lats;
    this.limit = (width / 2) * SLACK;
    const [minLon, minLat, maxLon, maxLat] = extent(lons, lats);
    this.boxes = paddedBoxes(minLon, minLat, maxLon, maxLat, width / 2);
  }
  contains(lat: number, lon: number): boolean {
    const { lons, lats } = this;
    const kx = Math.cos(lat * RAD);
    let best = Infinity;
    let nearLat = lats[0];
    let nearLon = lons[0];
    for (let i = 0; i + 1 < lons.length; i++) {
      // the segment relative to the position, x scaled to km-like units at its latitude
      let dLon = lons[i] - lon;
      if (dLon > 180) dLon -= 360;
      else if (dLon < -180) dLon += 360;
      const ax = dLon * kx;
      const ay = lats[i] - lat;
      const dx = (lons[i + 1] - lons[i]) * kx;
      const dy = lats[i + 1] - lats[i];
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
      const px = ax + t * dx;
      const py = ay + t * dy;
      const d2 = px * px + py * py;
      if (d2 < best) {
        best = d2;
        nearLat = lats[i] + t * (lats[i + 1] - lats[i]);
        nearLon = lons[i] + t * (lons[i + 1] - lons[i]);
      }
    }
    return distanceKm(lat, lon, nearLat, nearLon) <= this.limit;
  }
}

/** Prepares a (validated) geometry for repeated tests. */
export function prepareShape(geometry: Geometry): Shape {
  switch (geometry.type) {
    case 'circle':
      return new CircleShape(geometry.center.lat, geometry.center.lon, geometry.radius);
    case 'polygon':
      return new PolygonShape(geometry.path);
    case 'corridor':
      return new CorridorShape(geometry.path, geometry.width);
  }
}
