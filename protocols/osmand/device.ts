import type { HttpRequest } from './request.js';

/**
 * The device side of OsmAnd / Traccar Client, for simulators and tests: one position as the HTTP
 * request the app sends (query parameters on `/`), in the listener's frame shape. The hub answers
 * 200 with an empty body, or with a queued command's text.
 */
export interface OsmandFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  /** knots, as the app sends */
  readonly speed: number;
  readonly bearing: number;
  readonly altitude?: number;
  readonly battery?: number;
}

export function positionRequest(id: string, fix: OsmandFix, method: 'GET' | 'POST' = 'POST'): HttpRequest {
  const q = new URLSearchParams({
    id,
    timestamp: String(Math.floor(fix.atMs / 1000)),
    lat: fix.latitude.toFixed(6),
    lon: fix.longitude.toFixed(6),
    speed: fix.speed.toFixed(1),
    bearing: String(Math.round(fix.bearing)),
    altitude: String(fix.altitude ?? 0),
    batt: String(fix.battery ?? 90),
  });
  return { method, path: `/?${q.toString()}`, headers: {}, body: '' };
}

/** A simulated Traccar Client (hub simulate): one request per report, answered 200. */
export const simulator = {
  transports: ['http'] as const,
  identFor: (n: number): string => `osm${100_000 + n}`,
  request: (ident: string, n: number, seq: number, atMs: number): HttpRequest =>
    positionRequest(ident, { atMs, latitude: 54.6 + (n % 1000) * 1e-3, longitude: 25.2 + seq * 1e-5, speed: 10, bearing: (seq * 7) % 360 }),
  loginAcked: false,
  reportsAcked: true,
};
