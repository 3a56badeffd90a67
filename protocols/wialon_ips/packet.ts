import { CRC16, crc16 } from '../common/crc.js';
import { type CrcVerdict, crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { CodecOptions } from '../common/types.js';
import { CR, D_FIELDS, DataCode, HASH, LF, NA, SD_FIELDS, VERSION_VAR } from './constants.js';

const crcArc = crc16(CRC16.ARC);
const CRC_TEXT = /^(?:0x)?([0-9a-f]{1,4})$/i;

/**
 * One Wialon IPS line split into its parts (spec "General structure": `#TYPE#body\r\n`; UDP puts
 * the identity in front: `imei#TYPE#body` (1.1) or `2.0;imei#TYPE#body;crc16` (2.0)).
 * Offsets are byte offsets into `frame`, so the CRC runs over the bytes as sent.
 */
export interface Packet {
  readonly frame: Buffer;
  readonly type: string;
  /** Identity written in front of the first `#` (UDP form; Traccar also accepts it on TCP). */
  readonly prefixIdent?: string;
  /** Version written in front of the identity (`2.0;imei#…`). */
  readonly prefixVersion?: string;
  /** First byte after `#TYPE#`. */
  readonly bodyStart: number;
  /** End of the body, trailing CR/LF excluded. */
  readonly bodyEnd: number;
}

/** Splits a frame into prefix, type and body, or returns a `malformed` error. */
export function parsePacket(frame: Buffer): Packet | CodecError {
  let end = frame.length;
  while (end > 0 && (frame[end - 1] === LF || frame[end - 1] === CR)) end--;
  const first = frame.indexOf(HASH);
  const second = first < 0 ? -1 : frame.indexOf(HASH, first + 1);
  if (first < 0 || second < 0 || second >= end) return new CodecError(CodecErrorCode.Malformed, 'line is not #TYPE#message', 0);
  const type = frame.toString('latin1', first + 1, second);
  if (!/^[A-Z]{1,3}$/.test(type)) return new CodecError(CodecErrorCode.Malformed, 'packet type is not 1-3 capital letters', first + 1);
  if (first === 0) return { frame, type, bodyStart: second + 1, bodyEnd: end };
  const prefix = frame.toString('latin1', 0, first);
  const semi = prefix.indexOf(';');
  if (semi < 0) return { frame, type, prefixIdent: prefix, bodyStart: second + 1, bodyEnd: end };
  return { frame, type, prefixVersion: prefix.slice(0, semi), prefixIdent: prefix.slice(semi + 1), bodyStart: second + 1, bodyEnd: end };
}

/** True when a version string is 2.x (the versions that carry a CRC16). */
export function isV2Version(version: string | undefined): boolean {
  return version !== undefined && /^2\.\d+$/.test(version);
}

/**
 * Whether a data packet follows the 2.0 layout: a version in front decides; an identity in front
 * without a version is the 1.1 UDP form; otherwise the version remembered from the login.
 */
export function isV2(p: Packet, vars: Readonly<Record<string, string | number | boolean>> | undefined): boolean {
  if (p.prefixVersion !== undefined) return isV2Version(p.prefixVersion);
  if (p.prefixIdent !== undefined) return false;
  return isV2Version(typeof vars?.[VERSION_VAR] === 'string' ? (vars[VERSION_VAR] as string) : undefined);
}

/** The body text with the 2.0 CRC field split off, and whether that CRC matched. */
export interface Payload {
  readonly text: string;
  readonly crcOk: boolean;
  /** Byte offset of the CRC field (for error reports). */
  readonly crcAt: number;
}

/**
 * Body of a packet. For 2.0 (`v2`), the text after the last `separator` is the CRC16 as hex
 * (Traccar's vectors also show `0x9b0`), computed as CRC-16/ARC over the body bytes up to and
 * including that separator (spec appendix "Checksum"); it is removed from the returned text.
 */
export function payload(p: Packet, v2: boolean, separator: number): Payload {
  if (!v2) return { text: p.frame.toString('utf8', p.bodyStart, p.bodyEnd), crcOk: true, crcAt: p.bodyEnd };
  const at = p.bodyEnd > p.bodyStart ? p.frame.lastIndexOf(separator, p.bodyEnd - 1) : -1;
  if (at < p.bodyStart) return { text: p.frame.toString('utf8', p.bodyStart, p.bodyEnd), crcOk: false, crcAt: p.bodyEnd };
  const match = CRC_TEXT.exec(p.frame.toString('latin1', at + 1, p.bodyEnd));
  const crcOk = match !== null && parseInt(match[1], 16) === crcArc(p.frame, p.bodyStart, at + 1);
  return { text: p.frame.toString('utf8', p.bodyStart, at), crcOk, crcAt: at + 1 };
}

/** The channel's CRC policy applied to a payload's 2.0 checksum (a 1.1 payload always passes). */
export function payloadCrc(body: Payload, options: CodecOptions | undefined): CrcVerdict {
  return crcVerdict(body.crcOk, options, 'CRC-16/ARC in the crc16 field', body.crcAt);
}

/** CRC-16/ARC of a text as upper-case hex, 4 digits (what devices send and what we send). */
export function crcHex(text: string): string {
  return crcArc(Buffer.from(text, 'utf8')).toString(16).toUpperCase().padStart(4, '0');
}

/**
 * One SD or D record (spec "Short data packet" and "Data packet"), checked field group by field
 * group so that a bad packet gets the spec's answer code. `NA` (and, as Traccar accepts, an empty
 * field) means the value is absent. Read by the inspector (answer code) and the decoder (values) alike.
 */
export interface WialonRecord {
  timestamp?: number;
  latitude?: number;
  longitude?: number;
  speed?: number;
  course?: number;
  altitude?: number;
  satellites?: number;
  hdop?: number;
  inputs?: number;
  outputs?: number;
  /** ADC values in order; an absent one keeps its place. */
  adc?: (number | undefined)[];
  ibutton?: string;
  params?: Param[];
}

/** `NAME:TYPE:VALUE` with TYPE 1 = int/long long, 2 = double, 3 = string (spec "params"). */
export interface Param {
  readonly name: string;
  readonly type: 1 | 2 | 3;
  readonly value: number | string;
}

export interface RecordError {
  readonly code: DataCode;
  readonly reason: string;
}

export function isRecordError(r: WialonRecord | RecordError): r is RecordError {
  return 'code' in r;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const UNSIGNED = /^\d+$/;

class FieldError extends Error {
  constructor(
    readonly code: DataCode,
    reason: string,
  ) {
    super(reason);
  }
}

function absent(s: string): boolean {
  return s === '' || s === NA;
}

function num(s: string, code: DataCode, what: string): number | undefined {
  if (absent(s)) return undefined;
  if (!NUMBER.test(s)) throw new FieldError(code, `${what} "${s}" is not a number`);
  return Number(s);
}

function uint(s: string, code: DataCode, what: string): number | undefined {
  if (absent(s)) return undefined;
  if (!UNSIGNED.test(s) || !Number.isSafeInteger(Number(s))) throw new FieldError(code, `${what} "${s}" is not an unsigned integer`);
  return Number(s);
}

/** Black-box records: the body split on `|`, empty pieces (a trailing `|`) left out. */
export function blackBoxRecords(text: string): string[] {
  return text.split('|').filter((r) => r !== '');
}

/**
 * Parses one record's text (fields separated by `;`, the 2.0 CRC already removed). `expected` is
 * the field count (10 SD, 16 D) or `'any'` for black-box records, which may be either.
 */
export function parseRecord(text: string, expected: number | 'any'): WialonRecord | RecordError {
  const f = text.split(';');
  const count = f.length;
  if (expected === 'any' ? count !== SD_FIELDS && count !== D_FIELDS : count !== expected) {
    return { code: DataCode.Structure, reason: `record has ${count} fields, expected ${expected === 'any' ? `${SD_FIELDS} or ${D_FIELDS}` : expected}` };
  }
  try {
    const r: WialonRecord = {};
    r.timestamp = parseTime(f[0], f[1]);
    const lat = coordinate(f[2], f[3], 'N', 'S', 90);
    const lon = coordinate(f[4], f[5], 'E', 'W', 180);
    if ((lat === undefined) !== (lon === undefined)) throw new FieldError(DataCode.Coordinates, 'only one of latitude and longitude is given');
    r.latitude = lat;
    r.longitude = lon;
    r.speed = num(f[6], DataCode.SpeedCourseAltitude, 'speed');
    r.course = num(f[7], DataCode.SpeedCourseAltitude, 'course');
    r.altitude = num(f[8], DataCode.SpeedCourseAltitude, 'altitude');
    if ((r.speed ?? 0) < 0 || (r.course ?? 0) < 0 || (r.course ?? 0) > 360) throw new FieldError(DataCode.SpeedCourseAltitude, 'speed or course out of range');
    r.satellites = uint(f[9], DataCode.SatellitesHdop, 'satellites');
    if (count === D_FIELDS) parseExtended(f, r);
    return r;
  } catch (err) {
    if (err instanceof FieldError) return { code: err.code, reason: err.message };
    throw err;
  }
}

/** hdop;inputs;outputs;adc;ibutton;params */
function parseExtended(f: string[], r: WialonRecord): void {
  r.hdop = num(f[10], DataCode.SatellitesHdop, 'hdop');
  if ((r.hdop ?? 0) < 0) throw new FieldError(DataCode.SatellitesHdop, 'hdop is negative');
  r.inputs = uint(f[11], DataCode.InputsOutputs, 'inputs');
  r.outputs = uint(f[12], DataCode.InputsOutputs, 'outputs');
  if (!absent(f[13])) r.adc = f[13].split(',').map((v, i) => num(v, DataCode.Adc, `adc ${i + 1}`));
  if (!absent(f[14])) r.ibutton = f[14];
  if (!absent(f[15])) r.params = parseParams(f[15]);
}

/** DDMMYY;HHMMSS[.fraction], UTC. Both absent: no time (the server's time applies). */
function parseTime(date: string, time: string): number | undefined {
  if (absent(date) && absent(time)) return undefined;
  const d = /^(\d\d)(\d\d)(\d\d)$/.exec(date);
  const t = /^(\d\d)(\d\d)(\d\d)(\.\d+)?$/.exec(time);
  if (!d || !t) throw new FieldError(DataCode.Time, `date/time "${date};${time}" is not DDMMYY;HHMMSS`);
  const [day, month, year] = [Number(d[1]), Number(d[2]), 2000 + Number(d[3])];
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) {
    throw new FieldError(DataCode.Time, `date/time "${date};${time}" does not exist`);
  }
  return ms / 1000 + (t[4] ? Number(`0${t[4]}`) : 0);
}

/**
 * (D)DDMM.MMMM plus hemisphere letter. Minutes are not capped at 60: Traccar's vectors include
 * `5364.0167;N` from a real device, and only the resulting degrees are range-checked.
 */
function coordinate(value: string, hemisphere: string, positive: string, negative: string, max: number): number | undefined {
  if (absent(value) && absent(hemisphere)) return undefined;
  if (!/^\d{3,}(\.\d+)?$/.test(value) || (hemisphere !== positive && hemisphere !== negative)) {
    throw new FieldError(DataCode.Coordinates, `coordinate "${value};${hemisphere}" is not (D)DDMM.MMMM;${positive}|${negative}`);
  }
  const dot = value.indexOf('.');
  const whole = dot < 0 ? value.length : dot;
  const degrees = Number(value.slice(0, whole - 2)) + Number(value.slice(whole - 2)) / 60;
  if (degrees > max) throw new FieldError(DataCode.Coordinates, `coordinate "${value}" exceeds ${max} degrees`);
  return hemisphere === negative ? -degrees : degrees;
}

/**
 * `name:type:value,…`. A piece without two colons right after a string parameter is taken as the
 * rest of that string (a comma inside the value); otherwise it is a params error (code 15).
 */
function parseParams(text: string): Param[] {
  const out: Param[] = [];
  for (const piece of text.split(',')) {
    const first = piece.indexOf(':');
    const second = first < 0 ? -1 : piece.indexOf(':', first + 1);
    const last = out[out.length - 1];
    if (second < 0 && last?.type === 3) {
      out[out.length - 1] = { ...last, value: `${last.value},${piece}` };
      continue;
    }
    const name = piece.slice(0, first);
    const type = piece.slice(first + 1, second);
    const value = piece.slice(second + 1);
    if (second < 0 || name === '' || (type !== '1' && type !== '2' && type !== '3')) {
      throw new FieldError(DataCode.Params, `parameter "${piece}" is not NAME:TYPE(1-3):VALUE`);
    }
    if (type === '3') {
      out.push({ name, type: 3, value });
      continue;
    }
    const n = num(value, DataCode.Params, `parameter ${name}`);
    if (n === undefined) continue; // NA: no value
    out.push({ name, type: type === '1' ? 1 : 2, value: type === '1' && !Number.isSafeInteger(n) && UNSIGNED.test(value.replace(/^[-+]/, '')) ? value : n });
  }
  return out;
}
