import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { HANDSHAKE_BODY, Marker, MessageType } from './constants.js';

/**
 * The device side of TK103, for simulators and tests: the serial-dialect frames a TK103/GT02 unit
 * sends (§3.2.1 handshake, §3.2.2 login, §3.2.4 alarm, §3.2.6 position), each with the §2
 * location data: `yymmdd` `A` `ddmm.mmmm` `N` `dddmm.mmmm` `E` speed (km/h, 5) `hhmmss` course (6)
 * IO state (8) `L` + mileage (m, 8 hex digits), all UTC.
 */
export interface Tk103Fix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  /** km/h */
  readonly speed: number;
  readonly course: number;
  readonly valid?: boolean;
  /** §2 IO state, 8 characters (default `01000000`: main power connected, ACC on). */
  readonly state?: string;
  /** Mileage, m. */
  readonly mileage?: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Degrees as (d)ddmm.mmmm with the hemisphere letter after it. */
function degreesMinutes(deg: number, width: number, hemispheres: string): string {
  const tenThousandths = Math.round(Math.abs(deg) * 600000);
  const d = Math.floor(tenThousandths / 600000);
  const minutes = (tenThousandths % 600000) / 10000;
  return `${String(d).padStart(width, '0')}${minutes.toFixed(4).padStart(7, '0')}${deg >= 0 ? hemispheres[0] : hemispheres[1]}`;
}

/** §2 location data. */
export function locationData(fix: Tk103Fix): string {
  const t = new Date(fix.atMs);
  const date = two(t.getUTCFullYear() % 100) + two(t.getUTCMonth() + 1) + two(t.getUTCDate());
  const time = two(t.getUTCHours()) + two(t.getUTCMinutes()) + two(t.getUTCSeconds());
  const speed = Math.min(fix.speed, 999.9).toFixed(1).padStart(5, '0');
  const course = fix.course.toFixed(2).padStart(6, '0');
  const mileage = Math.round(fix.mileage ?? 0)
    .toString(16)
    .toUpperCase()
    .padStart(8, '0');
  const lat = degreesMinutes(fix.latitude, 2, 'NS');
  const lon = degreesMinutes(fix.longitude, 3, 'EW');
  return `${date}${fix.valid === false ? 'V' : 'A'}${lat}${lon}${speed}${time}${course}${fix.state ?? '01000000'}L${mileage}`;
}

const frame = (serial: string, type: string, body: string): Buffer => Buffer.from(`(${serial}${type}${body})`, 'latin1');

/** §3.2.1 handshake `(<serial>BP00<IMEI>HSO)`, answered `(<serial>AP01HSO)`. */
export function handshake(serial: string, imei = ''): Buffer {
  return frame(serial, MessageType.Handshake, `${imei}${HANDSHAKE_BODY}`);
}

/** §3.2.2 login `(<serial>BP05<IMEI><location data>)`, answered `(<serial>AP05)`. */
export function login(serial: string, imei: string, fix: Tk103Fix): Buffer {
  return frame(serial, MessageType.Login, `${imei}${locationData(fix)}`);
}

/** §3.2.6 periodic position (BR00), or another type whose body is the location data alone (BP04, BR02). */
export function position(serial: string, fix: Tk103Fix, type: string = MessageType.Position): Buffer {
  return frame(serial, type, locationData(fix));
}

/** §3.2.4 alarm `(<serial>BO01<code><location data>)`, answered `(<serial>AS01<code>)`. */
export function alarm(serial: string, code: number, fix: Tk103Fix): Buffer {
  return frame(serial, MessageType.Alarm, `${code}${locationData(fix)}`);
}

/** The simulated unit's IO state: main power connected, ACC on, no inputs, fuel `n mod 256`. */
const simState = (n: number): string => `01000${(n % 256).toString(16).toUpperCase().padStart(3, '0')}`;
const simMileage = (seq: number): number => seq * 500;

/** A simulated TK103 (hub simulate): a BP00 handshake answered AP01HSO, then BR00 positions (not acked). */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(13_000_000_000 + n).padStart(12, '0'),
  login: (ident) => handshake(ident),
  report: (ident, n, seq, atMs) => position(ident, { ...simFix(n, seq, atMs), state: simState(n), mileage: simMileage(seq) }),
  expected: (_ident, n, seq, atMs): Message => ({
    ...fixParams(simFix(n, seq, atMs)),
    'report.type': MessageType.Position,
    'position.valid': true,
    'tk103.status': simState(n),
    'battery.charging.status': true,
    'engine.ignition.status': true,
    'din.2': false,
    'tk103.panic': false,
    'dout.2': false,
    'engine.blocked.status': false,
    'door.status': false,
    'fuel.level': n % 256,
    'vehicle.mileage': simMileage(seq) / 1000,
  }),
  replyLength: (buf) => {
    const end = buf.indexOf(Marker.Close);
    return buf[0] === Marker.Open && end >= 0 ? end + 1 : undefined;
  },
  loginAcked: true,
  reportsAcked: false,
};
