import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
/**
 * The device side of Wialon IPS 1.1, for simulators and tests: login `#L#<imei>;<password>`
 * (answered `#AL#1`), data `#D#date;time;lat;N;lon;E;speed;course;height;sats;hdop;inputs;
 * outputs;adc;ibutton;params` (answered `#AD#1`), ping `#P#` (answered `#AP#`). Over UDP the
 * identity goes in front: `<imei>#D#...`. Lines end with CR LF.
 */
export interface WialonFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  /** km/h */
  readonly speed: number;
  readonly course: number;
  readonly altitude: number;
  readonly satellites: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

function dm(deg: number, width: number): string {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  return String(d).padStart(width, '0') + ((a - d) * 60).toFixed(4).padStart(7, '0');
}

export function loginPacket(imei: string, password = 'NA'): Buffer {
  return Buffer.from(`#L#${imei};${password}\r\n`, 'latin1');
}

export function pingPacket(): Buffer {
  return Buffer.from('#P#\r\n', 'latin1');
}

/** A `#D#` packet; with `udpIdent`, the 1.1 UDP form `<imei>#D#...`. */
export function dataPacket(fix: WialonFix, udpIdent?: string): Buffer {
  const t = new Date(fix.atMs);
  const date = two(t.getUTCDate()) + two(t.getUTCMonth() + 1) + two(t.getUTCFullYear() % 100);
  const time = two(t.getUTCHours()) + two(t.getUTCMinutes()) + two(t.getUTCSeconds());
  const pos = `${dm(fix.latitude, 2)};${fix.latitude >= 0 ? 'N' : 'S'};${dm(fix.longitude, 3)};${fix.longitude >= 0 ? 'E' : 'W'}`;
  const body = `${date};${time};${pos};${Math.round(fix.speed)};${Math.round(fix.course)};${Math.round(fix.altitude)};${fix.satellites};1.0;0;0;NA;NA;pwr_ext:2:12.8`;
  return Buffer.from(`${udpIdent ?? ''}#D#${body}\r\n`, 'latin1');
}

/** A simulated Wialon IPS tracker (hub simulate): login, then data packets, each answered `#AD#1`. */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => `wips${100_000 + n}`,
  login: (ident) => loginPacket(ident),
  report: (ident, n, seq, atMs, transport) => dataPacket(simFix(n, seq, atMs), transport === 'udp' ? ident : undefined),
  expected: (_ident, n, seq, atMs) => ({
    ...fixParams(simFix(n, seq, atMs), ['atMs', 'latitude', 'longitude', 'speed', 'course', 'altitude', 'satellites']),
    'external.powersource.voltage': 12.8,
  }),
  replyLength: (buf) => {
    const end = buf.indexOf('\r\n');
    return end < 0 ? undefined : end + 2;
  },
  loginAcked: true,
  reportsAcked: true,
};
