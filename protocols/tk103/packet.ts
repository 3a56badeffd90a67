import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { Marker, SERIAL_LENGTH } from './constants.js';

/**
 * The envelope of one TK103 frame, read by the inspector and the decoder alike (§2): the dialect,
 * the device's serial (or IMEI), the 4-character message type and the body after it. The protocol
 * has no checksum and no length field.
 * - serial dialect: `(<serial 12><type><body>)`; units with a shorter serial (10-11 characters)
 *   exist, so the type is looked for after the 12th character first, then earlier.
 * - comma dialect of newer clones: `(<IMEI>,<type>,<fields...>)`.
 */
export type Dialect = 'serial' | 'comma';

export interface Packet {
  readonly dialect: Dialect;
  /** The serial number (serial dialect) or IMEI (comma dialect): what commands are addressed to. */
  readonly ident: string;
  readonly type: string;
  /** Text after the type up to the closing `)` (comma dialect: after `<type>,`). */
  readonly body: string;
  /** Byte offset of the body in the frame (error offsets). */
  readonly at: number;
}

/** Device → server types of the serial dialect all start with B (§3.2); the comma dialect adds ZC, DW... */
const SERIAL_TYPE = /^B[A-Z][0-9A-Z]{2}$/;
const SERIAL_TYPE_IN_TEXT = /^(.{1,11}?)(B[A-Z][0-9A-Z]{2})/;
const COMMA_TYPE = /^[A-Z]{2}[0-9A-F]{2}$/;

/** Reads the envelope of a frame (with or without its closing `)`); a CodecError when it is not `(<id><type>...`. */
export function readPacket(frame: Buffer): Packet | CodecError {
  if (frame[0] !== Marker.Open) return malformed('frame does not start with "("', 0);
  let end = frame.length;
  while (end > 1 && (frame[end - 1] === 0x0d || frame[end - 1] === 0x0a)) end--;
  if (end > 1 && frame[end - 1] === Marker.Close) end--;
  const inner = frame.toString('latin1', 1, end);
  const comma = inner.indexOf(',');
  if (comma > 0) {
    const type = inner.slice(comma + 1, comma + 5);
    const next = inner.charAt(comma + 5);
    if (COMMA_TYPE.test(type) && (next === ',' || next === '')) return packet('comma', inner.slice(0, comma), type, inner, comma + 6);
  }
  if (SERIAL_TYPE.test(inner.slice(SERIAL_LENGTH, SERIAL_LENGTH + 4))) {
    return packet('serial', inner.slice(0, SERIAL_LENGTH), inner.slice(SERIAL_LENGTH, SERIAL_LENGTH + 4), inner, SERIAL_LENGTH + 4);
  }
  const short = SERIAL_TYPE_IN_TEXT.exec(inner);
  if (short) return packet('serial', short[1], short[2], inner, short[0].length);
  return malformed('no message type after the serial number', 1);
}

function packet(dialect: Dialect, ident: string, type: string, inner: string, bodyAt: number): Packet | CodecError {
  if (!isValidIdent(ident) || ident.includes('(') || ident.includes(',')) return malformed(`device id "${ident.slice(0, 20)}" is not printable text`, 1);
  return { dialect, ident, type, body: inner.slice(bodyAt), at: bodyAt + 1 };
}

function malformed(reason: string, offset: number): CodecError {
  return new CodecError(CodecErrorCode.Malformed, reason, offset);
}
