import { convertParam, type ParamDef } from '../../common/params.js';
import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { REST_NAME, STAT, STATUS_BITS } from '../params.js';

/**
 * Field readers shared by the record decoders: §1.1.2.7 STAT_DATA, the GPS item (fix), strings,
 * DTCs. Every multi-byte field of the body is little-endian.
 */

/** §1.1.2.7 STAT_DATA: the vehicle counters that head most SC messages (34 bytes). */
export interface Stat {
  /** UTC time of the message, Unix seconds. */
  readonly utc: number;
  readonly params: Message;
}

export function readStat(r: Reader): Stat {
  const accOn = r.u32le();
  const utc = r.u32le();
  const m: Message = {};
  set(m, STAT.accOn, accOn, 4);
  set(m, STAT.mileage, r.u32le(), 4);
  set(m, STAT.trip, r.u32le(), 4);
  set(m, STAT.fuel, r.u32le(), 4);
  set(m, STAT.tripFuel, r.u16le(), 2);
  const status = r.u32le();
  set(m, STAT.status, status, 4);
  for (const [bit, name] of STATUS_BITS) m[name] = (status & (2 ** bit)) !== 0;
  r.skip(8); // reserved
  return { utc, params: m };
}

function set(m: Message, def: ParamDef, raw: number, size: number): void {
  m[def.name] = convertParam(def, raw, size);
}

/**
 * GPS item (19 bytes): day, month, year (2000+), hour, minute, second (UTC); latitude and
 * longitude u32 in milli-arc-seconds (÷ 3,600,000); speed u16 cm/s; course u16 × 0.1°; flags
 * (bit 0 east, bit 1 north, bits 2-3 fix, bits 4-7 satellites).
 */
export function readFix(r: Reader): Message {
  const [day, month, year, hour, minute, second] = [r.u8(), r.u8(), r.u8(), r.u8(), r.u8(), r.u8()];
  const lat = r.u32le() / 3_600_000;
  const lon = r.u32le() / 3_600_000;
  const speed = r.u16le();
  const course = r.u16le();
  const flags = r.u8();
  const m: Message = {};
  const ts = utcTime(year, month, day, hour, minute, second);
  if (ts !== undefined) m.timestamp = ts;
  m['position.latitude'] = flags & 0x02 ? lat : -lat;
  m['position.longitude'] = flags & 0x01 ? lon : -lon;
  m['position.speed'] = (speed * 36) / 1000; // cm/s → km/h
  m['position.direction'] = course / 10;
  m['position.valid'] = (flags & 0x0c) !== 0;
  m['position.satellites'] = flags >> 4;
  return m;
}

/** A UTC time from its parts (two-digit year from 2000), or undefined when a part is out of range. */
export function utcTime(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(2000 + year, month - 1, day, hour, minute, second) / 1000;
}

/** A fix message with the stat counters; the stat time stands in for a fix without a valid date. */
export function fixMessage(fix: Message, base: Message, utc: number | undefined): Message {
  return { ...base, ...(fix.timestamp === undefined && utc ? { timestamp: utc } : {}), ...fix };
}

/** A NUL-terminated string (or the rest of the body when no NUL follows). */
export function cstring(r: Reader): string {
  const start = r.pos;
  let end = start;
  while (end < r.end && r.buf[end] !== 0) end++;
  const text = r.buf.toString('latin1', start, end);
  r.pos = end < r.end ? end + 1 : end;
  return text;
}

/** SAE J2012 DTC of a u16: the top two bits choose P, C, B or U, the rest is four hex digits. */
export function dtcCode(value: number): string {
  return `${'PCBU'[value >> 14]}${(value & 0x3fff).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Printable ASCII as text, anything else as hex. */
export function textOrHex(bytes: Buffer): string {
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return bytes.toString('hex');
  return bytes.toString('latin1');
}

/** Keeps the bytes a record leaves unread (`castel.data`, hex) in each message. */
export function keepRest(r: Reader, messages: readonly Message[]): void {
  if (r.remaining <= 0) return;
  const rest = r.bytes(r.remaining).toString('hex');
  for (const m of messages) m[REST_NAME] = rest;
}
