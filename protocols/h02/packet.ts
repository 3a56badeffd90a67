import { bcd } from '../common/reader.js';
import { BinaryLength } from './constants.js';

/**
 * The envelope of an H02 frame, read by the inspector (ident, ack times) and the decoders alike:
 * the fields of a `*<maker>,<id>,<type>,<args...>#` text frame, and the device id of a `$` binary
 * frame (../shared/protocols/README.md, "H02").
 */

export interface TextFrame {
  /** Two-letter manufacturer field (`HQ`, `hq`, `TH`...). */
  readonly maker: string;
  readonly id: string;
  readonly type: string;
  /** Fields after the type. */
  readonly args: readonly string[];
  /** The text after `<type>,` up to the closing `#` (free text such as SMS bodies). */
  readonly rest: string;
}

/** Splits a text frame; undefined when it is not `*...,...#`. */
export function splitText(frame: Buffer): TextFrame | undefined {
  const text = frame.toString('latin1');
  const end = text.lastIndexOf('#');
  if (text.charCodeAt(0) !== 0x2a || end < 0) return undefined;
  const body = text.slice(1, end);
  const fields = body.split(',');
  if (fields.length < 2) return undefined;
  const typeEnd = fields[0].length + fields[1].length + (fields[2] ?? '').length + 3;
  return { maker: fields[0], id: fields[1].trim(), type: (fields[2] ?? '').trim(), args: fields.slice(3), rest: body.slice(typeEnd) };
}

/** Device id of a binary frame: 10 BCD digits, or the first 15 of 8 bytes in the 42-byte form. */
export function binaryId(frame: Buffer): string | undefined {
  const longId = frame.length === BinaryLength.LongId;
  const size = longId ? 8 : 5;
  if (frame.length < 1 + size) return undefined;
  const id = bcd(frame, 1, 1 + size).slice(0, longId ? 15 : 10);
  return /^\d+$/.test(id) ? id : undefined;
}

/** Where the fix fields sit in `args`: validity index, date index, battery index (or -1). */
export interface FixLayout {
  readonly valid: number;
  readonly date: number;
  readonly battery: number;
}

const HEMI_LAT = /^[NS]$/;
const HEMI_LON = /^[EW]$/;

/**
 * Layout of a `V*` position report: `[time],validity,lat,N|S,lon,E|W,speed,course,[battery],date,...`.
 * V1 and its kin put the validity at args[1] (after the time), VP1 at args[0]; a V4 command echo has
 * a free-length response first, so its validity is found by the hemisphere fields around it.
 */
export function fixLayout(type: string, args: readonly string[]): FixLayout | undefined {
  let valid = type === 'VP1' ? 0 : 1;
  if (type === 'V4') {
    valid = -1;
    for (let i = 1; i + 4 < args.length && valid < 0; i++) if (HEMI_LAT.test(args[i + 2]) && HEMI_LON.test(args[i + 4])) valid = i;
    if (valid < 0) return undefined;
  }
  if (args.length < valid + 8) return undefined;
  const b = valid + 7;
  const hasBattery = /^\d{1,3}$/.test(args[b]) && b + 1 < args.length && /^(\d{6})?$/.test(args[b + 1]);
  return { valid, date: hasBattery ? b + 1 : b, battery: hasBattery ? b : -1 };
}

/** `hhmmss` and `DDMMYY` → Unix seconds (UTC, years 2000-2099); undefined when a part is invalid. */
export function toTimestamp(date: string | undefined, time = '000000'): number | undefined {
  const d = /^(\d\d)(\d\d)(\d\d)$/.exec(date?.trim() ?? '');
  const t = /^(\d\d)(\d\d)(\d\d)(?:\.\d+)?$/.exec(time.trim() === '' ? '000000' : time.trim());
  if (!d || !t) return undefined;
  const [day, month, year] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [h, m, s] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (day < 1 || day > 31 || month < 1 || month > 12 || h > 23 || m > 59 || s > 59) return undefined;
  return Date.UTC(2000 + year, month - 1, day, h, m, s) / 1000;
}

/** `yyyyMMddHHmmss` from a frame's own `DDMMYY` and `hhmmss` (for V4 acks); undefined unless both are 6 digits. */
export function ackTime(date: string | undefined, time: string | undefined): string | undefined {
  const d = date?.trim() ?? '';
  const t = time?.trim() ?? '';
  if (!/^\d{6}$/.test(d) || !/^\d{6}$/.test(t)) return undefined;
  return `20${d.slice(4, 6)}${d.slice(2, 4)}${d.slice(0, 2)}${t}`;
}

/**
 * A coordinate in one of the H02 text forms: `DDMM.MMMM` (degrees may be absent: `38.6508`),
 * `-DD-M.MMMM` (some Brazilian firmware), or `DDMMMMMM` without a point. NaN when invalid.
 */
export function parseCoordinate(value: string | undefined, hemisphere: string | undefined, lat: boolean): number {
  if (value === undefined || !(lat ? HEMI_LAT : HEMI_LON).test(hemisphere ?? '')) return NaN;
  const v = value.trim();
  const m = /^-(\d+)-(\d+\.\d+)$/.exec(v) ?? /^(\d*)(\d\d\.\d+)$/.exec(v);
  let degrees = NaN;
  let minutes = NaN;
  if (m) {
    degrees = m[1] === '' ? 0 : Number(m[1]);
    minutes = Number(m[2]);
  } else {
    const packed = /^(\d+)(\d\d)(\d{4})$/.exec(v);
    if (packed) {
      degrees = Number(packed[1]);
      minutes = Number(packed[2]) + Number(packed[3]) / 10000;
    }
  }
  const result = degrees + minutes / 60;
  if (!(minutes < 60) || !(result <= (lat ? 90 : 180))) return NaN;
  return hemisphere === 'S' || hemisphere === 'W' ? -result : result;
}

/** A decimal number field (speed, course), leading spaces allowed; NaN when absent or invalid. */
export function parseDecimal(value: string | undefined): number {
  const v = value?.trim() ?? '';
  return /^\d+(\.\d*)?$/.test(v) ? Number(v) : NaN;
}

/** Eight hex digits: the status word. */
export const STATUS_PATTERN = /^[0-9A-Fa-f]{8}$/;
