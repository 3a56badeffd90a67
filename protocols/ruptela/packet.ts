import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { CRC_SIZE, HEADER_SIZE } from './constants.js';

/**
 * The envelope of a Ruptela frame, read by the inspector and the decoder alike:
 * `len u16 | IMEI u64 | command u8 | payload | CRC-16/KERMIT u16` (length and CRC over IMEI .. payload).
 */

const crcKermit = crc16(CRC16.KERMIT);

/** The checksum's name in CRC errors: a wrong length field fails the same check. */
export const CRC_NAME = 'length field or CRC-16/KERMIT';

/** A frame too short for the header and the CRC, or undefined when it is long enough. */
export function tooShort(frame: Buffer): CodecError | undefined {
  if (frame.length >= HEADER_SIZE + CRC_SIZE) return undefined;
  return new CodecError(CodecErrorCode.Truncated, `frame of ${frame.length} bytes is shorter than a header and CRC`, 0);
}

/** True when the length field spans the frame exactly and the CRC-16/KERMIT of IMEI..payload matches. */
export function crcMatches(frame: Buffer): boolean {
  if (frame.length < HEADER_SIZE + CRC_SIZE) return false;
  const length = frame.readUInt16BE(0);
  if (2 + length + CRC_SIZE !== frame.length) return false;
  return crcKermit(frame, 2, 2 + length) === frame.readUInt16BE(2 + length);
}

/** The IMEI (u64 after the length) as a decimal ident of at least 15 digits. */
export function readIdent(frame: Buffer): string | undefined {
  if (frame.length < 10) return undefined;
  const imei = frame.readBigUInt64BE(2);
  return imei === 0n ? undefined : imei.toString().padStart(15, '0');
}

/** The command id (the byte after the IMEI). */
export function frameType(frame: Buffer): number {
  return frame[HEADER_SIZE - 1];
}
