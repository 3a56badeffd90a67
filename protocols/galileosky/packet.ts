import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { Reader } from '../common/reader.js';
import { ARCHIVE_PENDING, CRC_SIZE, HEADER_SIZE, IMEI_LENGTH, Iridium, LENGTH_MASK, Tag } from './constants.js';
import { TAGS } from './params.js';

/**
 * The envelope of a Galileosky frame, read by the inspector and the decoder alike: a packet
 * (`header u8 | length u16 LE (bit 15: archive pending) | tags | CRC-16/MODBUS u16 LE`), or an
 * Iridium SBD Direct IP message (`01 | length u16 BE | information elements`).
 */

const crcModbus = crc16(CRC16.MODBUS);

/** The checksum's name in CRC errors. */
export const CRC_NAME = 'CRC-16/MODBUS';

/** A packet too short for its header and CRC, or undefined when it is long enough. */
export function tooShort(frame: Buffer): CodecError | undefined {
  if (frame.length >= HEADER_SIZE + CRC_SIZE) return undefined;
  return new CodecError(CodecErrorCode.Truncated, `packet of ${frame.length} bytes is shorter than header and CRC`, 0);
}

/** True when the last two bytes are the CRC-16/MODBUS (LE) of everything before them. */
export function crcMatches(frame: Buffer): boolean {
  if (frame.length < HEADER_SIZE + CRC_SIZE) return false;
  const end = frame.length - CRC_SIZE;
  return crcModbus(frame, 0, end) === frame.readUInt16LE(end);
}

/** Bit 15 of the length field: the terminal still has unsent archive records. */
export function archivePending(frame: Buffer): boolean {
  return (frame.readUInt16LE(1) & ARCHIVE_PENDING) !== 0;
}

/** A packet with a length of 0 (nothing to store). */
export function isEmpty(frame: Buffer): boolean {
  return (frame.readUInt16LE(1) & LENGTH_MASK) === 0;
}

/** A reader over the packet's tags: from the header to the length field's end, never into the CRC. */
export function bodyReader(frame: Buffer): Reader {
  const end = Math.min(frame.length - CRC_SIZE, HEADER_SIZE + (frame.readUInt16LE(1) & LENGTH_MASK));
  return new Reader(frame, HEADER_SIZE, Math.max(HEADER_SIZE, end));
}

/** An unsigned little-endian integer of `n` bytes (n ≤ 6). */
export function uintLe(r: Reader, n: number): number {
  return r.bytes(n).readUIntLE(0, n);
}

/** Skips one tag's value without decoding it; false when the tag is unknown (its length is too). */
function skipTag(r: Reader, tag: number): boolean {
  const def = TAGS[tag];
  if (!def) return false;
  if (tag === Tag.CommandText || tag === Tag.UserDataArray) r.skip(r.u8());
  else if (tag === Tag.Extended) r.skip(uintLe(r, 2));
  else r.skip(def.length);
  return true;
}

/** Walks the first record's tags (without decoding them) until tag 03; undefined when absent. */
export function findImei(frame: Buffer): string | undefined {
  const r = bodyReader(frame);
  const seen = new Uint8Array(256);
  try {
    while (r.remaining > 0) {
      const tag = r.u8();
      if (seen[tag]) return undefined;
      seen[tag] = 1;
      if (tag === Tag.Imei) {
        const imei = r.ascii(IMEI_LENGTH);
        return /^\d+$/.test(imei) && isValidIdent(imei) ? imei : undefined;
      }
      if (!skipTag(r, tag)) return undefined;
    }
  } catch {
    return undefined; // truncated: the decoder reports it
  }
  return undefined;
}

/** Offset of the Iridium IMEI: revision, length, MO header id + length, CDR reference u32. */
const IRIDIUM_IMEI_OFFSET = 3 + 3 + 4;

/** True for an Iridium SBD Direct IP message: `01` | length u16 BE | `01 001C` MO header. */
export function isIridium(frame: Buffer): boolean {
  return frame.length >= 6 && frame[0] === Iridium.Revision && frame[3] === Iridium.MoHeader && frame.readUInt16BE(4) === Iridium.MoHeaderLength;
}

/** The modem IMEI from the MO header (ASCII), or undefined when the message is too short. */
export function iridiumImei(frame: Buffer): string | undefined {
  const at = IRIDIUM_IMEI_OFFSET;
  return frame.length >= at + IMEI_LENGTH ? frame.toString('latin1', at, at + IMEI_LENGTH) : undefined;
}
