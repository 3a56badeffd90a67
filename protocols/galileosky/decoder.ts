import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../common/types.js';
import { decodeCompressedRecords } from './compressed.js';
import { ARCHIVE_PENDING, CRC_SIZE, HEADER_SIZE, Header, LENGTH_MASK } from './constants.js';
import { decodeIridium, isIridium } from './iridium.js';
import { decodeTagStream } from './records.js';

const crcModbus = crc16(CRC16.MODBUS);

/**
 * Decodes one Galileosky frame: a data packet (tags, one message per record), a compressed packet,
 * a photo part, or an Iridium SBD message. `now` (ms) is used only to place compressed records
 * (which carry seconds since the start of the year) in a year; it defaults to the clock.
 */
export function decode(frame: Buffer, ctx: DecodeContext, now: number = ctx.receivedAt !== undefined ? ctx.receivedAt * 1000 : Date.now()): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    if (isIridium(frame)) {
      decodeIridium(frame, ctx, out, now);
      return out;
    }
    if (frame.length < HEADER_SIZE + CRC_SIZE)
      throw new CodecError(CodecErrorCode.Truncated, `packet of ${frame.length} bytes is shorter than header and CRC`, 0);
    const crcOk = checkCrc(frame);
    if (!crcOk) {
      out.errors.push(new CodecError(CodecErrorCode.Checksum, 'CRC-16/MODBUS of the packet does not match', frame.length - CRC_SIZE));
      if (ctx.options?.crc !== 'lenient') return out;
    }
    decodePacket(frame, out, now);
    const archive = (frame.readUInt16LE(1) & ARCHIVE_PENDING) !== 0;
    for (const m of out.messages) {
      if (archive) m['galileosky.archive.pending'] = true;
      if (!crcOk) m['crc.valid'] = false;
    }
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}

function decodePacket(frame: Buffer, out: Decoded, now: number): void {
  const end = Math.min(frame.length - CRC_SIZE, HEADER_SIZE + (frame.readUInt16LE(1) & LENGTH_MASK));
  const r = new Reader(frame, HEADER_SIZE, Math.max(HEADER_SIZE, end));
  switch (frame[0]) {
    case Header.Data:
      decodeTagStream(r, out);
      return;
    case Header.Compressed:
      decodeCompressedRecords(r, out, {}, now);
      return;
    case Header.Photo:
      out.messages.push(decodePhoto(r));
      return;
    default:
      throw new CodecError(CodecErrorCode.Unsupported, `packet header 0x${frame[0].toString(16)} is not a Galileosky device packet`, 0);
  }
}

/**
 * Photo part: part number u8 + JPEG bytes; a part with no bytes ends the photo. Parts are kept as
 * hex so the image can be put together downstream (parts arrive in order on one connection).
 */
function decodePhoto(r: Reader): Message {
  const part = r.u8();
  const data = r.bytes(r.remaining);
  return data.length === 0
    ? { 'galileosky.photo.part': part, 'galileosky.photo.end': true }
    : { 'galileosky.photo.part': part, 'galileosky.photo.data': data.toString('hex') };
}

/** True when the last two bytes are the CRC-16/MODBUS (LE) of everything before them. */
export function checkCrc(frame: Buffer): boolean {
  if (frame.length < HEADER_SIZE + CRC_SIZE) return false;
  const end = frame.length - CRC_SIZE;
  return crcModbus(frame, 0, end) === frame.readUInt16LE(end);
}
