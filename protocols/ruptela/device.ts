import { CRC16, crc16 } from '../common/crc.js';
import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';
import { MessageType } from './constants.js';

const crcKermit = crc16(CRC16.KERMIT);

/**
 * The device side of Ruptela, for simulators and tests: a records message (command 1) as an
 * FM-series tracker sends it: `length u16 | IMEI u64 | 01 | records left | count | records | CRC-16/KERMIT`
 * (length and CRC over IMEI .. payload). Each record: time u32, timestamp extension, priority,
 * longitude and latitude i32 (1e-7 deg), altitude (0.1 m), angle (0.01 deg), satellites, speed
 * km/h, HDOP (0.1), event id, then IO groups of 1, 2, 4 and 8 bytes (1-byte ids). The hub answers
 * `0002 64 01 <crc>` (6 bytes).
 */
export interface RuptelaRecord {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude: number;
  readonly course: number;
  readonly satellites: number;
  readonly speed: number;
  readonly io1?: Readonly<Record<number, number>>;
  readonly io2?: Readonly<Record<number, number>>;
}

function record(r: RuptelaRecord): Buffer {
  const io1 = Object.entries(r.io1 ?? {});
  const io2 = Object.entries(r.io2 ?? {});
  const b = Buffer.alloc(23 + 1 + io1.length * 2 + 1 + io2.length * 3 + 2);
  b.writeUInt32BE(Math.floor(r.atMs / 1000), 0);
  b[4] = 0; // timestamp extension
  b[5] = 0; // priority
  b.writeInt32BE(Math.round(r.longitude * 1e7), 6);
  b.writeInt32BE(Math.round(r.latitude * 1e7), 10);
  b.writeUInt16BE(Math.round(r.altitude * 10), 14);
  b.writeUInt16BE(Math.round(r.course * 100), 16);
  b[18] = r.satellites;
  b.writeUInt16BE(Math.round(r.speed), 19);
  b[21] = 10; // HDOP 1.0
  b[22] = 0; // event id
  let at = 23;
  b[at++] = io1.length;
  for (const [id, v] of io1) {
    b[at++] = Number(id);
    b[at++] = v;
  }
  b[at++] = io2.length;
  for (const [id, v] of io2) {
    b[at++] = Number(id);
    b.writeUInt16BE(v, at);
    at += 2;
  }
  b[at++] = 0; // no 4-byte IO
  b[at++] = 0; // no 8-byte IO
  return b;
}

export function recordsPacket(imei: string, records: readonly RuptelaRecord[], left = 0): Buffer {
  const body = Buffer.concat([Buffer.alloc(8), Buffer.from([MessageType.Records, left, records.length]), ...records.map(record)]);
  body.writeBigUInt64BE(BigInt(imei), 0);
  const out = Buffer.alloc(2 + body.length + 2);
  out.writeUInt16BE(body.length, 0);
  body.copy(out, 2);
  out.writeUInt16BE(crcKermit(body), 2 + body.length);
  return out;
}

/** A simulated Ruptela tracker (hub simulate): records messages of one record, each acked (6 bytes). */
export const simulator: DeviceSimulator = {
  transports: ['tcp'],
  identFor: (n) => String(863_000_000_000_000 + n),
  report: (ident, n, seq, atMs) => recordsPacket(ident, [{ ...simFix(n, seq, atMs), io1: { 5: 1 }, io2: { 29: 12800 } }]),
  expected: (_ident, n, seq, atMs) => fixParams(simFix(n, seq, atMs), ['atMs', 'latitude', 'longitude', 'speed', 'course', 'altitude', 'satellites']),
  replyLength: (buf) => (buf.length >= 2 && buf.length >= 4 + buf.readUInt16BE(0) ? 4 + buf.readUInt16BE(0) : undefined),
  loginAcked: false,
  reportsAcked: true,
};
