import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { CCC_RECORD_SIZE, COMMA, DOLLAR, MAX_IDENT_LENGTH, MAX_LENGTH_DIGITS, STAR } from './constants.js';

/**
 * The envelope of a Meitrack frame, read by the inspector and the decoder alike (GPRS protocol
 * §1.1): the text header every frame starts with, `$$<flag><len>,<imei>,<type>,`, the byte-sum
 * checksum, and what the inspector's acks need from CCC batches and D00 picture packets.
 */
/** The header of a device frame. */
export interface Header {
  /** Data identifier (one character); a command reply echoes the command's flag. */
  readonly flag: string;
  readonly ident: string;
  /** Command type, three characters (`AAA`, `CCC`, `CCE`, `D00`, `C01`...). */
  readonly type: string;
  /** Offset of the type's first byte. */
  readonly typeAt: number;
  /** Offset of the first data byte after `type,`. */
  readonly body: number;
  /** Offset where the data ends: the `*` before the checksum, or the end of the frame without CR LF. */
  readonly end: number;
  /** True when the frame carries `*XX` and XX is the byte sum of `$$` through `*`. */
  readonly checksumOk: boolean;
}

/** Byte sum mod 256 of `buf[start, end)` (GPRS protocol §1.1 checksum). */
export function sum8(buf: Uint8Array, start = 0, end = buf.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += buf[i];
  return sum & 0xff;
}

/** The checksum as the protocol writes it: two upper-case hex digits. */
export function checksumText(sum: number): string {
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** Parses the header of a device frame, or returns why it is not one. Never throws. */
export function parseHeader(frame: Buffer): Header | CodecError {
  if (frame.length < 10) return new CodecError(CodecErrorCode.Truncated, `frame of ${frame.length} bytes is shorter than a header`);
  if (frame[0] !== DOLLAR || frame[1] !== DOLLAR) return new CodecError(CodecErrorCode.Malformed, 'frame does not start with "$$"', 0);
  const lengthEnd = frame.indexOf(COMMA, 3);
  if (lengthEnd < 4 || lengthEnd > 3 + MAX_LENGTH_DIGITS) return new CodecError(CodecErrorCode.Malformed, 'no decimal length field before the first comma', 3);
  const identEnd = frame.indexOf(COMMA, lengthEnd + 1);
  if (identEnd < 0 || identEnd - lengthEnd - 1 > MAX_IDENT_LENGTH) return new CodecError(CodecErrorCode.Malformed, 'no IMEI field', lengthEnd + 1);
  const ident = frame.toString('latin1', lengthEnd + 1, identEnd);
  if (!/^[0-9A-Za-z]+$/.test(ident) || !isValidIdent(ident)) return new CodecError(CodecErrorCode.Malformed, 'IMEI field is not alphanumeric', lengthEnd + 1);
  const typeAt = identEnd + 1;
  const type = frame.toString('latin1', typeAt, typeAt + 3);
  if (!/^[0-9A-Z]{3}$/.test(type)) return new CodecError(CodecErrorCode.Malformed, 'command type is not three letters or digits', typeAt);
  const after = frame[typeAt + 3];
  if (after !== undefined && after !== COMMA && after !== STAR)
    return new CodecError(CodecErrorCode.Malformed, 'command type is longer than three characters', typeAt + 3);
  let end = frame.length;
  if (frame[end - 1] === 0x0a) end--;
  if (frame[end - 1] === 0x0d) end--;
  const star = end - 3;
  const hasChecksum = star > identEnd && frame[star] === STAR && /^[0-9A-Fa-f]{2}$/.test(frame.toString('latin1', star + 1, end));
  const checksumOk = hasChecksum && parseInt(frame.toString('latin1', star + 1, end), 16) === sum8(frame, 0, star + 1);
  return {
    flag: String.fromCharCode(frame[2]),
    ident,
    type,
    typeAt,
    body: Math.min(typeAt + 4, hasChecksum ? star : end),
    end: hasChecksum ? star : end,
    checksumOk,
  };
}

/** Record size and count of a CCC batch, for the ack (no decode). */
export function cccRecordCount(frame: Buffer, h: Header): number {
  if (h.end - h.body < 8) return 0;
  const size = frame.readUInt16LE(h.body + 2);
  return size < CCC_RECORD_SIZE ? 0 : Math.floor((h.end - h.body - 8) / size);
}

/** D00 picture packet: `D00,<file>,<packets>,<packet index>,<JPEG bytes>` (T622 protocol §3.46). */
export interface PhotoPacket {
  readonly file: string;
  readonly total: number;
  readonly index: number;
  readonly data: Buffer;
}

export function parsePhotoPacket(frame: Buffer, h: Header): PhotoPacket | CodecError {
  const c1 = frame.indexOf(COMMA, h.body);
  const c2 = c1 < 0 ? -1 : frame.indexOf(COMMA, c1 + 1);
  const c3 = c2 < 0 ? -1 : frame.indexOf(COMMA, c2 + 1);
  if (c3 < 0 || c3 > h.end) return new CodecError(CodecErrorCode.Malformed, 'D00 packet lacks file name, packet count or index', h.body);
  const total = Number(frame.toString('latin1', c1 + 1, c2));
  const index = Number(frame.toString('latin1', c2 + 1, c3));
  if (!Number.isInteger(total) || !Number.isInteger(index))
    return new CodecError(CodecErrorCode.Malformed, 'D00 packet count or index is not a number', c1 + 1);
  return { file: frame.toString('latin1', h.body, c1), total, index, data: frame.subarray(c3 + 1, h.end) };
}
