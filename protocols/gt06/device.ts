import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
import { Msg } from './constants.js';
import { encodePacket } from './encoder.js';

/**
 * The device side of GT06 (Concox), for simulators and tests: what a tracker sends. Every packet
 * is `7878 len type content serial CRC-ITU 0D0A`, the same envelope as the server's (encodePacket).
 */
export interface Gt06Fix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number;
  readonly course: number;
  readonly satellites: number;
}

/** Login 0x01: the IMEI as 8 BCD bytes (leading 0 nibble). Answered with a 10-byte ack. */
export function login(imei: string, serial: number): Buffer {
  return encodePacket(Msg.Login, serial, Buffer.from(imei.padStart(16, '0'), 'hex'));
}

/**
 * GPS+LBS 0x12: time (YY MM DD hh mm ss, UTC), GPS length/satellites, latitude and longitude in
 * 1/1,800,000 degree, speed km/h, course/status (bit 12 fixed, bit 10 north, bit 11 west), then a
 * cell (MCC, MNC, LAC, cell id). Answered with a 10-byte ack.
 */
export function location(fix: Gt06Fix, serial: number): Buffer {
  const b = Buffer.alloc(6 + 1 + 4 + 4 + 1 + 2 + 8);
  const t = new Date(fix.atMs);
  b.set([t.getUTCFullYear() % 100, t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()], 0);
  b[6] = 0xc0 | (fix.satellites & 0x0f);
  b.writeUInt32BE(Math.round(Math.abs(fix.latitude) * 1_800_000), 7);
  b.writeUInt32BE(Math.round(Math.abs(fix.longitude) * 1_800_000), 11);
  b[15] = Math.min(255, Math.round(fix.speed));
  const flags = 0x1000 | (fix.latitude >= 0 ? 0x0400 : 0) | (fix.longitude < 0 ? 0x0800 : 0) | (Math.round(fix.course) & 0x03ff);
  b.writeUInt16BE(flags, 16);
  b.writeUInt16BE(246, 18); // MCC
  b[20] = 1; // MNC
  b.writeUInt16BE(110, 21); // LAC
  b.writeUIntBE(21978, 23, 3); // cell id
  return encodePacket(Msg.GpsLbs1, serial, b);
}

/** A simulated GT06 tracker (hub simulate): login, then GPS+LBS packets, each acked (10 bytes). */
export const simulator: DeviceSimulator = {
  transports: ['tcp'],
  identFor: (n) => String(864_000_000_000_000 + n),
  login: (ident) => login(ident, 1),
  report: (_ident, n, seq, atMs) => location({ ...simFix(n, seq, atMs), satellites: 8 }, (seq + 2) & 0xffff),
  expected: (_ident, n, seq, atMs) => ({ ...fixParams(simFix(n, seq, atMs)), 'position.satellites': 8 }),
  replyLength: (buf) => (buf.length >= 10 ? 10 : undefined),
  loginAcked: true,
  reportsAcked: true,
};
