import { toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { COMPACT_IDENTIFIER } from './constants.js';
import { isBinary } from './packet.js';
import { decodeBinary } from './records/binary.js';
import { decodeCompact } from './records/compact.js';
import { decodeText } from './records/text.js';

/**
 * Decodes one Queclink frame into messages and command replies: a text message (`+RESP`/`+BUFF`/
 * `+ACK`), a binary HEX-mode frame (`+RSP`/`+EVT`/`+INF`/`+ACK`…), or a compact `+ 00` frame.
 * The protocol has no checksum the hub verifies. Never throws.
 */
export function decode(frame: Buffer, _ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    if (!isBinary(frame)) decodeText(frame, out);
    else if (frame[1] === COMPACT_IDENTIFIER) decodeCompact(frame, out);
    else decodeBinary(frame, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}
