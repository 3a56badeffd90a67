import { CodecErrorCode } from '../common/errors.js';
import { fail, MORE, skipBytes, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { CR, HASH, LF } from './constants.js';

/**
 * Cuts one Wialon IPS line from a TCP stream (spec "General structure": `#TYPE#msg\r\n`). The
 * frame is the line without its line end; empty lines before it are consumed with it. A bare LF
 * also ends a line. A line longer than `maxFrameSize` is skipped with an `oversize` error; a line
 * without any `#` is skipped as `malformed` (the next line is the resync point). With no line end
 * within `maxFrameSize` bytes the stream is unusable (consumed 0). UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  const start = skipBytes(buf, 0, [CR, LF]);
  if (start === buf.length) return MORE;
  const lf = buf.indexOf(LF, start);
  if (lf < 0) {
    if (buf.length - start <= options.maxFrameSize + 1) return MORE; // + 1: the CR before the LF to come
    return fail(CodecErrorCode.Oversize, `no line end within the channel's frame limit of ${options.maxFrameSize} bytes`, 0, start);
  }
  const end = buf[lf - 1] === CR ? lf - 1 : lf;
  if (end - start > options.maxFrameSize) {
    return fail(CodecErrorCode.Oversize, `line of ${end - start} bytes exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, lf + 1, start);
  }
  const line = buf.subarray(start, end);
  if (line.indexOf(HASH) < 0) return fail(CodecErrorCode.Malformed, 'line has no #TYPE# marker', lf + 1, start);
  return { type: 'frame', frame: line, consumed: lf + 1 };
}
