import { CodecErrorCode } from '../common/errors.js';
import { fail, MORE, nextMarker, skipBytes, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { LINE_ENDS, Marker } from './constants.js';

/**
 * Cuts one TK103 frame from a TCP stream (§2): from `(` to the first `)` that is not inside `$...$`
 * free text (ZC03 command results may hold `)`), kept whole. Line ends between frames are skipped;
 * other bytes before a `(` are skipped with a `malformed` error. A `(` outside free text before the
 * closing `)` means the frame was cut short: it is skipped and framing resumes at the new `(`.
 * UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  const start = skipBytes(buf, 0, LINE_ENDS);
  if (start === buf.length) return start <= options.maxFrameSize ? MORE : fail(CodecErrorCode.Oversize, 'line ends without a frame', start);
  if (buf[start] !== Marker.Open) {
    return fail(CodecErrorCode.Malformed, `0x${buf[start].toString(16)} does not start a frame (expected "(")`, nextMarker(buf, '(', start + 1));
  }
  const limit = Math.min(buf.length, start + options.maxFrameSize);
  let inText = false;
  for (let i = start + 1; i < limit; i++) {
    const c = buf[i];
    if (c === Marker.Text) inText = !inText;
    else if (inText) continue;
    else if (c === Marker.Close) return { type: 'frame', frame: buf.subarray(start, i + 1), consumed: i + 1 };
    else if (c === Marker.Open) return fail(CodecErrorCode.Malformed, 'frame cut short: "(" before its ")"', i, i - start);
  }
  if (buf.length - start <= options.maxFrameSize) return MORE;
  return fail(CodecErrorCode.Oversize, `no ")" within the channel's frame limit of ${options.maxFrameSize} bytes`, nextMarker(buf, '(', start + 1));
}
