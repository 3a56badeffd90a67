import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { CRC_SIZE, HEADER_SIZE, Header, Iridium, LENGTH_MASK } from './constants.js';

/** Bytes an Iridium message must start with (revision, length, length, MO header `01 001C`); -1 = any. */
const IRIDIUM_START = [Iridium.Revision, -1, -1, Iridium.MoHeader, 0x00, Iridium.MoHeaderLength] as const;

/**
 * Cuts one Galileosky packet from a TCP stream: header (`01` data, `07` photo, `08` compressed) |
 * length u16 LE (bit 15: archive pending) | tags | CRC u16. Iridium SBD Direct IP messages, which
 * also start with `01`, are cut by their big-endian length. Any other first byte is not this
 * protocol: the stream cannot be resynchronised (no start marker), so the connection is refused.
 */
export function frame(buf: Buffer, _state: SessionState, options: CodecOptions): FrameResult {
  if (buf.length === 0) return MORE;
  const header = buf[0];
  if (header !== Header.Data && header !== Header.Photo && header !== Header.Compressed) {
    return fail(CodecErrorCode.Malformed, `packet header 0x${header.toString(16)} is not 01, 07 or 08`);
  }
  if (buf.length < HEADER_SIZE) return MORE;
  if (header === Header.Data && couldBeIridium(buf)) {
    if (buf.length < IRIDIUM_START.length) return MORE;
    return cut(buf, 0, HEADER_SIZE + buf.readUInt16BE(1), options, 'packet');
  }
  return cut(buf, 0, HEADER_SIZE + (buf.readUInt16LE(1) & LENGTH_MASK) + CRC_SIZE, options, 'packet');
}

/** The bytes present match the start of an Iridium message and its length can hold the MO header. */
function couldBeIridium(buf: Buffer): boolean {
  if (buf.readUInt16BE(1) < Iridium.MinLength - HEADER_SIZE) return false;
  for (let i = 3; i < IRIDIUM_START.length && i < buf.length; i++) if (buf[i] !== IRIDIUM_START[i]) return false;
  return true;
}
