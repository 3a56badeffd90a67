import pointInPolygonHao from 'point-in-polygon-hao';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../core/errors.js';
import { prepareShape } from '../../../core/geofences/geometry.js';
import { distanceKm, EARTH_RADIUS_KM, GeofenceIndex, validateGeometry } from '../../../core/geofences/index.js';
import { parseOrThrow } from '../../../core/schemas/common.js';
import {
  type GeofenceCreate,
  GeofenceCreateSchema,
  type GeofenceUpdate,
  GeofenceUpdateSchema,
  type Geometry,
  type LatLon,
} from '../../../core/schemas/geofences.js';
import { randomCorridor, seeded, starPolygon, wrapLon } from '../../helpers/geofences.js';

const RAD = Math.PI / 180;

/** The point `km` from (lat, lon) along the great circle of initial bearing `bearing` (degrees). */
function destination(lat: number, lon: number, bearing: number, km: number): { lat: number; lon: number } {
  const d = km / EARTH_RADIUS_KM;
  const p1 = lat * RAD;
  const t = bearing * RAD;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
  const l2 = lon * RAD + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { lat: p2 / RAD, lon: ((((l2 / RAD + 540) % 360) + 360) % 360) - 180 };
}

const pts = (...ll: [number, number][]): LatLon[] => ll.map(([lat, lon]) => ({ lat, lon }));
const polygon = (...ll: [number, number][]): Geometry => ({ type: 'polygon', path: pts(...ll) });
const circle = (lat: number, lon: number, radius: number): Geometry => ({ type: 'circle', center: { lat, lon }, radius });
const corridor = (width: number, ...ll: [number, number][]): Geometry => ({ type: 'corridor', path: pts(...ll), width });

function createError(body: unknown): string {
  try {
    const [item] = parseOrThrow(GeofenceCreateSchema.array(), [body]);
    validateGeometry(item.geometry, '[0].geometry');
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  return 'no error';
}
const geometryError = (geometry: unknown) => createError({ name: 'zone', geometry });

describe('core/geofences', () => {
  describe('GeofenceCreateSchema', () => {
    it('fills the defaults', () => {
      const created: GeofenceCreate = parseOrThrow(GeofenceCreateSchema, { name: 'depot', geometry: circle(54.6, 25.2, 1) });
      expect(created).toEqual({
        name: 'depot',
        geometry: circle(54.6, 25.2, 1),
        priority: 0,
        enabled: true,
        metadata: {},
      });
    });

    it('refuses coordinates out of range, naming the field', () => {
      expect(geometryError(circle(90.5, 0, 1))).toBe('[0].geometry.center.lat: Too big: expected number to be <=90');
      expect(geometryError(circle(0, -180.01, 1))).toBe('[0].geometry.center.lon: Too small: expected number to be >=-180');
      expect(geometryError(polygon([0, 0], [1, 0], [-91, 1]))).toBe('[0].geometry.path[2].lat: Too small: expected number to be >=-90');
      expect(geometryError(corridor(1, [0, 0], [0, 181]))).toBe('[0].geometry.path[1].lon: Too big: expected number to be <=180');
      expect(geometryError(circle(Number.NaN, 0, 1))).toBe('[0].geometry.center.lat: Invalid input: expected number, received NaN');
    });

    it('refuses too few or too many points', () => {
      expect(geometryError(polygon([0, 0], [1, 0]))).toBe('[0].geometry.path: Too small: expected array to have >=3 items');
      expect(geometryError(corridor(1, [0, 0]))).toBe('[0].geometry.path: Too small: expected array to have >=2 items');
      const many = Array.from({ length: 1025 }, (_, i): [number, number] => [Math.sin(i), i / 10 - 50]);
      expect(geometryError(polygon(...many))).toBe('[0].geometry.path: Too big: expected array to have <=1024 items');
      expect(geometryError(corridor(1, ...many))).toBe('[0].geometry.path: Too big: expected array to have <=1024 items');
    });

    it('refuses a non-positive or oversized radius or width', () => {
      expect(geometryError(circle(0, 0, 0))).toBe('[0].geometry.radius: Too small: expected number to be >0');
      expect(geometryError(circle(0, 0, -1))).toBe('[0].geometry.radius: Too small: expected number to be >0');
      expect(geometryError(circle(0, 0, 20_000.1))).toBe('[0].geometry.radius: Too big: expected number to be <=20000');
      expect(geometryError(corridor(0, [0, 0], [0, 1]))).toBe('[0].geometry.width: Too small: expected number to be >0');
      expect(geometryError(corridor(-2, [0, 0], [0, 1]))).toBe('[0].geometry.width: Too small: expected number to be >0');
    });

    it('refuses an unknown type or field', () => {
      expect(geometryError({ type: 'square', center: { lat: 0, lon: 0 } })).toBe(
        "[0].geometry.type: Invalid discriminator value. Expected 'circle' | 'polygon' | 'corridor'",
      );
      expect(geometryError({ ...circle(0, 0, 1), width: 3 })).toBe('[0].geometry: unknown field(s) "width"');
      expect(createError({ name: 'a', geometry: circle(0, 0, 1), priority: 1.5 })).toBe('[0].priority: Invalid input: expected int, received number');
      expect(createError({ name: '', geometry: circle(0, 0, 1) })).toBe('[0].name: Too small: expected string to have >=1 characters');
    });

    it('updates take any subset of the fields and nothing else', () => {
      const update: GeofenceUpdate = parseOrThrow(GeofenceUpdateSchema, { priority: 5 });
      expect(update).toEqual({ priority: 5 });
      expect(() => parseOrThrow(GeofenceUpdateSchema, { id: 3 })).toThrow('body: unknown field(s) "id"');
    });
  });

  describe('validateGeometry', () => {
    it('accepts a concave polygon, a corridor that crosses itself and any circle', () => {
      expect(geometryError(polygon([0, 0], [0, 3], [1, 3], [1, 1], [2, 1], [2, 3], [3, 3], [3, 0]))).toBe('no error');
      expect(geometryError(corridor(1, [0, 0], [1, 1], [1, 0], [0, 1]))).toBe('no error');
      expect(geometryError(circle(90, 0, 20_000))).toBe('no error');
    });

    it('refuses a self-crossing polygon, naming the edges', () => {
      expect(geometryError(polygon([0, 0], [1, 1], [1, 0], [0, 1]))).toBe('[0].geometry.path: the polygon crosses itself (edges 0–1 and 2–3)');
      // a loop in the boundary: 2–3 and 5–6 cross, nothing else does
      expect(geometryError(polygon([0, 0], [0, 10], [10, 10], [6, 3], [8, 3], [8, 6], [5, 5]))).toBe(
        '[0].geometry.path: the polygon crosses itself (edges 2–3 and 5–6)',
      );
      expect(geometryError(polygon([0, 0], [0, 2], [2, 2], [2, 0], [1, 0], [1, 3], [-1, 3], [-1, 0]))).toBe(
        '[0].geometry.path: the polygon crosses itself (edges 1–2 and 4–5)',
      );
    });

    it('refuses polygons that touch themselves at a vertex or fold back along an edge', () => {
      // a figure 8 through the repeated point (1, 1)
      expect(geometryError(polygon([0, 0], [1, 1], [2, 0], [2, 2], [1, 1], [0, 2]))).toBe('[0].geometry.path: the polygon crosses itself (edges 0–1 and 3–4)');
      // a vertex on another edge
      expect(geometryError(polygon([0, 0], [0, 2], [1, 1], [2, 2], [2, 0], [0, 1]))).toBe('[0].geometry.path: the polygon crosses itself (edges 0–1 and 4–5)');
      // a spike: 2 → 3 → back over 2
      expect(geometryError(polygon([0, 0], [0, 2], [1, 2], [3, 2], [0.5, 2], [2, 0]))).toBe(
        '[0].geometry.path: the polygon crosses itself (edges 1–2 and 3–4)',
      );
    });

    it('refuses zero-length edges, naming the point', () => {
      expect(geometryError(polygon([0, 0], [0, 1], [1, 1], [1, 1], [1, 0]))).toBe('[0].geometry.path[3]: repeats the point before it');
      expect(geometryError(corridor(1, [0, 0], [0, 1], [0, 1]))).toBe('[0].geometry.path[2]: repeats the point before it');
      expect(geometryError(corridor(1, [5, 180], [5, -180]))).toBe('[0].geometry.path[1]: repeats the point before it');
      expect(geometryError(polygon([0, 0], [0, 1], [1, 1], [0, 0]))).toBe(
        '[0].geometry.path[3]: repeats the first point (a polygon is closed implicitly: leave the closing point out)',
      );
    });

    it('refuses a polygon of zero area', () => {
      expect(geometryError(polygon([0, 0], [1, 1], [2, 2]))).toBe('[0].geometry.path: the polygon has zero area (all its points lie on one line)');
      expect(geometryError(polygon([0, 0], [0, 1], [0, 3], [0, 2]))).toBe('[0].geometry.path: the polygon has zero area (all its points lie on one line)');
    });

    it('refuses a polygon that goes round a pole', () => {
      expect(geometryError(polygon([80, 0], [80, 90], [80, 180], [80, -90]))).toBe(
        '[0].geometry.path: the polygon goes round a pole, which is not supported (polygons are drawn on the lat/lon plane): split it, or use a circle',
      );
    });

    it('accepts a polygon across ±180 and checks it in continuous longitudes', () => {
      expect(geometryError(polygon([-1, 179], [-1, -179], [1, -179], [1, 179]))).toBe('no error');
      expect(geometryError(polygon([-1, 179], [1, -179], [-1, -179], [1, 179]))).toBe('[0].geometry.path: the polygon crosses itself (edges 0–1 and 2–3)');
    });

    it('checks the largest polygon, 1024 points (its time is in bench/geofences.bench.ts)', () => {
      const ring = Array.from({ length: 1024 }, (_, i): [number, number] => {
        const a = (2 * Math.PI * i) / 1024;
        const r = i % 2 === 0 ? 1 : 0.9;
        return [50 + r * Math.sin(a), 10 + r * Math.cos(a)];
      });
      expect(geometryError(polygon(...ring))).toBe('no error');
      const crossed = ring.map(([lat, lon], i): [number, number] => (i === 700 ? [lat, lon + 1.5] : [lat, lon]));
      // vertex 700 pulled across the ring: 699–700 and 700–701 cross the edges 816–817 to 850–851; the first pair is named
      expect(geometryError(polygon(...crossed))).toBe('[0].geometry.path: the polygon crosses itself (edges 699–700 and 816–817)');
    });
  });

  describe('distanceKm', () => {
    it('is the haversine distance on the mean-radius sphere', () => {
      expect(EARTH_RADIUS_KM).toBe(6371.0088);
      expect(distanceKm(0, 0, 0, 1)).toBeCloseTo(111.19508, 5);
      expect(distanceKm(0, 0, 1, 0)).toBeCloseTo(111.19508, 5);
      expect(distanceKm(90, 0, -90, 0)).toBeCloseTo(20015.1144, 4); // π R
      expect(distanceKm(0, 179.5, 0, -179.5)).toBeCloseTo(111.19508, 5);
      expect(distanceKm(60, 10, 60, 11)).toBeCloseTo(55.59701, 5); // the great circle, a little shorter than the parallel (55.5975)
      expect(distanceKm(54.6872, 25.2797, 54.6872, 25.2797)).toBe(0);
      // Land's End to John o' Groats, the textbook haversine example: 968.9 km
      expect(distanceKm(50 + 3 / 60 + 59 / 3600, -(5 + 42 / 60 + 53 / 3600), 58 + 38 / 60 + 38 / 3600, -(3 + 4 / 60 + 12 / 3600))).toBeCloseTo(968.85, 2);
    });
  });

  describe('exact tests', () => {
    const inside = (g: Geometry, p: { lat: number; lon: number }) => prepareShape(g).contains(p.lat, p.lon);

    it('circle: inside at 1.0 km, outside at 1.01 km, in every direction', () => {
      for (const [lat, lon] of [
        [54.6872, 25.2797],
        [-33.9, 18.4],
        [69.6, 18.9],
        [0, 0],
      ]) {
        const g = circle(lat, lon, 1);
        for (const bearing of [0, 45, 90, 180, 270]) {
          expect(inside(g, destination(lat, lon, bearing, 0.999))).toBe(true);
          expect(inside(g, destination(lat, lon, bearing, 1.0))).toBe(true);
          expect(inside(g, destination(lat, lon, bearing, 1.01))).toBe(false);
        }
      }
    });

    it("polygon: a concave polygon's notch is outside, its arms, edges and vertices inside", () => {
      const u = (x: number, y: number): [number, number] => [54.6 + y * 0.01, 25.2 + x * 0.01];
      const g = polygon(u(0, 0), u(0, 3), u(1, 3), u(1, 1), u(2, 1), u(2, 3), u(3, 3), u(3, 0));
      const at = (x: number, y: number) => {
        const [lat, lon] = u(x, y);
        return inside(g, { lat, lon });
      };
      expect(at(1.5, 2)).toBe(false); // the notch
      expect(at(1.5, 1.001)).toBe(false);
      expect(at(0.5, 2)).toBe(true); // an arm
      expect(at(1.5, 0.5)).toBe(true); // the base
      expect(at(1, 2)).toBe(true); // on the notch's edge
      expect(at(1.5, 1)).toBe(true); // on the notch's floor
      expect(at(1, 1)).toBe(true); // a vertex
      expect(at(3, 1.5)).toBe(true); // the outer edge
      expect(at(3.001, 1.5)).toBe(false);
      expect(at(4, 1)).toBe(false);
    });

    it('polygon: agrees with point-in-polygon-hao on random concave polygons, inside, outside and at the vertices', () => {
      const rnd = seeded(11);
      const counts = { inside: 0, outside: 0 };
      const mismatches: string[] = [];
      for (let k = 0; k < 300; k++) {
        const g = starPolygon(rnd, 54 + rnd(), 25 + rnd(), 0.5 + 5 * rnd(), 3 + Math.floor(40 * rnd()));
        if (g.type !== 'polygon') throw new Error('a polygon was expected');
        const ring = g.path.map((p) => [p.lon, p.lat]);
        ring.push(ring[0]);
        const lons = ring.map((p) => p[0]);
        const lats = ring.map((p) => p[1]);
        const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
        const probes = [...ring, ...Array.from({ length: 100 }, () => [x0 + (x1 - x0) * rnd(), y0 + (y1 - y0) * rnd()])];
        const shape = prepareShape(g);
        for (const [lon, lat] of probes) {
          const expected = pointInPolygonHao([lon, lat], [ring]) !== false;
          if (shape.contains(lat, lon) !== expected) mismatches.push(`(${lat}, ${lon}) in ${JSON.stringify(g.path)}`);
          counts[expected ? 'inside' : 'outside']++;
        }
      }
      expect(mismatches).toEqual([]);
      expect(counts.inside + counts.outside).toBeGreaterThan(30_000);
      expect(counts.inside).toBeGreaterThan(10_000);
      expect(counts.outside).toBeGreaterThan(10_000);
    });

    it('polygon: crossing the equator', () => {
      const g = polygon([-1, 10], [1, 10], [1, 12], [-1, 12]);
      expect(inside(g, { lat: 0, lon: 11 })).toBe(true);
      expect(inside(g, { lat: -0.5, lon: 11.5 })).toBe(true);
      expect(inside(g, { lat: 0.999, lon: 10.001 })).toBe(true);
      expect(inside(g, { lat: -1.001, lon: 11 })).toBe(false);
      expect(inside(g, { lat: 1.5, lon: 11 })).toBe(false);
    });

    it('corridor: round end caps', () => {
      const a = { lat: 54.6, lon: 25.2 };
      const g = corridor(2, [a.lat, a.lon], [54.6, 25.3], [54.7, 25.3]);
      expect(inside(g, destination(a.lat, a.lon, 270, 0.99))).toBe(true);
      expect(inside(g, destination(a.lat, a.lon, 270, 1.01))).toBe(false);
      expect(inside(g, destination(a.lat, a.lon, 225, 0.99))).toBe(true);
      expect(inside(g, destination(a.lat, a.lon, 225, 1.01))).toBe(false);
      const c = { lat: 54.7, lon: 25.3 };
      expect(inside(g, destination(c.lat, c.lon, 0, 0.99))).toBe(true);
      expect(inside(g, destination(c.lat, c.lon, 45, 1.01))).toBe(false);
    });

    it('corridor: sides and the bend', () => {
      const g = corridor(2, [54.6, 25.2], [54.6, 25.3], [54.7, 25.3]);
      const along = (km: number) => ({ lat: 54.6 + km / EARTH_RADIUS_KM / RAD, lon: 25.25 });
      expect(inside(g, along(0.99))).toBe(true);
      expect(inside(g, along(-0.99))).toBe(true);
      expect(inside(g, along(1.01))).toBe(false);
      expect(inside(g, along(-1.01))).toBe(false);
      // the outer corner is rounded
      expect(inside(g, destination(54.6, 25.3, 135, 0.99))).toBe(true);
      expect(inside(g, destination(54.6, 25.3, 135, 1.01))).toBe(false);
      // the inner corner: within a km of both legs
      expect(inside(g, destination(54.6, 25.3, 315, 1.3))).toBe(true);
      expect(inside(g, destination(54.6, 25.3, 315, 1.5))).toBe(false);
    });

    it('corridor: within 0.5 % of the distance to its polyline over hundreds of km', () => {
      const path: [number, number][] = [
        [60, 10],
        [61.5, 14],
        [60.5, 18],
        [63, 19],
      ];
      const reference = (lat: number, lon: number) => {
        let best = Infinity;
        for (let s = 0; s + 1 < path.length; s++) {
          const [la, lo] = path[s];
          const [lb, lob] = path[s + 1];
          for (let k = 0; k <= 20_000; k++) {
            const t = k / 20_000;
            best = Math.min(best, distanceKm(lat, lon, la + (lb - la) * t, lo + (lob - lo) * t));
          }
        }
        return best;
      };
      const rnd = seeded(7);
      for (let i = 0; i < 40; i++) {
        const lat = 59.5 + rnd() * 4;
        const lon = 9 + rnd() * 11;
        const d = reference(lat, lon);
        if (d < 1) continue;
        expect(inside(corridor(2 * d * 1.005, ...path), { lat, lon })).toBe(true);
        expect(inside(corridor(2 * d * 0.995, ...path), { lat, lon })).toBe(false);
      }
    });

    it('near ±180: circles, polygons and corridors across the meridian', () => {
      const c = circle(0, 179.99, 5);
      expect(inside(c, { lat: 0, lon: -179.99 })).toBe(true);
      expect(inside(c, { lat: 0, lon: -179.94 })).toBe(false);
      const p = polygon([-1, 179], [-1, -179], [1, -179], [1, 179]);
      for (const lon of [179.5, -179.5, 180, -180, 179, -179]) expect(inside(p, { lat: 0, lon })).toBe(true);
      for (const lon of [178.9, -178.9, 0]) expect(inside(p, { lat: 0, lon })).toBe(false);
      const r = corridor(2, [0, 179.5], [0, -179.5]);
      expect(inside(r, { lat: 0.008, lon: 180 })).toBe(true);
      expect(inside(r, { lat: 0.008, lon: -179.8 })).toBe(true);
      expect(inside(r, { lat: 0.01, lon: -179.8 })).toBe(false);
      expect(inside(r, { lat: 0, lon: 0 })).toBe(false);
    });

    it('near the poles: circles cover them', () => {
      const c = circle(89.95, 0, 20);
      expect(inside(c, { lat: 89.95, lon: 180 })).toBe(true);
      expect(inside(c, { lat: 90, lon: -123 })).toBe(true);
      expect(inside(c, { lat: 89.9, lon: 90 })).toBe(true);
      expect(inside(c, { lat: 89.7, lon: 180 })).toBe(false);
    });
  });

  describe('GeofenceIndex', () => {
    const g = (id: number, name: string, geometry: Geometry, priority = 0, enabled = true) => ({ id, name, geometry, priority, enabled, metadata: {} });

    it('answers by priority descending, then id, and leaves disabled geofences out', () => {
      const index = new GeofenceIndex([
        g(4, 'city', circle(54.68, 25.28, 10)),
        g(2, 'depot', circle(54.68, 25.28, 1), 5),
        g(3, 'yard', polygon([54.67, 25.27], [54.69, 25.27], [54.69, 25.29], [54.67, 25.29]), 5),
        g(1, 'city', circle(54.68, 25.28, 20)),
        g(5, 'off', circle(54.68, 25.28, 50), 9, false),
      ]);
      expect(index.size).toBe(4);
      expect(index.containing(54.68, 25.28).map((x) => x.id)).toEqual([2, 3, 1, 4]);
      expect(index.containing(54.68, 25.28)[0].name).toBe('depot');
      expect(index.containing(54.75, 25.28).map((x) => x.id)).toEqual([1, 4]);
      expect(index.containing(54.85, 25.28).map((x) => x.id)).toEqual([1]);
      expect(index.containing(0, 0)).toEqual([]);
      expect(index.containing(Number.NaN, 25.28)).toEqual([]);
      expect(index.containing(54.68, 385.28)).toEqual([]);
      expect(index.inside('city', 54.85, 25.28)).toBe(true);
      expect(index.inside('city', Number.NaN, 25.28)).toBe(false);
      expect(index.inside(4, 54.85, 25.28)).toBe(false);
      expect(index.inside(1, 54.85, 25.28)).toBe(true);
      expect(index.inside('off', 54.68, 25.28)).toBe(false);
      expect(index.inside(5, 54.68, 25.28)).toBe(false);
      expect(index.inside('nowhere', 54.68, 25.28)).toBe(false);
    });

    it('finds shapes across ±180 and around the poles', () => {
      const index = new GeofenceIndex([
        g(1, 'dateline', polygon([-1, 179], [-1, -179], [1, -179], [1, 179])),
        g(2, 'fiji', circle(-17, 179.99, 50)),
        g(3, 'strait', corridor(4, [65, 179], [66, -179])),
        g(4, 'pole', circle(89.95, 0, 20)),
      ]);
      expect(index.containing(0, -179.5).map((x) => x.id)).toEqual([1]);
      expect(index.containing(0, 179.5).map((x) => x.id)).toEqual([1]);
      expect(index.containing(-17, -179.8).map((x) => x.id)).toEqual([2]);
      expect(index.containing(65.5, 180).map((x) => x.id)).toEqual([3]);
      expect(index.containing(89.95, 180).map((x) => x.id)).toEqual([4]);
      expect(index.containing(89.99, -90).map((x) => x.id)).toEqual([4]);
      expect(index.inside('strait', 65.5, -180)).toBe(true);
    });

    it('gives the same answers as a brute-force scan: 2,000 random geofences × 10,000 random points', () => {
      const rnd = seeded(20_261_127);
      const between = (a: number, b: number) => a + (b - a) * rnd();
      const int = (a: number, b: number) => Math.floor(between(a, b + 1));
      // where: a busy region (many overlaps), along ±180, near the poles, anywhere
      const place = (): [number, number] => {
        const r = rnd();
        if (r < 0.6) return [between(45, 47), between(5, 8)];
        if (r < 0.75) return [between(-20, 20), wrapLon(between(178, 182))];
        if (r < 0.9) return [(rnd() < 0.5 ? 1 : -1) * between(80, 86), between(-180, 180)];
        return [between(-80, 80), between(-180, 180)];
      };
      const shape = (): Geometry => {
        const [lat, lon] = place();
        const r = rnd();
        if (r < 0.4) return circle(lat, lon, rnd() < 0.05 ? between(500, 3000) : between(0.2, 50));
        if (r < 0.8) return starPolygon(rnd, lat, lon, between(0.5, 60), int(3, 25));
        return randomCorridor(rnd, lat, lon, between(1, 40), int(2, 8), between(0.2, 20));
      };
      const fences = Array.from({ length: 2000 }, (_, i) => g(i + 1, `zone-${int(0, 299)}`, shape(), int(-2, 2), rnd() < 0.9));
      for (const f of fences) validateGeometry(f.geometry, `[${f.id - 1}].geometry`);
      const vertices = fences.flatMap((f) => (f.geometry.type === 'circle' ? [f.geometry.center] : f.geometry.path));
      const points = Array.from({ length: 10_000 }, (): [number, number] => {
        if (rnd() < 0.1) {
          const v = vertices[int(0, vertices.length - 1)];
          return [v.lat, v.lon];
        }
        if (rnd() < 0.01) return [rnd() < 0.5 ? 90 : -90, between(-180, 180)];
        return place();
      });

      const index = new GeofenceIndex(fences);
      const scan = fences
        .filter((f) => f.enabled)
        .sort((a, b) => b.priority - a.priority || a.id - b.id)
        .map((f) => ({ f, shape: prepareShape(f.geometry) }));
      expect(index.size).toBe(scan.length);
      const mismatches: string[] = [];
      let hits = 0;
      let multi = 0;
      let dateline = 0;
      let polar = 0;
      for (const [lat, lon] of points) {
        const inside = scan.filter((s) => s.shape.contains(lat, lon)).map((s) => s.f);
        const expected = inside.map((f) => f.id);
        const got = index.containing(lat, lon).map((f) => f.id);
        if (got.join() !== expected.join()) mismatches.push(`(${lat}, ${lon}): index ${got.join()} ≠ scan ${expected.join()}`);
        hits += expected.length;
        if (expected.length > 1) multi++;
        if (expected.length > 0 && Math.abs(lon) > 178) dateline++;
        if (expected.length > 0 && Math.abs(lat) > 80) polar++;
        const byName = rnd() < 0.5 && inside.length > 0 ? inside[int(0, inside.length - 1)].name : `zone-${int(0, 299)}`;
        const byId = rnd() < 0.5 && inside.length > 0 ? inside[int(0, inside.length - 1)].id : int(1, 2000);
        if (index.inside(byName, lat, lon) !== inside.some((f) => f.name === byName)) mismatches.push(`inside(${byName}, ${lat}, ${lon})`);
        if (index.inside(byId, lat, lon) !== inside.some((f) => f.id === byId)) mismatches.push(`inside(${byId}, ${lat}, ${lon})`);
      }
      expect(mismatches).toEqual([]);
      // the draw exercises what it should (seed 20261127: 337,940 hits, 7,496 points in several geofences, 1,497 by ±180, 208 polar)
      expect(hits).toBeGreaterThan(300_000);
      expect(multi).toBeGreaterThan(7_000);
      expect(dateline).toBeGreaterThan(1_000);
      expect(polar).toBeGreaterThan(150);
    });

    it('is empty without enabled geofences', () => {
      const index = new GeofenceIndex([g(1, 'off', circle(0, 0, 1), 0, false)]);
      expect(index.size).toBe(0);
      expect(index.containing(0, 0)).toEqual([]);
      expect(index.inside('off', 0, 0)).toBe(false);
    });
  });
});
