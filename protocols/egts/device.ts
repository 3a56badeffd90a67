import { fixParams, type SimFix, simFix } from '../common/simulation.js';
import type { DeviceSimulator, Message } from '../common/types.js';
import { AuthSr, COMMAND_DATA, CommandType, EPOCH_2010, HEADER_SIZE, IMEI_SIZE, PacketType, PRV, RecordFlags, Service, TeledataSr } from './constants.js';
import { encodePacket } from './encoder.js';
import { packetLength } from './packet.js';

/**
 * The device side of EGTS, for simulators and tests: what a unit sends, in the same transport
 * envelope as the hub's packets (encoder.ts `encodePacket`, GOST 33465-2015 §5.6).
 */

/** A subrecord (§6.6.3): SRT, SRL u16, SRD. */
export function subrecord(srt: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([srt, data.length & 0xff, data.length >> 8]), data]);
}

export interface RecordOptions {
  readonly oid?: number;
  /** TM, Unix seconds. */
  readonly time?: number;
}

/** A unit's service data record (§6.6.2): RFL with SSOD (the source service is on the unit), OBFE / TMFE as given. */
export function unitRecord(rn: number, service: number, subrecords: readonly Buffer[], o: RecordOptions = {}): Buffer {
  const data = Buffer.concat(subrecords);
  const head = Buffer.alloc(5 + (o.oid === undefined ? 0 : 4) + (o.time === undefined ? 0 : 4) + 2);
  head.writeUInt16LE(data.length, 0);
  head.writeUInt16LE(rn & 0xffff, 2);
  head[4] = RecordFlags.SourceOnDevice | (o.oid === undefined ? 0 : RecordFlags.Oid) | (o.time === undefined ? 0 : RecordFlags.Time);
  let at = 5;
  if (o.oid !== undefined) at = head.writeUInt32LE(o.oid >>> 0, at);
  if (o.time !== undefined) at = head.writeUInt32LE(o.time - EPOCH_2010, at);
  head[at] = service;
  head[at + 1] = service;
  return Buffer.concat([head, data]);
}

/** An APPDATA packet of records. */
export function appData(pid: number, records: readonly Buffer[]): Buffer {
  return encodePacket(PacketType.AppData, pid, Buffer.concat(records));
}

/** EGTS_SR_TERM_IDENTITY (§6.7.2.2) with TID and IMEI (IMEIE), and the receive buffer size (BSE). */
export function termIdentity(tid: number, imei: string, bufferSize = 1024): Buffer {
  const b = Buffer.alloc(4 + 1 + IMEI_SIZE + 2);
  b.writeUInt32LE(tid >>> 0, 0);
  b[4] = 0x02 | 0x40;
  b.write(imei.padStart(IMEI_SIZE, '0').slice(-IMEI_SIZE), 5, 'latin1');
  b.writeUInt16LE(bufferSize, 5 + IMEI_SIZE);
  return subrecord(AuthSr.TermIdentity, b);
}

export interface EgtsFix extends SimFix {
  /** km */
  readonly mileage: number;
  readonly inputs: number;
  /** POS_DATA SRC */
  readonly source: number;
}

/** EGTS_SR_POS_DATA with ALT (ALTE), valid, 3D, moving when the speed is above 0. */
export function posData(fix: EgtsFix): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(Math.floor(fix.atMs / 1000) - EPOCH_2010, 0);
  b.writeUInt32LE(Math.round((Math.abs(fix.latitude) / 90) * 0xffffffff), 4);
  b.writeUInt32LE(Math.round((Math.abs(fix.longitude) / 180) * 0xffffffff), 8);
  const course = Math.round(fix.course) % 360;
  const alt = Math.round(fix.altitude);
  b[12] = 0x01 | 0x02 | (fix.speed > 0 ? 0x10 : 0) | (fix.latitude < 0 ? 0x20 : 0) | (fix.longitude < 0 ? 0x40 : 0) | 0x80;
  b.writeUInt16LE((Math.round(fix.speed * 10) & 0x3fff) | (alt < 0 ? 0x4000 : 0) | (course > 255 ? 0x8000 : 0), 13);
  b[15] = course & 0xff;
  b.writeUIntLE(Math.round(fix.mileage * 10), 16, 3);
  b[19] = fix.inputs;
  b[20] = fix.source;
  b.writeUIntLE(Math.abs(alt), 21, 3);
  return subrecord(TeledataSr.PosData, b);
}

/** EGTS_SR_EXT_POS_DATA with HDOP (×0.01) and the satellites. */
export function extPosData(satellites: number, hdop: number): Buffer {
  const b = Buffer.from([0x02 | 0x08, 0, 0, satellites]);
  b.writeUInt16LE(Math.round(hdop * 100), 1);
  return subrecord(TeledataSr.ExtPosData, b);
}

/** EGTS_SR_COMMAND_DATA CT_COMCONF (§6.7.3.1): the unit's answer to command `cid`, with the command code and returned data. */
export function commandConfirmation(cid: number, cct: number, code?: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const cd = code === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0, 0, 0, code & 0xff, code >> 8]), data]);
  const head = Buffer.alloc(10);
  head[0] = (CommandType.ComConf << 4) | cct;
  head.writeUInt32LE(cid >>> 0, 1);
  return subrecord(COMMAND_DATA, Buffer.concat([head, cd]));
}

/** The terminal id of an IMEI ident: its last nine digits. */
export function tidOf(ident: string): number {
  return Number(ident.replace(/\D/g, '').slice(-9) || '0');
}

/** The fix simulated unit `n` reports as `seq`. */
export function simEgtsFix(n: number, seq: number, atMs: number): EgtsFix {
  return { ...simFix(n, seq, atMs), mileage: 1000 + n + seq / 10, inputs: 0b101, source: 0 };
}

/** Authentication: an auth-service record with TERM_IDENTITY. */
export function loginPacket(ident: string, pid = 0): Buffer {
  return appData(pid, [unitRecord(pid, Service.Auth, [termIdentity(tidOf(ident), ident)])]);
}

/** A report: a teledata record (OID = TID, TM) with POS_DATA and EXT_POS_DATA. */
export function reportPacket(ident: string, fix: EgtsFix, seq: number): Buffer {
  const rec = unitRecord(seq, Service.Teledata, [posData(fix), extPosData(fix.satellites, 0.9)], { oid: tidOf(ident), time: Math.floor(fix.atMs / 1000) });
  return appData(seq, [rec]);
}

/** Length of the first whole hub packet in `buf`; before login, of the response and the result code together. */
function replyLength(buf: Buffer, loggedIn: boolean): number | undefined {
  if (buf.length === 0) return undefined;
  if (buf[0] !== PRV) return 1;
  if (buf.length < HEADER_SIZE) return undefined;
  const first = packetLength(buf);
  if (loggedIn) return buf.length >= first ? first : undefined;
  if (buf.length < first + HEADER_SIZE) return undefined;
  const second = first + packetLength(buf.subarray(first));
  return buf.length >= second ? second : undefined;
}

/**
 * A simulated EGTS unit (hub simulate): TERM_IDENTITY with its IMEI (answered with a response and
 * EGTS_SR_RESULT_CODE), then one teledata record per report, each confirmed by EGTS_PT_RESPONSE.
 */
export const simulator: DeviceSimulator = {
  transports: ['tcp'],
  identFor: (n) => String(866_000_000_000_000 + n),
  login: (ident) => loginPacket(ident),
  report: (ident, n, seq, atMs) => reportPacket(ident, simEgtsFix(n, seq, atMs), seq),
  expected(ident, n, seq, atMs): Message {
    const fix = simEgtsFix(n, seq, atMs);
    return {
      ...fixParams(fix, ['atMs', 'latitude', 'longitude', 'speed', 'course', 'altitude', 'satellites']),
      'position.valid': true,
      'position.hdop': 0.9,
      'movement.status': true,
      'vehicle.mileage': Math.round(fix.mileage * 10) / 10,
      din: 0b101,
      'event.enum': 0,
      'egts.oid': tidOf(ident),
    };
  },
  replyLength,
  loginAcked: true,
  reportsAcked: true,
};
