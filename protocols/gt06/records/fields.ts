import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { Reader } from '../../common/reader.js';
import type { CommandReply, Message } from '../../common/types.js';
import type { Packet } from '../packet.js';
import { alarmType, type Family, P, STATUS_ALARMS } from '../params.js';

/** Layout variants recognised from the frame shape (Traccar's names). */
export type Variant =
  | 'standard'
  | 'vxt01'
  | 'wanway_s20'
  | 'sr411_mini'
  | 'gt06e_card'
  | 'benway'
  | 's5'
  | 'space10x'
  | 'obd6'
  | 'wetrust'
  | 'jc400'
  | 'sl4x'
  | 'seeworld'
  | 'rfid'
  | 'lw4g';

/** Everything a field reader needs: the cursor over the packet content and the message being built. */
export interface Ctx {
  readonly r: Reader;
  readonly m: Message;
  readonly p: Packet;
  /** Offset of the device's local time from UTC in minutes (login extension bits), 0 when unknown. */
  readonly tz: number;
  /** `settings.modelOverride`, upper case ('' when not set). */
  readonly model: string;
  readonly family: Family | undefined;
  readonly nt: boolean;
  readonly variant: Variant;
  readonly errors: CodecError[];
  readonly replies: CommandReply[];
}

/** YY MM DD hh mm ss (binary), in device local time → Unix seconds; undefined when not a date. */
export function readTime(c: Ctx): number | undefined {
  const [y, mo, d, h, mi, s] = c.r.bytes(6);
  return toUnix(2000 + y, mo, d, h, mi, s, c.tz);
}

export function toUnix(y: number, mo: number, d: number, h: number, mi: number, s: number, tz = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - tz * 60;
}

/** Date at the start of a packet (LBS-only, alarm, OBD), in device local time. */
export function readPacketTime(c: Ctx): void {
  const at = c.r.pos;
  setTime(c, readTime(c), at);
}

/** Sets the message time, or records why it could not. */
export function setTime(c: Ctx, t: number | undefined, at: number): void {
  if (t === undefined) c.errors.push(new CodecError(CodecErrorCode.Malformed, 'date/time field is not a valid date', at));
  else c.m[P.time] = t;
}

export interface GpsShape {
  /** A byte with GPS info length (high nibble) and satellites (low nibble). */
  readonly sats?: boolean;
  readonly speed?: 'u8' | 'u16' | 'none';
  /** JC400: course/status before speed. */
  readonly flagsFirst?: boolean;
  /** AZ735: a GPS length byte after the date; 0 means no fix fields follow. */
  readonly lengthByte?: boolean;
}

/**
 * GPS block: date, [length/satellites], latitude and longitude u32 (degrees × 1,800,000), speed km/h,
 * course/status u16 (course bits 0-9, north bit 10, west bit 11, fixed bit 12, ACC known bit 14, ACC bit 15).
 */
export function readGps(c: Ctx, shape: GpsShape = {}): void {
  const at = c.r.pos;
  setTime(c, readTime(c), at);
  if (shape.lengthByte && c.r.u8() === 0) return;
  if (shape.sats !== false) c.m[P.sats] = c.r.u8() & 0x0f;
  const lat = c.r.u32() / 1800000;
  const lon = c.r.u32() / 1800000;
  const speedShape = shape.speed ?? 'u8';
  let flags = shape.flagsFirst ? c.r.u16() : 0;
  const speed = speedShape === 'u8' ? c.r.u8() : speedShape === 'u16' ? c.r.u16() : undefined;
  if (!shape.flagsFirst) flags = c.r.u16();
  setPosition(c.m, lat, lon, flags);
  if (speed !== undefined) c.m[P.speed] = speed;
}

export function setPosition(m: Message, lat: number, lon: number, flags: number): void {
  m[P.lat] = round6(flags & 0x0400 ? lat : -lat);
  m[P.lon] = round6(flags & 0x0800 ? -lon : lon);
  m[P.course] = flags & 0x03ff;
  m[P.valid] = (flags & 0x1000) !== 0;
  if (flags & 0x4000) m[P.ignition] = (flags & 0x8000) !== 0;
}

function round6(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export interface LbsShape {
  /** MNC always u16 (otherwise u16 only when MCC bit 15 is set). */
  readonly mnc16?: boolean;
  readonly lac: 2 | 4;
  readonly cid: 3 | 4 | 8;
}
export const LBS_2G: LbsShape = { lac: 2, cid: 3 };
export const LBS_4G: LbsShape = { lac: 4, cid: 8 };

/** Serving cell: MCC (bit 15 = 2-byte MNC), MNC, LAC, cell id. */
export function readLbs(c: Ctx, shape: LbsShape): void {
  const mcc = c.r.u16();
  const mnc = shape.mnc16 || mcc & 0x8000 ? c.r.u16() : c.r.u8();
  const lac = shape.lac === 4 ? c.r.u32() : c.r.u16();
  const cid = shape.cid === 8 ? readU64(c) : c.r.uint(shape.cid);
  c.m[P.mcc] = mcc & 0x7fff;
  c.m[P.mnc] = mnc;
  c.m[P.lac] = lac;
  c.m[P.cid] = cid;
}

/** Cell block with its own length byte; the length says which field sizes are used. */
export function readLbsWithLength(c: Ctx, cid32 = false): void {
  const start = c.r.pos;
  const length = c.r.u8();
  if (length === 0) {
    skipZeroedLbs(c);
    return;
  }
  const mcc = c.r.buf.readUInt16BE(c.r.pos);
  const mnc = mcc & 0x8000 ? 2 : 1;
  if (length >= 1 + 2 + mnc + 4 + 8) readLbs(c, LBS_4G);
  else readLbs(c, { lac: 2, cid: cid32 || length >= 1 + 2 + mnc + 2 + 4 ? 4 : 3 });
  const end = start + Math.max(length, 1);
  if (c.r.pos < end) c.r.skip(end - c.r.pos);
}

/** A zero length with 45 zero bytes after it is an empty cell block (some devices pad it). */
function skipZeroedLbs(c: Ctx): void {
  const { r } = c;
  if (r.remaining < 45) return;
  for (let i = r.pos; i < r.pos + 45; i++) if (r.buf[i] !== 0) return;
  r.skip(45);
}

/** u64 as a number when exact, else its decimal text. */
export function readU64(c: Ctx): number | string {
  const at = c.r.pos;
  const value = c.r.buf.readBigUInt64BE(at);
  c.r.skip(8);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** Terminal information byte; returns nothing, sets the alarm from bits 3-5 when no explicit alarm came first. */
export function readStatusByte(c: Ctx): void {
  const s = c.r.u8();
  c.m[P.status] = s;
  c.m[P.armed] = (s & 0x01) !== 0;
  c.m[P.ignition] = (s & 0x02) !== 0;
  c.m[P.charging] = (s & 0x04) !== 0;
  c.m[P.gpsTracking] = (s & 0x40) !== 0;
  c.m[P.blocked] = (s & 0x80) !== 0;
  const bits = (s >> 3) & 0x07;
  const type = bits === 7 && c.variant === 'vxt01' ? 'overspeed' : STATUS_ALARMS[bits];
  if (type && c.m[P.alarm] === undefined) setAlarm(c.m, type);
}

/** Voltage level 0-6 (×100/6 %), or a percentage 7-100. */
export function setBatteryLevel(m: Message, value: number): void {
  if (value <= 6) m[P.batteryLevel] = Math.floor((value * 100) / 6);
  else if (value <= 100) m[P.batteryLevel] = value;
}

/** An alarm/event code byte: kept as `event.enum`, translated to `alarm.type` when the code is known. */
export function setAlarmCode(c: Ctx, code: number): void {
  if (code === 0) return;
  c.m[P.event] = code;
  const type = alarmType(code, c.family);
  if (type) setAlarm(c.m, type);
}

export function setAlarm(m: Message, type: string): void {
  m[P.alarm] = type;
  m[P.alarmTrigger] = true;
}

/** ICCID from 10 BCD bytes: some devices send the SIM's nibble-swapped form (which starts `98`); `F` pads. */
export function iccid(b: Buffer): string {
  const digits = b.toString('hex');
  const swapped = digits.replace(/(.)(.)/g, '$2$1');
  return (digits.startsWith('89') || !swapped.startsWith('89') ? digits : swapped).replace(/f/gi, '');
}

/** A driver id (iButton / RFID) unless it is all zeros (no card). */
export function setDriver(m: Message, id: Buffer): void {
  if (id.some((b) => b !== 0)) m[P.driver] = id.toString('hex');
}

/** Printable ASCII (tab, CR and LF allowed). */
export function isPrintable(b: Buffer): boolean {
  return b.every((x) => (x >= 0x20 && x < 0x7f) || x === 0x09 || x === 0x0a || x === 0x0d);
}

/** Text without NUL padding and surrounding blanks. */
export function cleanText(b: Buffer): string {
  return b.toString('latin1').replace(/\0+/g, ' ').trim();
}
