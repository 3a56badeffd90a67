import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
import { HEARTBEAT_REPLY, LOGIN_REPLY } from './constants.js';

/**
 * The device side of GPS103, for simulators and tests: the sentences a Coban tracker sends (§1
 * login, §2 heartbeat, §4.1 location report). The report's date is the tracker's local time (its
 * time zone setting), the time of day UTC, the speed in knots.
 */
export interface Gps103Fix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly speedKnots: number;
  readonly course: number;
  readonly altitude?: number;
  readonly ignition?: boolean;
  readonly door?: boolean;
}

export interface ReportOptions {
  readonly keyword?: string;
  /** The tracker's time zone, minutes east of UTC (its local date and hour go in field 2). */
  readonly offsetMinutes?: number;
  readonly phone?: string;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** §1 `##,imei:<IMEI>,A;`, answered `LOAD`. */
export function login(imei: string): Buffer {
  return Buffer.from(`##,imei:${imei},A;`, 'latin1');
}

/** §2 `<IMEI>;`, answered `ON`. */
export function heartbeat(imei: string): Buffer {
  return Buffer.from(`${imei};`, 'latin1');
}

/** Degrees as (d)ddmm.mmmm with its hemisphere letter. */
function degreesMinutes(deg: number, width: number, hemispheres: string): string {
  const tenThousandths = Math.round(Math.abs(deg) * 600000);
  const d = Math.floor(tenThousandths / 600000);
  const minutes = (tenThousandths % 600000) / 10000;
  return `${String(d).padStart(width, '0')}${minutes.toFixed(4).padStart(7, '0')},${deg >= 0 ? hemispheres[0] : hemispheres[1]}`;
}

/** §4.1 `imei:<IMEI>,<keyword>,<local yymmddhhmmss>,<phone>,F,<UTC hhmmss.sss>,A,lat,N,lon,E,knots,course,alt,acc,door,,,;` */
export function report(imei: string, fix: Gps103Fix, options: ReportOptions = {}): Buffer {
  const local = new Date(fix.atMs + (options.offsetMinutes ?? 0) * 60000);
  const utc = new Date(fix.atMs);
  const localText = [
    local.getUTCFullYear() % 100,
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ]
    .map(two)
    .join('');
  const utcText = `${two(utc.getUTCHours())}${two(utc.getUTCMinutes())}${two(utc.getUTCSeconds())}.${String(utc.getUTCMilliseconds()).padStart(3, '0')}`;
  const flag = (b: boolean | undefined) => (b === undefined ? '' : b ? '1' : '0');
  const fields = [
    `imei:${imei}`,
    options.keyword ?? 'tracker',
    localText,
    options.phone ?? '',
    'F',
    utcText,
    'A',
    degreesMinutes(fix.latitude, 2, 'NS'),
    degreesMinutes(fix.longitude, 3, 'EW'),
    fix.speedKnots.toFixed(2),
    fix.course.toFixed(2),
    fix.altitude === undefined ? '' : fix.altitude.toFixed(1),
    flag(fix.ignition),
    flag(fix.door),
    '',
    '',
    '',
  ];
  return Buffer.from(`${fields.join(',')};`, 'latin1');
}

/** The simulated trackers' clocks run at UTC+3 (the decoder recovers UTC from the report's own UTC time of day). */
const SIM_OFFSET_MINUTES = 180;
const knots = (kmh: number): number => Number((kmh / 1.852).toFixed(2));

/** A simulated Coban tracker (hub simulate): login answered `LOAD`, then location reports (not acked). */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(359_710_000_000_000 + n),
  login: (ident) => login(ident),
  report: (ident, n, seq, atMs) => {
    const fix = simFix(n, seq, atMs);
    return report(ident, { ...fix, speedKnots: knots(fix.speed), ignition: true, door: false }, { offsetMinutes: SIM_OFFSET_MINUTES });
  },
  expected: (_ident, n, seq, atMs) => {
    const fix = simFix(n, seq, atMs);
    return {
      ...fixParams(fix, ['atMs', 'latitude', 'longitude', 'course', 'altitude']),
      timestamp: Math.floor(atMs / 1000) + (atMs % 1000) / 1000,
      'report.type': 'tracker',
      'position.valid': true,
      'position.speed': Math.round(knots(fix.speed) * 1.852 * 1000) / 1000,
      'engine.ignition.status': true,
      'door.status': false,
    };
  },
  replyLength: (buf) => {
    for (const reply of [LOGIN_REPLY, HEARTBEAT_REPLY]) if (buf.length >= reply.length && buf.subarray(0, reply.length).equals(reply)) return reply.length;
    const end = buf.indexOf(0x3b); // `**,imei:<IMEI>,E;`
    return buf[0] === 0x2a && end >= 0 ? end + 1 : undefined;
  },
  loginAcked: true,
  reportsAcked: false,
};
