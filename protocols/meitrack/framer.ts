import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE, nextMarker, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { COMMA, DOLLAR, MAX_LENGTH_DIGITS, MIN_LENGTH } from './constants.js';

const START = Buffer.from('$$', 'latin1');

/**
 * Cuts one Meitrack frame from a TCP stream by its length field (GPRS protocol §1.1):
 * `$$` + flag + decimal `len` + `,` ..., where `len` counts from the first comma through `\r\n`,
 * so the frame is `index of the first comma + len` bytes long. Text (AAA) and binary (CCC, CCE,
 * D00) frames share this header. Garbage is skipped up to the next `$$`. UDP datagrams are whole
 * frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  if (buf.length === 0) return MORE;
  if (buf[0] !== DOLLAR || (buf.length > 1 && buf[1] !== DOLLAR)) return resync(buf, 1, 'expected the "$$" frame header');
  if (buf.length < 4) return MORE;
  let length = 0;
  let at = 3;
  for (; at < buf.length; at++) {
    const c = buf[at];
    if (c === COMMA) break;
    if (c < 0x30 || c > 0x39) return resync(buf, 2, 'length field is not decimal');
    if (at - 3 >= MAX_LENGTH_DIGITS) return resync(buf, 2, `length field is longer than ${MAX_LENGTH_DIGITS} digits`);
    length = length * 10 + (c - 0x30);
  }
  if (at === buf.length) return MORE;
  if (at === 3) return resync(buf, 2, 'length field is empty');
  if (length < MIN_LENGTH) return resync(buf, 2, `length ${length} is too short for a frame`);
  const total = at + length;
  if (total > options.maxFrameSize) {
    return resync(buf, 2, `frame length ${total} exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, CodecErrorCode.Oversize);
  }
  return cut(buf, 0, total, options);
}

/** Skips to the next `$$` at or after `from` (keeping a trailing `$` that may start one). */
function resync(buf: Buffer, from: number, reason: string, code: CodecErrorCode = CodecErrorCode.Malformed): FrameResult {
  return fail(code, reason, nextMarker(buf, START, from));
}
