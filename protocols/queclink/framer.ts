import { CodecErrorCode } from '../common/errors.js';
import { cut, cutTerminated, fail, MORE, nextMarker, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { MIN_FRAME, START } from './constants.js';
import { binaryLength } from './packet.js';

/**
 * Cuts one Queclink frame from a TCP stream. Text: `+RESP:…`, `+BUFF:…`, `+ACK:…` up to `$`
 * (the frame excludes the `$`, which is consumed, as Traccar's Gl200FrameDecoder does). Binary:
 * `+RSP`/`+EVT`/`+INF`/`+HBD`/`+CRD`… or the compact `+ 00` form, by their length fields.
 * UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport === 'udp') return whole(buf);
  if (buf.length === 0) return MORE;
  if (buf[0] !== START) return skip(buf, `expected "+" at the start of a frame, got 0x${buf[0].toString(16)}`);
  if (buf.length < MIN_FRAME) return MORE;
  const length = binaryLength(buf);
  if (length === undefined) return cutTerminated(buf, 0, options, { terminator: '$', resync: '+', what: 'text frame' });
  if (length < MIN_FRAME) return skip(buf, `binary length ${length} is shorter than a header`);
  return cut(buf, 0, length, options, 'binary frame');
}

/** Skips to the next `+` (text protocols resync on the start marker). */
function skip(buf: Buffer, reason: string): FrameResult {
  return fail(CodecErrorCode.Malformed, reason, nextMarker(buf, '+', 1));
}
