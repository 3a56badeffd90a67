import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { Marker } from './constants.js';
import { envelope } from './encoder.js';

/**
 * The device side of the watch protocol, for simulators and tests: the frames a SeTracker watch
 * sends (Part I §1 LK, §2 UD / §3 UD2 / §4 AL with the Appendix I location data). The hub answers
 * LK with `LK` and AL with `AL`; UD and UD2 get no answer.
 */
export interface WatchFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  /** km/h */
  readonly speed: number;
  readonly course: number;
  readonly altitude: number;
  readonly satellites: number;
  readonly gsm?: number;
  readonly battery?: number;
  readonly steps?: number;
  readonly turnovers?: number;
  /** Appendix I device status word (bit 16 SOS, 20 taken off...). */
  readonly status?: number;
  /** Serving and neighbour cells: MCC, MNC, then LAC, cell id, RSSI each. */
  readonly cells?: { readonly mcc: number; readonly mnc: number; readonly list: readonly (readonly [lac: number, cid: number, rssi: number])[] };
}

export interface FrameOptions {
  readonly maker?: string;
  /** The index field of ZJ units. */
  readonly index?: string;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** A frame `[<maker>*<id>*<len>*<content>]` with the watch's text content. */
export function watchFrame(id: string, content: string, options: FrameOptions = {}): Buffer {
  return envelope(options.maker ?? '3G', id, options.index, Buffer.from(content, 'utf8'));
}

/** Part I §1: `LK` alone, or `LK,<steps>,<turnovers>,<battery %>`. */
export function keepAlive(id: string, values?: { steps: number; turnovers: number; battery: number }, options: FrameOptions = {}): Buffer {
  return watchFrame(id, values ? `LK,${values.steps},${values.turnovers},${values.battery}` : 'LK', options);
}

/** Part I §2 `UD,<Appendix I location data>` (type `UD2`, `AL`, `UD_LTE`... with `type`). */
export function location(id: string, fix: WatchFix, type = 'UD', options: FrameOptions = {}): Buffer {
  const t = new Date(fix.atMs);
  const date = two(t.getUTCDate()) + two(t.getUTCMonth() + 1) + two(t.getUTCFullYear() % 100);
  const time = two(t.getUTCHours()) + two(t.getUTCMinutes()) + two(t.getUTCSeconds());
  const cells = fix.cells ? [fix.cells.list.length, 1, fix.cells.mcc, fix.cells.mnc, ...fix.cells.list.flat()] : [0];
  const fields = [
    type,
    date,
    time,
    'A',
    Math.abs(fix.latitude).toFixed(6),
    fix.latitude < 0 ? 'S' : 'N',
    Math.abs(fix.longitude).toFixed(7),
    fix.longitude < 0 ? 'W' : 'E',
    fix.speed.toFixed(2),
    fix.course.toFixed(1),
    fix.altitude.toFixed(1),
    fix.satellites,
    fix.gsm ?? 100,
    fix.battery ?? 100,
    fix.steps ?? 0,
    fix.turnovers ?? 0,
    (fix.status ?? 0).toString(16).padStart(8, '0'),
    ...cells,
    0, // Wi-Fi access points
  ];
  return watchFrame(id, fields.join(','), options);
}

/** What the simulated watch `n` reports at `seq` (battery drains, steps grow). */
function simulated(n: number, seq: number, atMs: number): WatchFix {
  return { ...simFix(n, seq, atMs), battery: 90 - (seq % 50), steps: seq * 12, turnovers: 0, cells: { mcc: 246, mnc: 1, list: [[200, 13242758 + n, 51]] } };
}

/** A simulated SeTracker watch (hub simulate): LK (answered LK), then UD reports (not answered). */
export const simulator: DeviceSimulator = {
  transports: ['tcp'],
  identFor: (n) => String(8_800_000_000 + n),
  login: (ident) => keepAlive(ident),
  report: (ident, n, seq, atMs) => location(ident, simulated(n, seq, atMs)),
  expected: (_ident, n, seq, atMs): Message => {
    const fix = simulated(n, seq, atMs);
    return {
      ...fixParams(fix, ['atMs', 'latitude', 'longitude', 'speed', 'course', 'altitude', 'satellites']),
      'report.type': 'UD',
      'position.valid': true,
      'gsm.signal.level': 100,
      'battery.level': fix.battery ?? 100,
      'watch.steps': fix.steps ?? 0,
      'watch.turnovers': 0,
      'watch.status': 0,
      'battery.low.status': false,
      'watch.geofence.outside.status': false,
      'watch.geofence.inside.status': false,
      'movement.status': true,
      'watch.cell.ta': 1,
      'gsm.mcc': 246,
      'gsm.mnc': 1,
      'gsm.lac': 200,
      'gsm.cellid': 13242758 + n,
      'gsm.cells': [[200, 13242758 + n, 51]],
    };
  },
  replyLength: (buf) => {
    const end = buf.indexOf(Marker.Close);
    return end < 0 ? undefined : end + 1;
  },
  loginAcked: true,
  reportsAcked: false,
};
