import { CRC16, crc16 } from '../common/crc.js';
import { fixParams, simFix } from '../common/simulation.js';
import type { DeviceSimulator } from '../common/types.js';

const crcModbus = crc16(CRC16.MODBUS);

/**
 * The device side of Galileosky, for simulators and tests: packets `01 | length u16 LE | tags |
 * CRC-16/MODBUS u16 LE`. The head packet carries the IMEI (tag 03); main packets carry records
 * (tag 10 number, 20 time, 30 fix, 33 speed/course, 34 altitude). The hub confirms each packet
 * with `02` + its CRC (3 bytes).
 */
export interface GalileoRecord {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  /** km/h */
  readonly speed: number;
  readonly course: number;
  readonly altitude: number;
  readonly satellites: number;
}

function packet(tags: Buffer): Buffer {
  const out = Buffer.alloc(3 + tags.length + 2);
  out[0] = 0x01;
  out.writeUInt16LE(tags.length, 1);
  tags.copy(out, 3);
  out.writeUInt16LE(crcModbus(out, 0, 3 + tags.length), 3 + tags.length);
  return out;
}

/** Head packet: hardware version, firmware version, IMEI, device id. */
export function headPacket(imei: string, deviceId = 1): Buffer {
  const tags = Buffer.alloc(2 + 2 + 1 + 15 + 3);
  tags.set([0x01, 0x11, 0x02, 0xe6, 0x03], 0);
  tags.write(imei.padStart(15, '0').slice(-15), 5, 'latin1');
  tags[20] = 0x04;
  tags.writeUInt16LE(deviceId, 21);
  return packet(tags);
}

/** Main packet with one record. */
export function recordPacket(r: GalileoRecord, number: number): Buffer {
  const t = Buffer.alloc(3 + 5 + 10 + 5 + 3);
  let at = 0;
  t[at++] = 0x10;
  t.writeUInt16LE(number & 0xffff, at);
  at += 2;
  t[at++] = 0x20;
  t.writeUInt32LE(Math.floor(r.atMs / 1000), at);
  at += 4;
  t[at++] = 0x30;
  t[at++] = r.satellites & 0x0f; // high nibble 0: valid fix
  t.writeInt32LE(Math.round(r.latitude * 1e6), at);
  at += 4;
  t.writeInt32LE(Math.round(r.longitude * 1e6), at);
  at += 4;
  t[at++] = 0x33;
  t.writeUInt16LE(Math.round(r.speed * 10), at);
  at += 2;
  t.writeUInt16LE(Math.round(r.course * 10), at);
  at += 2;
  t[at++] = 0x34;
  t.writeInt16LE(Math.round(r.altitude), at);
  return packet(t);
}

/** A simulated Galileosky tracker (hub simulate): head packet with the IMEI, then record packets, each confirmed. */
export const simulator: DeviceSimulator = {
  transports: ['tcp'],
  identFor: (n) => String(868_000_000_000_000 + n),
  login: (ident) => headPacket(ident),
  report: (_ident, n, seq, atMs) => recordPacket(simFix(n, seq, atMs), seq),
  expected: (_ident, n, seq, atMs) => fixParams(simFix(n, seq, atMs), ['atMs', 'latitude', 'longitude', 'speed', 'course', 'altitude', 'satellites']),
  replyLength: (buf) => (buf.length >= 3 ? 3 : undefined),
  loginAcked: true,
  reportsAcked: true,
};
