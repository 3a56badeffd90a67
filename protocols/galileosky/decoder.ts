import { crcVerdict, markCrcInvalid } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { CRC_SIZE, Header } from './constants.js';
import { archivePending, bodyReader, CRC_NAME, crcMatches, isIridium, tooShort } from './packet.js';
import { decodeCompressedRecords } from './records/compressed.js';
import { decodeIridium } from './records/iridium.js';
import { decodePhoto } from './records/photo.js';
import { decodeTagStream } from './records/tags.js';

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
    const short = tooShort(frame);
    if (short) throw short;
    const crc = crcVerdict(crcMatches(frame), ctx.options, CRC_NAME, frame.length - CRC_SIZE);
    if (crc.error) out.errors.push(crc.error); // reported under both policies
    if (!crc.pass) return out;
    decodePacket(frame, out, now);
    if (archivePending(frame)) for (const m of out.messages) m['galileosky.archive.pending'] = true;
    if (crc.error) markCrcInvalid(out.messages);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}

function decodePacket(frame: Buffer, out: Decoded, now: number): void {
  const r = bodyReader(frame);
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
