import { CodecError } from '../common/errors.js';
import { Reader } from '../common/reader.js';
import type { DecodeContext, Decoded, Message } from '../common/types.js';
import { Flag } from './constants.js';
import { identError, readHeader } from './packet.js';
import { decodeBlocks } from './records/blocks.js';

/**
 * Decodes one Wialon Retranslator packet (spec "Incoming data") into one message of its unit: the
 * header's id and time, then every data block (records/blocks.ts). There is no checksum, so the
 * channel's CRC policy has nothing to apply to. A packet without `posinfo` is a message without a
 * position (Traccar would repeat the unit's last location; the hub keeps that to its consumers).
 */
export function decode(frame: Buffer, _ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  const header = readHeader(frame);
  if (header instanceof CodecError) {
    out.errors.push(header);
    return out;
  }
  const bad = identError(header);
  if (bad) {
    out.errors.push(bad);
    return out;
  }
  const m: Message = { ident: header.ident, timestamp: header.time };
  out.messages.push(m);
  decodeBlocks(new Reader(frame, header.blocksAt), m, out.errors);
  applyFlags(m, header.flags);
  return out;
}

/**
 * The flags where no block said the same (spec "Bit flags of a message"): 0x01 makes a reported
 * position valid (a `position_valid` block from a hub stream says it itself), 0x10 is the alarm bit.
 */
function applyFlags(m: Message, flags: number): void {
  if (m['position.latitude'] !== undefined && m['position.valid'] === undefined) m['position.valid'] = (flags & Flag.Location) !== 0;
  if ((flags & Flag.Alarm) !== 0 && m['alarm.event.trigger'] === undefined) m['alarm.event.trigger'] = true;
}
