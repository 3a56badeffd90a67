import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
import type { HttpRequest } from './packet.js';

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
export const simulator: DeviceSimulator = {
  transports: ['http'],
  identFor: (n) => `osm${100_000 + n}`,
  request: (ident, n, seq, atMs) => {
    const fix = simFix(n, seq, atMs);
    return positionRequest(ident, { atMs, latitude: fix.latitude, longitude: fix.longitude, speed: 10, bearing: fix.course });
  },
  expected: (_ident, n, seq, atMs) => ({ ...fixParams(simFix(n, seq, atMs)), 'position.speed': 10 * 1.852 }),
  loginAcked: false,
  reportsAcked: true,
};
