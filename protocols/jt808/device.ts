import { fixParams, type SimFix, simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { DEFAULT_TZ_MINUTES, FLAG, Msg } from './constants.js';
import { type Addressee, encodeMessage } from './encoder.js';

/**
 * The device side of JT/T 808, for simulators and tests: what a terminal sends, in the same
 * envelope as the server's messages (encoder.ts `encodeMessage`, JT/T 808-2019 §4.4).
 */

/** A terminal number (phone number digits) as BCD[6], or BCD[10] for the 2019 edition. */
export function terminalOf(ident: string, version?: number): Addressee {
  const size = version === undefined ? 6 : 10;
  return { terminal: Buffer.from(ident.padStart(size * 2, '0'), 'hex'), version };
}

/** §8.8 registration (2013 layout): province, city, manufacturer[5], model[20], terminal id[7], plate colour, plate. */
export function registration(to: Addressee, serial: number, model: string, plate = ''): Buffer {
  const body = Buffer.alloc(2 + 2 + 5 + 20 + 7 + 1);
  body.writeUInt16BE(44, 0); // Guangdong
  body.writeUInt16BE(300, 2);
  body.write('HUB01', 4, 'latin1');
  body.write(model.slice(0, 20), 9, 'latin1');
  body.write('0000001', 29, 'latin1');
  body[36] = plate ? 1 : 0;
  return encodeMessage(Msg.Register, to, Buffer.concat([body, Buffer.from(plate, 'latin1')]), serial);
}

/** §8.11 authentication with the code the registration answer gave (2013: the code is the whole body). */
export function authentication(to: Addressee, serial: number, code: string): Buffer {
  return encodeMessage(Msg.Auth, to, Buffer.from(code, 'latin1'), serial);
}

/** §8.3 heartbeat (empty body). */
export function heartbeat(to: Addressee, serial: number): Buffer {
  return encodeMessage(Msg.Heartbeat, to, Buffer.alloc(0), serial);
}

/** §8.1 terminal general response to a server message. */
export function generalResponse(to: Addressee, serial: number, replySerial: number, replyType: number, result = 0): Buffer {
  const body = Buffer.alloc(5);
  body.writeUInt16BE(replySerial, 0);
  body.writeUInt16BE(replyType, 2);
  body[4] = result;
  return encodeMessage(Msg.TerminalResponse, to, body, serial);
}

export interface Jt808Fix extends SimFix {
  /** km */
  readonly mileage: number;
  readonly rssi: number;
  readonly ignition: boolean;
}

/** §8.21 body: alarm flags, status (ACC, fixed, hemispheres), lat/lon 1e-6 degree, altitude, speed 1/10 km/h, course, GMT+8 time, items 0x01, 0x30, 0x31. */
export function locationBody(fix: Jt808Fix, alarms = 0): Buffer {
  const b = Buffer.alloc(28 + 6 + 3 + 3);
  b.writeUInt32BE(alarms >>> 0, 0);
  b.writeUInt32BE((fix.ignition ? 1 : 0) | 2 | (fix.latitude < 0 ? 4 : 0) | (fix.longitude < 0 ? 8 : 0), 4);
  b.writeUInt32BE(Math.round(Math.abs(fix.latitude) * 1e6), 8);
  b.writeUInt32BE(Math.round(Math.abs(fix.longitude) * 1e6), 12);
  b.writeInt16BE(Math.round(fix.altitude), 16);
  b.writeUInt16BE(Math.round(fix.speed * 10), 18);
  b.writeUInt16BE(Math.round(fix.course) % 360, 20);
  Buffer.from(bcdTime(fix.atMs), 'hex').copy(b, 22);
  b.set([0x01, 4], 28);
  b.writeUInt32BE(Math.round(fix.mileage * 10), 30);
  b.set([0x30, 1, fix.rssi, 0x31, 1, fix.satellites], 34);
  return b;
}

/** §8.21 location report. */
export function location(to: Addressee, serial: number, fix: Jt808Fix, alarms = 0): Buffer {
  return encodeMessage(Msg.Location, to, locationBody(fix, alarms), serial);
}

/** §8.48 batch of locations (type 1: blind-area backfill). */
export function batch(to: Addressee, serial: number, fixes: readonly Jt808Fix[], backfill: boolean): Buffer {
  const head = Buffer.from([fixes.length >> 8, fixes.length & 0xff, backfill ? 1 : 0]);
  const items = fixes.map((f) => {
    const body = locationBody(f);
    return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
  });
  return encodeMessage(Msg.Batch, to, Buffer.concat([head, ...items]), serial);
}

/** YYMMDDhhmmss in GMT+8 (§8.21 time). */
function bcdTime(atMs: number): string {
  const t = new Date(atMs + DEFAULT_TZ_MINUTES * 60_000);
  const parts = [t.getUTCFullYear() % 100, t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  return parts.map((v) => String(v).padStart(2, '0')).join('');
}

/** The fix simulated device `n` reports as `seq`. */
export function simJt808Fix(n: number, seq: number, atMs: number): Jt808Fix {
  return { ...simFix(n, seq, atMs), mileage: 1000 + n + seq / 10, rssi: 25, ignition: true };
}

/**
 * A simulated JT/T 808 terminal (hub simulate): authentication 0x0102 with its number as the code,
 * then 0x0200 reports with mileage, signal and satellites, each acked with 0x8001. Its ident is an
 * 11-digit phone number (BCD[6] with a leading 0).
 */
export const simulator: DeviceSimulator = {
  transports: ['tcp', 'udp'],
  identFor: (n) => String(13_900_000_000 + n),
  login: (ident) => authentication(terminalOf(ident), 0, `0${ident}`),
  report: (ident, n, seq, atMs) => location(terminalOf(ident), seq & 0xffff, simJt808Fix(n, seq, atMs)),
  expected(_ident, n, seq, atMs): Message {
    const fix = simJt808Fix(n, seq, atMs);
    return {
      ...fixParams(fix, ['atMs', 'altitude', 'satellites', 'course']),
      'position.latitude': Math.round(fix.latitude * 1e6) / 1e6,
      'position.longitude': Math.round(fix.longitude * 1e6) / 1e6,
      'position.speed': Math.round(fix.speed * 10) / 10,
      'position.valid': true,
      'engine.ignition.status': true,
      'vehicle.mileage': Math.round(fix.mileage * 10) / 10,
      'gsm.signal.level': 25,
    };
  },
  replyLength(buf) {
    if (buf.length === 0 || buf[0] !== FLAG) return buf.length > 0 ? 1 : undefined;
    const end = buf.indexOf(FLAG, 1);
    return end < 0 ? undefined : end + 1;
  },
  loginAcked: true,
  reportsAcked: true,
};
