import { CodecErrorCode } from '../common/errors.js';
import { fail, MORE, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { FLAG, TEXT_CLOSE, TEXT_OPEN } from './constants.js';
import { unescapeFrame } from './packet.js';

/**
 * Cuts one JT/T 808 frame from a TCP stream (JT/T 808-2019 §4.4): `7E … 7E`, returned unescaped
 * (`7D 02` → `7E`, `7D 01` → `7D`), or a vendor text frame `(…)`. Bytes before a flag are skipped;
 * two flags with nothing between them are the end of one frame and the start of the next, and so is
 * the flag that ends too long a frame (the packet check refuses frames too short for a header). UDP
 * datagrams are whole frames (unescaped by packet.ts).
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport === 'udp') return whole(buf);
  if (buf.length === 0) return MORE;
  if (buf[0] === TEXT_OPEN) return textFrame(buf, options);
  if (buf[0] !== FLAG) {
    const next = nextStart(buf, 1);
    return fail(CodecErrorCode.Malformed, `expected 7E or "(", skipping ${next} byte(s)`, next);
  }
  const end = buf.indexOf(FLAG, 1);
  if (end < 0) {
    if (buf.length <= options.maxFrameSize) return MORE;
    return fail(CodecErrorCode.Oversize, `no closing 7E within the channel's frame limit of ${options.maxFrameSize} bytes`, nextStart(buf, 1));
  }
  if (end === 1) return fail(CodecErrorCode.Malformed, 'two 7E flags with nothing between them', 1);
  if (end + 1 > options.maxFrameSize) {
    return fail(CodecErrorCode.Oversize, `frame of ${end + 1} bytes exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, end);
  }
  return { type: 'frame', frame: Buffer.concat([buf.subarray(0, 1), unescapeFrame(buf, 1, end), buf.subarray(end, end + 1)]), consumed: end + 1 };
}

/** `(` … `)` text of Jointech e-locks. */
function textFrame(buf: Buffer, options: CodecOptions): FrameResult {
  const end = buf.indexOf(TEXT_CLOSE, 1);
  if (end < 0) {
    if (buf.length <= Math.min(options.maxFrameSize, 1024)) return MORE;
    return fail(CodecErrorCode.Oversize, 'no ")" within 1024 bytes of "("', nextStart(buf, 1));
  }
  return { type: 'frame', frame: buf.subarray(0, end + 1), consumed: end + 1 };
}

/** Index of the next 7E or `(` at or after `from` (the buffer's length when there is none). */
function nextStart(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] === FLAG || buf[i] === TEXT_OPEN) return i;
  return buf.length;
}
