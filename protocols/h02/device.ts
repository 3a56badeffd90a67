import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
/**
 * The device side of H02, for simulators and tests: the V1 position report as a tracker sends it,
 * `*HQ,<id>,V1,hhmmss,A,DDMM.MMMM,N,DDDMM.MMMM,E,speed(knots),course,DDMMYY,status#`. The hub
 * answers a V1 with `*HQ,<id>,V4,V1,<YYYYMMDDhhmmss>#`.
 */
export interface H02Fix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly speedKnots: number;
  readonly course: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Degrees as (D)DDMM.MMMM. */
function dm(deg: number, width: number): string {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  const m = (a - d) * 60;
  return String(d).padStart(width, '0') + m.toFixed(4).padStart(7, '0');
}

export function v1Report(id: string, fix: H02Fix, status = 'FFFFFBFF'): Buffer {
  const t = new Date(fix.atMs);
  const time = two(t.getUTCHours()) + two(t.getUTCMinutes()) + two(t.getUTCSeconds());
  const date = two(t.getUTCDate()) + two(t.getUTCMonth() + 1) + two(t.getUTCFullYear() % 100);
  const lat = `${dm(fix.latitude, 2)},${fix.latitude >= 0 ? 'N' : 'S'}`;
  const lon = `${dm(fix.longitude, 3)},${fix.longitude >= 0 ? 'E' : 'W'}`;
  return Buffer.from(`*HQ,${id},V1,${time},A,${lat},${lon},${fix.speedKnots.toFixed(2)},${Math.round(fix.course)},${date},${status}#`, 'latin1');
}

/** Heartbeat `*HQ,<id>,HTBT,<battery>#` (echoed by the hub, not stored). */
export function heartbeat(id: string, battery = 100): Buffer {
  return Buffer.from(`*HQ,${id},HTBT,${battery}#`, 'latin1');
}

/** A simulated H02 tracker (hub simulate): V1 reports, each answered with a V4 text reply. */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(4_210_000_000 + n),
  report: (ident, n, seq, atMs) => v1Report(ident, { ...simFix(n, seq, atMs), speedKnots: 20 }),
  expected: (_ident, n, seq, atMs) => ({ ...fixParams(simFix(n, seq, atMs)), 'position.speed': 20 * 1.852 }),
  replyLength: (buf) => {
    const end = buf.indexOf(0x23); // '#'
    return end < 0 ? undefined : end + 1;
  },
  loginAcked: false,
  reportsAcked: true,
};
