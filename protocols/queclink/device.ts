import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
/**
 * The device side of Queclink @Track, for simulators and tests: a GV300-family `+RESP:GTFRI`
 * fixed report (one fix) and the `+ACK:GTHBD` heartbeat. The hub answers a heartbeat with
 * `+SACK:GTHBD,<version>,<count>$`, and reports with `+SACK:<count>$` only when the channel's
 * `ack` setting is on.
 */
export interface QueclinkFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number;
  readonly course: number;
  readonly altitude: number;
}

/** Protocol version of a GV300 (family 06). */
export const GV300_VERSION = '060100';

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
const count = (n: number): string => (n & 0xffff).toString(16).toUpperCase().padStart(4, '0');

export function friReport(imei: string, fix: QueclinkFix, seq: number, version = GV300_VERSION): Buffer {
  const gps = `1,${fix.speed.toFixed(1)},${Math.round(fix.course)},${fix.altitude.toFixed(1)},${fix.longitude.toFixed(6)},${fix.latitude.toFixed(6)},${stamp(fix.atMs)},0246,0001,18d8,6141,00`;
  return Buffer.from(`+RESP:GTFRI,${version},${imei},,,10,1,${gps},2000.0,,,,80,210100,,,,${stamp(fix.atMs)},${count(seq)}$`, 'latin1');
}

export function heartbeat(imei: string, atMs: number, seq: number, version = GV300_VERSION): Buffer {
  return Buffer.from(`+ACK:GTHBD,${version},${imei},,${stamp(atMs)},${count(seq)}$`, 'latin1');
}

/** A simulated Queclink tracker (hub simulate): GTFRI reports (acked only with the channel setting `ack`). */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(862_000_000_000_000 + n),
  report: (ident, n, seq, atMs) => friReport(ident, simFix(n, seq, atMs), seq),
  expected: (_ident, n, seq, atMs) => fixParams(simFix(n, seq, atMs), ['atMs', 'latitude', 'longitude', 'speed', 'course', 'altitude']),
  replyLength: (buf) => {
    const end = buf.indexOf(0x24); // '$'
    return end < 0 ? undefined : end + 1;
  },
  loginAcked: false,
  reportsAcked: false,
};
