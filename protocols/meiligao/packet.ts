import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { DEVICE_HEADER, ID_PAD, IMEI_BODY_DIGITS, Layout, SERVER_HEADER } from './constants.js';

/**
 * The envelope of one Meiligao packet, read by the inspector and the decoder alike (GPRS protocol
 * V2.1 §I): header, length, ID, command, where the data ends, and the CRC-CCITT check.
 */
export interface Packet {
  /** The 7 ID bytes as received (acks echo them). */
  readonly id: Buffer;
  /** The ID's digits; a 14-digit ID (an IMEI without its check digit) with its Luhn digit appended. */
  readonly ident: string;
  readonly command: number;
  /** Offset of the first data byte. */
  readonly data: number;
  /** Offset where the data ends: the checksum. */
  readonly dataEnd: number;
  /** The checksum matches CRC-16/CCITT-FALSE of every byte before it. */
  readonly checksumOk: boolean;
}

/** The checksum's name in errors (the RevEng catalogue name of CRC-CCITT with init 0xFFFF). */
export const CHECKSUM_NAME = CRC16.CCITT_FALSE.name;
const crc = crc16(CRC16.CCITT_FALSE);

/**
 * Reads the envelope of a packet. The packet ends at its length field when that field is right,
 * else at the end of the frame (decoder inputs with a zero length field); the checksum sits before
 * CR LF (or at the very end when the terminator is missing). Never throws.
 */
export function parsePacket(frame: Buffer): Packet | CodecError {
  if (frame.length < Layout.MinPacket) return new CodecError(CodecErrorCode.Truncated, `packet of ${frame.length} bytes is shorter than ${Layout.MinPacket}`);
  const h = frame[0];
  if ((h !== DEVICE_HEADER && h !== SERVER_HEADER) || frame[1] !== h)
    return new CodecError(CodecErrorCode.Malformed, 'packet does not start with "$$" or "@@"', 0);
  const declared = frame.readUInt16BE(Layout.Length);
  const total = declared >= Layout.MinPacket && declared <= frame.length && endsWithCrLf(frame, declared) ? declared : frame.length;
  const dataEnd = endsWithCrLf(frame, total) ? total - Layout.Trailer : total - 2;
  if (dataEnd < Layout.Data) return new CodecError(CodecErrorCode.Truncated, 'packet ends before its command', Layout.Command);
  const id = frame.subarray(Layout.Id, Layout.Id + Layout.IdSize);
  const ident = identOf(id);
  if (ident instanceof CodecError) return ident;
  return {
    id,
    ident,
    command: frame.readUInt16BE(Layout.Command),
    data: Layout.Data,
    dataEnd,
    checksumOk: crc(frame, 0, dataEnd) === frame.readUInt16BE(dataEnd),
  };
}

function endsWithCrLf(frame: Buffer, end: number): boolean {
  return frame[end - 2] === 0x0d && frame[end - 1] === 0x0a;
}

/** §I ID: decimal digits in nibbles up to the first F pad; a 14-digit ID gets its Luhn digit (the IMEI). */
function identOf(id: Buffer): string | CodecError {
  let digits = '';
  for (let i = 0; i < id.length * 2; i++) {
    const nibble = i % 2 === 0 ? id[i >> 1] >> 4 : id[i >> 1] & 0x0f;
    if (nibble === ID_PAD) break;
    if (nibble > 9)
      return new CodecError(CodecErrorCode.Malformed, `ID nibble ${nibble.toString(16).toUpperCase()} is not a decimal digit`, Layout.Id + (i >> 1));
    digits += String(nibble);
  }
  if (digits.length === 0 || !isValidIdent(digits)) return new CodecError(CodecErrorCode.Malformed, 'ID holds no digits', Layout.Id);
  return digits.length === IMEI_BODY_DIGITS ? digits + String(luhnDigit(digits)) : digits;
}

/** The Luhn check digit of a digit string (the 15th digit of an IMEI). */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 0x30;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The 7 ID bytes for an ident: its digits (an IMEI without the check digit: the first 14 of 15),
 * F-padded; an error when the ident is not 1-15 decimal digits.
 */
export function idBytes(ident: string): Buffer | CodecError {
  if (!/^\d{1,15}$/.test(ident)) return new CodecError(CodecErrorCode.Command, `ident "${ident}" is not the 1-15 digits of a Meiligao ID`);
  const digits = ident.slice(0, IMEI_BODY_DIGITS);
  return Buffer.from(digits.padEnd(Layout.IdSize * 2, 'F'), 'hex');
}

/**
 * One packet (§I): header (`$$` tracker, `@@` server), L (the whole packet), ID, command, data,
 * CRC-CCITT of all that, CR LF.
 */
export function buildPacket(header: '$$' | '@@', id: Buffer, command: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(Layout.MinPacket + data.length);
  out.write(header, 0, 'latin1');
  out.writeUInt16BE(out.length, Layout.Length);
  id.copy(out, Layout.Id, 0, Layout.IdSize);
  out.writeUInt16BE(command, Layout.Command);
  data.copy(out, Layout.Data);
  const end = Layout.Data + data.length;
  out.writeUInt16BE(crc(out, 0, end), end);
  out[end + 2] = 0x0d;
  out[end + 3] = 0x0a;
  return out;
}

/** A command code as the correlation of its answer: four upper-case hex digits (`4102`). */
export function codeText(command: number): string {
  return command.toString(16).toUpperCase().padStart(4, '0');
}
