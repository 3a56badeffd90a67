import { CodecError, CodecErrorCode } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { NtcbMessage } from '../constants.js';
import { NTCB_LAYOUTS, type NtcbKind, type NtcbRow, ntcbAlarmBit } from '../params.js';
import { float } from './flex.js';

/**
 * NTCB telemetry (§2.4): `*>T` + one record (answered `*<T` + its index), `*>A` + count u8 +
 * records (answered `*<A` + the count). A record is a format byte (a first byte 0 announces a u16
 * format), then the fields of that format (params.ts NTCB_LAYOUTS), little endian. A record of an
 * unknown format ends the frame (its length is unknown) with a typed `unsupported` error.
 */
export function decodeNtcbTelemetry(data: Buffer, out: Decoded): void {
  const r = new Reader(data, NtcbMessage.Telemetry.length);
  out.messages.push(readNtcbRecord(r));
  trailing(r, out);
}

export function decodeNtcbArchive(data: Buffer, out: Decoded): void {
  const r = new Reader(data, NtcbMessage.Archive.length);
  const count = r.u8();
  for (let i = 0; i < count; i++) out.messages.push(readNtcbRecord(r));
  trailing(r, out);
}

function readNtcbRecord(r: Reader): Message {
  const at = r.pos;
  let format = r.u8();
  if (format === 0) format = r.u16le();
  const layout = NTCB_LAYOUTS.get(format);
  if (!layout) throw new CodecError(CodecErrorCode.Unsupported, `NTCB telemetry format 0x${format.toString(16)} is not F1.0-F6.0`, 16 + at);
  const m: Message = { 'navtelecom.format': format };
  for (const row of layout) readValue(r, row, m);
  const security = m['navtelecom.security.status'];
  if (typeof security === 'number') m['alarm.event.trigger'] = (security & (1 << ntcbAlarmBit(format))) !== 0;
  return m;
}

function readValue(r: Reader, [name, kind, divisor]: NtcbRow, m: Message): void {
  const v = read(r, kind, m);
  if (v === undefined) return;
  m[name] = typeof v === 'number' && divisor !== undefined ? v / divisor : v;
}

function read(r: Reader, kind: NtcbKind, m: Message): number | string | boolean | null | undefined {
  switch (kind) {
    case 'u8':
      return r.u8();
    case 'i8':
      return r.i8();
    case 'u16':
      return r.u16le();
    case 'i16':
      return r.i16le();
    case 'u32':
      return r.u32le();
    case 'i32':
      return r.i32le();
    case 'f32':
      return float(r.bytes(4).readFloatLE(0));
    case 'rad': {
      const rad = r.bytes(4).readFloatLE(0);
      return Number.isFinite(rad) ? Math.round(((rad * 180) / Math.PI) * 1e6) / 1e6 : null;
    }
    case 'deg':
      return r.i32le() / 600000;
    case 'date':
      return date(r.bytes(6));
    case 'hex15':
      return r.bytes(15).toString('hex');
    default: {
      const state = r.u8(); // bit 1 valid fix; F6.0: bits 2-7 satellites
      if (kind === 'navsats') m['position.satellites'] = state >> 2;
      return (state & 0x02) !== 0;
    }
  }
}

/** hh mm ss DD MM YY, the month from 0 and the year from 2000 (UTC); undefined when out of range. */
function date(b: Buffer): number | undefined {
  const [hh, mm, ss, day, month, year] = b;
  if (hh > 23 || mm > 59 || ss > 59 || day < 1 || day > 31 || month > 11) return undefined;
  return Date.UTC(2000 + year, month, day, hh, mm, ss) / 1000;
}

function trailing(r: Reader, out: Decoded): void {
  if (r.remaining > 0) out.errors.push(new CodecError(CodecErrorCode.Malformed, `${r.remaining} byte(s) after the last record`, 16 + r.pos));
}
