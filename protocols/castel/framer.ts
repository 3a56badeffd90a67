import { CodecErrorCode } from '../common/errors.js';
import { fail, MORE, nextMarker, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { HEAD_SIZE, HEAD_SIZE_MPIP, HEADER, HEADER_MPIP, TAIL_SIZE } from './constants.js';

const AT = Buffer.from('@@', 'latin1');
const DOLLAR = Buffer.from('$$', 'latin1');

/**
 * Cuts one Castel frame from a TCP stream (CB212-C1005 §1.1): `@@` or `$$`, then the length of
 * the whole frame (u16 LE), which must end with `0D0A`. A length below the smallest frame, a frame
 * that does not end with `0D0A` and bytes that start no frame are skipped up to the next `@@` or
 * `$$` with a typed error; a length above the channel's limit is an `oversize` error that skips
 * the same way. UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  if (buf.length === 0) return MORE;
  if (buf.length === 1) return buf[0] === AT[0] || buf[0] === DOLLAR[0] ? MORE : resync(buf, CodecErrorCode.Malformed, 'expected @@ or $$');
  const head = buf.readUInt16BE(0);
  if (head !== HEADER && head !== HEADER_MPIP) return resync(buf, CodecErrorCode.Malformed, 'expected @@ or $$ at the start of a frame');
  if (buf.length < 4) return MORE;
  const length = buf.readUInt16LE(2);
  const min = (head === HEADER ? HEAD_SIZE : HEAD_SIZE_MPIP) + TAIL_SIZE;
  if (length < min) return resync(buf, CodecErrorCode.Malformed, `length field ${length} is below the ${min}-byte minimum`);
  if (length > options.maxFrameSize) {
    return resync(buf, CodecErrorCode.Oversize, `length ${length} exceeds the channel's frame limit of ${options.maxFrameSize} bytes`);
  }
  if (buf.length < length) return MORE;
  if (buf[length - 2] !== 0x0d || buf[length - 1] !== 0x0a)
    return resync(buf, CodecErrorCode.Malformed, `no 0D0A where the length field (${length}) ends the frame`);
  return { type: 'frame', frame: buf.subarray(0, length), consumed: length };
}

/** Skips to the next `@@` or `$$` (keeping a trailing `@` or `$` that may start one). */
function resync(buf: Buffer, code: CodecErrorCode, reason: string): FrameResult {
  return fail(code, reason, Math.min(nextMarker(buf, AT, 1), nextMarker(buf, DOLLAR, 1)));
}
