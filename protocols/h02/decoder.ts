import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import type { DecodeContext, Decoded } from '../common/types.js';
import { Marker } from './constants.js';
import { decodeBinary } from './records/binary.js';
import { decodeText } from './records/text.js';

/** Decodes one H02 frame: `*` text (records/text.ts) or `$` binary (records/binary.ts). Never throws. */
export function decode(frame: Buffer, _ctx: DecodeContext): Decoded {
  const out: Decoded = { messages: [], commandReplies: [], errors: [] };
  try {
    if (frame[0] === Marker.Text) decodeText(frame, out);
    else if (frame[0] === Marker.Binary) decodeBinary(frame, out);
    else throw new CodecError(CodecErrorCode.Unsupported, `frame kind 0x${(frame[0] ?? 0).toString(16)} is not decoded`, 0);
  } catch (err) {
    out.errors.push(toCodecError(err));
  }
  return out;
}
