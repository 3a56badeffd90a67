/**
 * What the zod schema cannot say about a geometry: repeated points (zero-length edges), polygons
 * that cross or touch themselves, go round a pole or have zero area. Errors name the field like
 * the rest of the API (`[0].geometry.path[3]: ...`).
 *
 * The crossing check is written here rather than taken from @turf/kinks or sweepline-intersections:
 * those report the crossing points, while the error must name the edges; and they work in floating
 * point, while this one decides with exact orientation predicates (robust-predicates). Edges are
 * swept in order of their smallest longitude; the worst case is O(n²), a few ms for 1024 points.
 */
import { orient2d } from 'robust-predicates';
import { ValidationError } from '../errors.js';
import type { Geometry, LatLon } from '../schemas/geofences.js';
import { unwrapPath } from './geometry.js';

type Pt = readonly [number, number];

/** Throws a ValidationError naming `where` (e.g. `[0].geometry`) and the offending point or edges. */
export function validateGeometry(geometry: Geometry, where: string): void {
  if (geometry.type === 'circle') return;
  const field = `${where}.path`;
  checkRepeats(geometry.path, geometry.type === 'polygon', field);
  if (geometry.type === 'polygon') checkPolygon(geometry.path, field);
}

/** The same place: equal lat and lon, where -180 and 180 are one meridian. */
function samePoint(a: LatLon, b: LatLon): boolean {
  return a.lat === b.lat && (a.lon === b.lon || Math.abs(a.lon - b.lon) === 360);
}

function checkRepeats(path: readonly LatLon[], closed: boolean, field: string): void {
  for (let i = 1; i < path.length; i++) {
    if (samePoint(path[i], path[i - 1])) throw new ValidationError(`${field}[${i}]: repeats the point before it`);
  }
  const last = path.length - 1;
  if (closed && samePoint(path[last], path[0])) {
    throw new ValidationError(`${field}[${last}]: repeats the first point (a polygon is closed implicitly: leave the closing point out)`);
  }
}

function checkPolygon(path: readonly LatLon[], field: string): void {
  const { lons, lats, turns } = unwrapPath(path);
  if (turns !== 0) {
    throw new ValidationError(
      `${field}: the polygon goes round a pole, which is not supported (polygons are drawn on the lat/lon plane): split it, or use a circle`,
    );
  }
  if (Math.max(...lons) - Math.min(...lons) >= 360) throw new ValidationError(`${field}: the polygon spans 360° of longitude or more`);
  const coords = Array.from(lons, (lon, k): Pt => [lon, lats[k]]);
  if (allOnOneLine(coords)) throw new ValidationError(`${field}: the polygon has zero area (all its points lie on one line)`);
  const crossing = firstCrossing(coords);
  if (crossing) {
    const n = coords.length;
    const [i, j] = crossing;
    throw new ValidationError(`${field}: the polygon crosses itself (edges ${i}–${(i + 1) % n} and ${j}–${(j + 1) % n})`);
  }
}

function allOnOneLine(coords: readonly Pt[]): boolean {
  const [a, b] = coords; // distinct: repeats were refused before
  for (let i = 2; i < coords.length; i++) {
    if (orient2d(a[0], a[1], b[0], b[1], coords[i][0], coords[i][1]) !== 0) return false;
  }
  return true;
}

function orient(a: Pt, b: Pt, c: Pt): number {
  return orient2d(a[0], a[1], b[0], b[1], c[0], c[1]);
}

/** c, collinear with a–b, lies on the closed segment a–b. */
function onSegment(a: Pt, b: Pt, c: Pt): boolean {
  return Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
}

/** The closed segments a–b and c–d have a point in common (crossing, touching or overlapping). */
function segmentsMeet(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (d1 === 0 && onSegment(c, d, a)) || (d2 === 0 && onSegment(c, d, b)) || (d3 === 0 && onSegment(a, b, c)) || (d4 === 0 && onSegment(a, b, d));
}

/** Edges i–i+1 and j–j+1 (i < j) of a ring of n points meet anywhere but at a vertex they share. */
function edgesMeet(coords: readonly Pt[], i: number, j: number): boolean {
  const n = coords.length;
  const a = coords[i];
  const b = coords[(i + 1) % n];
  const c = coords[j];
  const d = coords[(j + 1) % n];
  // adjacent edges share a vertex v; they meet elsewhere only when they fold back along one line
  if (j === i + 1) return foldsBack(a, b, d);
  if (i === 0 && j === n - 1) return foldsBack(b, a, c);
  return segmentsMeet(a, b, c, d);
}

/** The edges p–v and v–q lie on one line with p and q on the same side of v. */
function foldsBack(p: Pt, v: Pt, q: Pt): boolean {
  return orient(p, v, q) === 0 && (p[0] - v[0]) * (q[0] - v[0]) + (p[1] - v[1]) * (q[1] - v[1]) > 0;
}

/** The first pair of edges (by their first point) that meet other than at a shared vertex, or undefined. */
function firstCrossing(coords: readonly Pt[]): [number, number] | undefined {
  const n = coords.length;
  const minX = new Float64Array(n);
  const maxX = new Float64Array(n);
  const minY = new Float64Array(n);
  const maxY = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = coords[k];
    const b = coords[(k + 1) % n];
    minX[k] = Math.min(a[0], b[0]);
    maxX[k] = Math.max(a[0], b[0]);
    minY[k] = Math.min(a[1], b[1]);
    maxY[k] = Math.max(a[1], b[1]);
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => minX[a] - minX[b]);
  let best: [number, number] | undefined;
  for (let p = 0; p < n; p++) {
    const e = order[p];
    for (let q = p + 1; q < n && minX[order[q]] <= maxX[e]; q++) {
      const f = order[q];
      if (minY[f] > maxY[e] || maxY[f] < minY[e]) continue;
      const i = Math.min(e, f);
      const j = Math.max(e, f);
      if (best && (i > best[0] || (i === best[0] && j >= best[1]))) continue;
      if (edgesMeet(coords, i, j)) best = [i, j];
    }
  }
  return best;
}
