import { CodecErrorCode } from '../common/errors.js';
import { fail, MORE, skipBytes, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { LINE_ENDS, LOGIN_MARKER, REPORT_MARKER, TERMINATORS } from './constants.js';

/**
 * Cuts one GPS103 sentence from a TCP stream: up to and with the first `;`, `*` or line feed (as
 * Traccar's framer splits), line ends between sentences skipped. A sentence starts with `##,`
 * (§1 login), a digit (§2 heartbeat) or `imei:` (§4 report); anything else is skipped up to the
 * next sentence. UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  const start = skipBytes(buf, 0, LINE_ENDS);
  if (start === buf.length) return MORE;
  if (!startsSentence(buf, start)) {
    return fail(CodecErrorCode.Malformed, `0x${buf[start].toString(16)} does not start a sentence (##, digit or imei:)`, resync(buf, start + 1));
  }
  const limit = Math.min(buf.length, start + options.maxFrameSize);
  for (let i = start; i < limit; i++) {
    if (TERMINATORS.includes(buf[i])) return { type: 'frame', frame: buf.subarray(start, i + 1), consumed: i + 1 };
  }
  if (buf.length - start <= options.maxFrameSize) return MORE;
  return fail(CodecErrorCode.Oversize, `no ; within the channel's frame limit of ${options.maxFrameSize} bytes`, resync(buf, start + 1));
}

function startsSentence(buf: Buffer, at: number): boolean {
  const c = buf[at];
  if (c >= 0x30 && c <= 0x39) return true;
  return isPrefixAt(buf, at, LOGIN_MARKER) || isPrefixAt(buf, at, REPORT_MARKER);
}

/** The marker at `at`, or as much of it as the buffer holds (a sentence start still arriving). */
function isPrefixAt(buf: Buffer, at: number, marker: string): boolean {
  for (let i = 0; i < marker.length && at + i < buf.length; i++) if (buf[at + i] !== marker.charCodeAt(i)) return false;
  return true;
}

/** Where the next sentence may start: after the next terminator, or at the next `##,` / `imei:`. */
function resync(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) {
    if (TERMINATORS.includes(buf[i])) return i + 1;
    if ((buf[i] === 0x23 || buf[i] === 0x69) && (isPrefixAt(buf, i, LOGIN_MARKER) || isPrefixAt(buf, i, REPORT_MARKER))) return i;
  }
  return buf.length;
}
