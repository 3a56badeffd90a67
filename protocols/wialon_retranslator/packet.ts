import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { MAX_IDENT_LENGTH, MIN_PACKET_SIZE, SIZE_FIELD } from './constants.js';

/**
 * The envelope of a Wialon Retranslator packet, read by the inspector and the decoder alike (spec
 * "Incoming data"): `size u32 LE | unit id ASCII 0x00 | time u32 BE | flags u32 BE | blocks`.
 * The framer cut the packet by its size field, so the blocks run to the end of the frame.
 */
export interface PacketHeader {
  /** The Wialon unit's unique id, as sent. */
  readonly ident: string;
  /** Unix seconds (UTC). */
  readonly time: number;
  readonly flags: number;
  /** Offset of the first data block. */
  readonly blocksAt: number;
}

/** The header of a packet, or a typed error when the bytes cannot be one. */
export function readHeader(frame: Buffer): PacketHeader | CodecError {
  if (frame.length < SIZE_FIELD + MIN_PACKET_SIZE) {
    return new CodecError(CodecErrorCode.Truncated, `packet of ${frame.length} bytes is shorter than a header (${SIZE_FIELD + MIN_PACKET_SIZE})`, 0);
  }
  const at = frame.subarray(SIZE_FIELD, SIZE_FIELD + MAX_IDENT_LENGTH + 1).indexOf(0);
  const nul = SIZE_FIELD + at;
  if (at < 0) {
    return new CodecError(CodecErrorCode.Malformed, `unit id does not end in 0x00 within ${MAX_IDENT_LENGTH} bytes`, SIZE_FIELD);
  }
  if (nul === SIZE_FIELD) return new CodecError(CodecErrorCode.Malformed, 'unit id is empty', SIZE_FIELD);
  if (frame.length < nul + 1 + 8) return new CodecError(CodecErrorCode.Truncated, 'packet ends before its time and flags', nul + 1);
  return {
    ident: frame.toString('latin1', SIZE_FIELD, nul),
    time: frame.readUInt32BE(nul + 1),
    flags: frame.readUInt32BE(nul + 5),
    blocksAt: nul + 9,
  };
}

/** A unit id the hub cannot use as an ident (DESIGN §3: printable, no `#`, `+`, `/` or spaces), as an error. */
export function identError(header: PacketHeader): CodecError | undefined {
  if (isValidIdent(header.ident)) return undefined;
  return new CodecError(CodecErrorCode.Malformed, `unit id ${JSON.stringify(header.ident)} is not a valid ident (printable, no spaces, #, + or /)`, SIZE_FIELD);
}
