/**
 * Geofence lookups (task: geofence geometry and the spatial index). 10,000 polygons of 20–200
 * points, 0.2–5 km across, and 10,000 circles of the same sizes, spread over a country-size box
 * (lat 47–55, lon 5–15, about 890 × 700 km; 60 % of them in 30 cities of 25 km radius), looked up on one core:
 * positions/s for a realistic stream (60 % in the cities, 40 % anywhere) and for a worst case where
 * every position lies in some geofence's bounding box (so every lookup runs an exact test); index
 * build time; validation of the largest polygon. Writes bench/results/geofences.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { GeofenceIndex, type IndexableGeofence, validateGeometry } from '../core/geofences/index.js';
import type { Geometry } from '../core/schemas/geofences.js';
import { seeded, starPolygon } from '../test/helpers/geofences.js';
import { fmt, opsPerSecond, table } from './lib/measure.js';

const COUNT = 10_000;
const POSITIONS = 100_000;
const TARGET = 200_000;
const BOX = { minLat: 47, maxLat: 55, minLon: 5, maxLon: 15 };
const KM_PER_DEG = 111.19508;

type Where = () => [number, number];

function places(rnd: () => number): Where {
  const between = (a: number, b: number) => a + (b - a) * rnd();
  const cities = Array.from({ length: 30 }, () => [between(BOX.minLat + 0.5, BOX.maxLat - 0.5), between(BOX.minLon + 0.5, BOX.maxLon - 0.5)]);
  return () => {
    if (rnd() < 0.4) return [between(BOX.minLat, BOX.maxLat), between(BOX.minLon, BOX.maxLon)];
    // a city: anywhere within 25 km of its center
    const [lat, lon] = cities[Math.floor(rnd() * cities.length)];
    const r = (25 * Math.sqrt(rnd())) / KM_PER_DEG;
    const a = rnd() * 2 * Math.PI;
    return [lat + r * Math.sin(a), lon + (r * Math.cos(a)) / Math.cos((lat * Math.PI) / 180)];
  };
}

function geofences(kind: 'polygon' | 'circle', seed: number): IndexableGeofence[] {
  const rnd = seeded(seed);
  const where = places(rnd);
  return Array.from({ length: COUNT }, (_, i) => {
    const [lat, lon] = where();
    const radius = 0.1 + 2.4 * rnd(); // 0.2–5 km across
    const geometry: Geometry =
      kind === 'circle' ? { type: 'circle', center: { lat, lon }, radius } : starPolygon(rnd, lat, lon, radius, 20 + Math.floor(181 * rnd()));
    return { id: i + 1, name: `${kind}-${i + 1}`, geometry, priority: 0, enabled: true };
  });
}

/** Median build time in ms over a few builds. */
function buildMs(list: readonly IndexableGeofence[]): number {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    new GeofenceIndex(list);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Number(times[2].toFixed(1));
}

/** Lookups per second over the positions, cycling through them 1,000 at a time. */
function lookupsPerSecond(index: GeofenceIndex, positions: Float64Array): number {
  const n = positions.length / 2;
  let at = 0;
  return Math.round(
    opsPerSecond(
      () => {
        let hits = 0;
        for (let k = 0; k < 1000; k++) {
          hits += index.containing(positions[2 * at], positions[2 * at + 1]).length;
          at = at + 1 === n ? 0 : at + 1;
        }
        return hits;
      },
      { ms: 500, rounds: 5, warmupMs: 300 },
    ) * 1000,
  );
}

function stream(rnd: () => number): Float64Array {
  const where = places(rnd);
  const out = new Float64Array(2 * POSITIONS);
  for (let i = 0; i < POSITIONS; i++) [out[2 * i], out[2 * i + 1]] = where();
  return out;
}

/** Positions each drawn inside the bounding box of a random geofence. */
function inBoxes(rnd: () => number, list: readonly IndexableGeofence[]): Float64Array {
  const out = new Float64Array(2 * POSITIONS);
  for (let i = 0; i < POSITIONS; i++) {
    const g = list[Math.floor(rnd() * list.length)].geometry;
    const pts = g.type === 'circle' ? [g.center] : g.path;
    const lats = pts.map((p) => p.lat);
    const lons = pts.map((p) => p.lon);
    const pad = g.type === 'circle' ? g.radius / KM_PER_DEG : 0;
    const padLon = pad / Math.cos((lats[0] * Math.PI) / 180);
    out[2 * i] = Math.min(...lats) - pad + (Math.max(...lats) - Math.min(...lats) + 2 * pad) * rnd();
    out[2 * i + 1] = Math.min(...lons) - padLon + (Math.max(...lons) - Math.min(...lons) + 2 * padLon) * rnd();
  }
  return out;
}

function hitsPerLookup(index: GeofenceIndex, positions: Float64Array): number {
  let hits = 0;
  for (let i = 0; i < positions.length; i += 2) hits += index.containing(positions[i], positions[i + 1]).length;
  return Number(((2 * hits) / positions.length).toFixed(3));
}

function validateMs(): number {
  const ring = Array.from({ length: 1024 }, (_, i) => {
    const a = (2 * Math.PI * i) / 1024;
    const r = i % 2 === 0 ? 1 : 0.9;
    return { lat: 50 + r * Math.sin(a), lon: 10 + r * Math.cos(a) };
  });
  const geometry: Geometry = { type: 'polygon', path: ring };
  return Number((1000 / opsPerSecond(() => validateGeometry(geometry, 'bench'), { ms: 300, rounds: 3, warmupMs: 200 })).toFixed(2));
}

export function run(): Record<string, unknown> {
  const out: Record<string, unknown> = { geofences: COUNT, box: BOX, positions: POSITIONS, target_lookups_per_s: TARGET };
  const rows: (string | number)[][] = [];
  for (const kind of ['polygon', 'circle'] as const) {
    const list = geofences(kind, kind === 'polygon' ? 1 : 2);
    const index = new GeofenceIndex(list);
    const rnd = seeded(3);
    const realistic = stream(rnd);
    const worst = inBoxes(rnd, list);
    const r = {
      build_ms: buildMs(list),
      vertices: list.reduce((n, g) => n + (g.geometry.type === 'polygon' ? g.geometry.path.length : 1), 0),
      lookups_per_s: { realistic: lookupsPerSecond(index, realistic), in_boxes: lookupsPerSecond(index, worst) },
      hits_per_lookup: { realistic: hitsPerLookup(index, realistic), in_boxes: hitsPerLookup(index, worst) },
    };
    out[`${kind}s`] = r;
    rows.push([`${kind}s`, r.build_ms, fmt(r.lookups_per_s.realistic), r.hits_per_lookup.realistic, fmt(r.lookups_per_s.in_boxes), r.hits_per_lookup.in_boxes]);
  }
  out.validate_1024_point_polygon_ms = validateMs();
  out.load_average_1m = Number(loadavg()[0].toFixed(2));
  console.log(
    `\nGeofence lookups, ${fmt(COUNT)} geofences over a ${BOX.maxLat - BOX.minLat}° × ${BOX.maxLon - BOX.minLon}° box, one core (target ${fmt(TARGET)}/s)`,
  );
  console.log(table(['geofences', 'build ms', 'lookups/s', 'hits/lookup', 'lookups/s, all in a box', 'hits/lookup'], rows));
  console.log(`validating a 1024-point polygon: ${out.validate_1024_point_polygon_ms} ms; load average ${out.load_average_1m}`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = run();
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/geofences.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
}
