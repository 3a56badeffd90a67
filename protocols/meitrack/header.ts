import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { COMMA, DOLLAR, MAX_IDENT_LENGTH, MAX_LENGTH_DIGITS, STAR } from './constants.js';

/** The text header every Meitrack frame starts with: `$$<flag><len>,<imei>,<type>,`. */
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

/** The typed error for a frame whose checksum is missing or wrong. */
export function checksumError(header: Header): CodecError {
  return new CodecError(CodecErrorCode.Checksum, 'byte-sum checksum missing or does not match the frame', header.end);
}
