import type { Geometry, LatLon } from '../../core/schemas/geofences.js';

/** A seeded generator of uniform numbers in [0, 1) (mulberry32): the same seed, the same geofences. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KM_PER_DEG = 111.19508;

/** A longitude brought into -180..180. */
export function wrapLon(lon: number): number {
  return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
}

/**
 * A simple polygon of `points` vertices around (lat, lon), within `radiusKm`: a star whose rays at
 * increasing angles have random lengths (between 30 % and 100 % of the radius), so it is concave
 * but never crosses itself. Longitudes past ±180 are wrapped, as a user would send them.
 */
export function starPolygon(rnd: () => number, lat: number, lon: number, radiusKm: number, points: number): Geometry {
  const angles = Array.from({ length: points }, (_, i) => ((i + 0.1 + 0.8 * rnd()) / points) * 2 * Math.PI);
  const cos = Math.cos((lat * Math.PI) / 180);
  const path: LatLon[] = angles.map((a) => {
    const r = (radiusKm * (0.3 + 0.7 * rnd())) / KM_PER_DEG;
    return { lat: lat + r * Math.sin(a), lon: wrapLon(lon + (r * Math.cos(a)) / cos) };
  });
  return { type: 'polygon', path };
}

/** A corridor of `points` vertices wandering from (lat, lon) in steps of up to `stepKm`. */
export function randomCorridor(rnd: () => number, lat: number, lon: number, stepKm: number, points: number, width: number): Geometry {
  const path: LatLon[] = [{ lat, lon }];
  for (let i = 1; i < points; i++) {
    const prev = path[i - 1];
    const step = (stepKm * (0.2 + 0.8 * rnd())) / KM_PER_DEG;
    const a = rnd() * 2 * Math.PI;
    const nextLat = Math.max(-89, Math.min(89, prev.lat + step * Math.sin(a)));
    path.push({ lat: nextLat, lon: wrapLon(prev.lon + (step * Math.cos(a)) / Math.cos((prev.lat * Math.PI) / 180)) });
  }
  return { type: 'corridor', path, width };
}
