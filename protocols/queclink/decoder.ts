import { toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { decodeBinary } from './binary-decoder.js';
import { isBinary } from './framer.js';
import { decodeText } from './text-decoder.js';

/** Decodes one Queclink frame (text or binary) into messages and command replies. Never throws. */
export function decode(frame: Buffer, _ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    if (isBinary(frame)) decodeBinary(frame, out);
    else decodeText(frame, out);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}
