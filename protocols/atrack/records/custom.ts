import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { BINARY_STRING_END, CUSTOM_INFO, TEXT_STRING_END } from '../constants.js';
import { type CustomRow, customRow, unnamedCustom, type Wire } from '../params.js';
import { decodeBeacons } from './beacons.js';

/**
 * Custom information (Protocol Document §3, AT$FORM): values in the order of a format string of
 * `%XX` codes, which the record carries itself after `%CI` or the channel setting `form` gives.
 */

/** The codes of a format string: `%CI%MV%SA` → [CI, MV, SA]. */
export function formCodes(form: string): string[] {
  return form.split('%').filter((code) => code !== '');
}

/** A raw value read from the wire: an integer, a string, or bytes. */
type Raw = number | string | Buffer;

/** Reads one value of a binary record. */
export function readWire(r: Reader, wire: Wire): Raw {
  switch (wire) {
    case 'u8':
      return r.u8();
    case 'u16':
      return r.u16();
    case 'u32':
      return r.u32();
    case 'i16':
      return r.i16();
    case 'i32':
      return r.i32();
    case 'u64':
      return r.bytes(8).readBigUInt64BE(0).toString();
    case 'str':
      return cString(r);
    default:
      return r.bytes(wire);
  }
}

/** A NUL-ended string of a binary record (the NUL is consumed). */
export function cString(r: Reader): string {
  const at = r.buf.indexOf(BINARY_STRING_END, r.pos);
  if (at < 0 || at >= r.end) throw new CodecError(CodecErrorCode.Truncated, 'string without its NUL', r.pos);
  const s = r.buf.toString('latin1', r.pos, at);
  r.pos = at + 1;
  return s;
}

/** Whether the bytes at the reader start a `%CI` format string. */
export function startsCustomInfo(r: Reader): boolean {
  return r.remaining >= CUSTOM_INFO.length && r.buf.toString('latin1', r.pos, r.pos + CUSTOM_INFO.length) === CUSTOM_INFO;
}

/**
 * The binary custom fields of one record in the order of `codes`. A code without a known binary
 * size stops the reading (the rest of the frame cannot be found): the error says which.
 */
export function readBinaryCustom(r: Reader, codes: readonly string[], m: Message): CodecError | undefined {
  for (const code of codes) {
    const row = customRow(code);
    if (row[1] === undefined) {
      r.pos = r.end;
      return new CodecError(CodecErrorCode.Unsupported, `custom field %${code} has no known binary size: the rest of the frame is skipped`, r.pos);
    }
    setCustom(m, row, readWire(r, row[1]));
  }
  return undefined;
}

/**
 * The ASCII custom fields of one record: a leading `%CI…` value is the record's own format
 * (else `form`, the channel setting); without a format the values keep their place (`io.<n>`).
 */
export function applyTextCustom(m: Message, values: readonly string[], form: string | undefined): void {
  let codes = form === undefined ? undefined : formCodes(form);
  let from = 0;
  if (values.length > 0 && values[0].startsWith(CUSTOM_INFO)) {
    codes = formCodes(values[0].slice(CUSTOM_INFO.length));
    from = 1;
  }
  for (let i = from; i < values.length; i++) {
    const value = textValue(values[i]);
    const code = codes?.[i - from];
    if (code !== undefined) setCustom(m, customRow(code), value);
    else if (value !== '') m[unnamedCustom(i - from + 1)] = numeric(value) ?? value;
  }
}

/** An ASCII field without its SUB string end and spaces. */
export function textValue(raw: string): string {
  return raw.split(TEXT_STRING_END).join('').trim();
}

/** A decimal number, or undefined. */
export function numeric(s: string): number | undefined {
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
}

/** Sets the parameter of a custom code from its raw value (binary integer, string or bytes; ASCII text). */
function setCustom(m: Message, [, , name, conv, divisor]: CustomRow, raw: Raw): void {
  if (Buffer.isBuffer(raw)) {
    m[name] = raw.toString('hex');
    return;
  }
  if (raw === '') return;
  const n = typeof raw === 'number' ? raw : numeric(raw);
  switch (conv) {
    case 'num':
      m[name] = n === undefined ? raw : divisor === undefined ? n : n / divisor;
      return;
    case 'bool':
      m[name] = n === undefined ? raw : n !== 0;
      return;
    case 'operator':
      setOperator(m, name, String(raw));
      return;
    case 'beacons':
      m[name] = String(raw);
      decodeBeacons(m, String(raw));
      return;
    default:
      m[name] = String(raw);
  }
}

/** MCC (3 digits) + MNC (the rest): `310260` → 310 / 260; `0` is no network. */
function setOperator(m: Message, name: string, digits: string): void {
  if (!/^\d+$/.test(digits) || Number(digits) === 0) return;
  m[name] = digits;
  if (digits.length < 5) return;
  m['gsm.mcc'] = Number(digits.slice(0, 3));
  m['gsm.mnc'] = Number(digits.slice(3));
}
