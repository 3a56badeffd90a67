import { CodecErrorCode } from '../common/errors.js';
import { fail, MORE, nextMarker } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { HEADER_LONG, HEADER_SHORT, LENGTHLESS_TYPES } from './constants.js';
import { declaredSize } from './packet.js';

const CRLF = Buffer.from([0x0d, 0x0a]);
const SHORT = Buffer.from([0x78, 0x78]);
const LONG = Buffer.from([0x79, 0x79]);
/** `7878 05 <type> <serial> <crc> 0D0A` is the smallest frame with a serial and CRC. */
const MIN_FRAME = 10;

/**
 * Cuts one GT06 frame from a TCP stream. The frame normally ends where its length field says
 * (`0D0A` at size-2). Real devices also send frames 1 byte longer (0x10: the length leaves out the
 * protocol byte) or 2 bytes longer (the length leaves out serial or CRC); those are accepted when
 * `0D0A` sits exactly there. WiFi packets (0x17/0x69) put an access-point count in the length byte:
 * they end at their first `0D0A`. Every decision needs the bytes it looks at, so the result does
 * not depend on how the stream was chunked, with one exception kept from Traccar's framer: data
 * that ends with `0D0A` before the announced size is taken as a (short) frame, because some
 * devices send frames whose length field is too large. A segment that happens to end right after
 * a `0D0A` inside a frame would be cut there; the piece then fails its CRC and the device resends.
 */
export function frame(buf: Buffer, _state: SessionState, options: CodecOptions): FrameResult {
  if (buf.length < 2) return MORE;
  const head = buf.readUInt16BE(0);
  if (head !== HEADER_SHORT && head !== HEADER_LONG) return resync(buf, 'expected 7878 or 7979 at the start of a frame');
  const long = head === HEADER_LONG;
  if (buf.length < (long ? 5 : 4)) return MORE;
  const length = long ? buf.readUInt16BE(2) : buf[2];
  const size = declaredSize(long, length);
  if (size > options.maxFrameSize)
    return fail(CodecErrorCode.Oversize, `length ${length} exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, 0, 2);
  if (buf.length < size && endsAt(buf, buf.length) && buf.length >= MIN_FRAME) {
    return upTo(buf, buf.length); // a short frame that ends where the data ends
  }
  for (const end of [size, size + 1, size + 2]) {
    if (buf.length < end) return MORE;
    if (endsAt(buf, end)) return upTo(buf, end);
  }
  if (LENGTHLESS_TYPES.has(buf[long ? 4 : 3])) return cutAtTerminator(buf, long ? 5 : 4, options);
  return resync(buf, `no 0D0A where the length field (${length}) puts the end of the frame`);
}

/** The frame `buf[0, end)`, ended by the `0D0A` found there. */
function upTo(buf: Buffer, end: number): FrameResult {
  return { type: 'frame', frame: buf.subarray(0, end), consumed: end };
}

function endsAt(buf: Buffer, end: number): boolean {
  return buf[end - 2] === 0x0d && buf[end - 1] === 0x0a;
}

/** A WiFi packet ends at its first `0D0A` after the header. */
function cutAtTerminator(buf: Buffer, from: number, options: CodecOptions): FrameResult {
  const at = buf.indexOf(CRLF, from);
  if (at >= 0) return upTo(buf, at + 2);
  if (buf.length >= options.maxFrameSize) return fail(CodecErrorCode.Oversize, `no 0D0A within the channel's frame limit of ${options.maxFrameSize} bytes`);
  return MORE;
}

/** Skips to the next `7878`/`7979` marker (keeping a trailing `78`/`79` that may start one). */
function resync(buf: Buffer, reason: string): FrameResult {
  return fail(CodecErrorCode.Malformed, reason, Math.min(nextMarker(buf, SHORT, 1), nextMarker(buf, LONG, 1)));
}
