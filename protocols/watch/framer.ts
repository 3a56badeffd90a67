import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fail, MORE, nextMarker, skipBytes } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { LENGTH_SLACK, LINE_ENDS, Marker } from './constants.js';
import { readHeader } from './packet.js';

const OPEN = Buffer.from([Marker.Open]);

/**
 * Cuts one watch frame `[...]` from a TCP stream (the protocol is TCP only: SeTracker "all GPRS
 * communication, not UDP"). The length field ends the frame when the byte it points at is `]`.
 * Units also send wrong lengths (10 of 43 corpus frames) and text with `]` in it (a Wi-Fi name), so
 * otherwise the frame ends at the first `]` that is followed by `[`, a line end, or nothing yet (when
 * the announced end is past the buffer, only within LENGTH_SLACK of it). Garbage is skipped to the next `[`.
 */
export function frame(buf: Buffer, _state: SessionState, options: CodecOptions): FrameResult {
  const start = skipBytes(buf, 0, LINE_ENDS);
  if (start === buf.length) return MORE;
  if (buf[start] !== Marker.Open) return fail(CodecErrorCode.Malformed, `0x${buf[start].toString(16)} does not start a frame ([)`, resync(buf, start + 1));
  const header = readHeader(buf, start);
  if (header === 'more') return buf.length - start > options.maxFrameSize ? oversize(buf, start, options) : MORE;
  if (header instanceof CodecError) return { type: 'error', error: header, consumed: resync(buf, start + 1) };
  const announced = header.contentAt + header.length;
  const end = announced < buf.length && buf[announced] === Marker.Close ? announced : closing(buf, header.contentAt, announced);
  if (end === undefined) return buf.length - start > options.maxFrameSize ? oversize(buf, start, options) : MORE;
  if (end + 1 - start > options.maxFrameSize) return oversize(buf, start, options, end + 1);
  return { type: 'frame', frame: buf.subarray(start, end + 1), consumed: skipBytes(buf, end + 1, LINE_ENDS) };
}

/** The first `]` from `from` that ends a frame whose length field did not hold (or cannot be checked yet). */
function closing(buf: Buffer, from: number, announced: number): number | undefined {
  for (let i = buf.indexOf(Marker.Close, from); i >= 0; i = buf.indexOf(Marker.Close, i + 1)) {
    const next = skipBytes(buf, i + 1, LINE_ENDS);
    if (next < buf.length) {
      if (buf[next] === Marker.Open) return i;
    } else if (announced < buf.length || announced - i <= LENGTH_SLACK || next > i + 1) {
      return i;
    }
  }
  return undefined;
}

function oversize(buf: Buffer, start: number, options: CodecOptions, consumed = resync(buf, start + 1)): FrameResult {
  return fail(CodecErrorCode.Oversize, `frame exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, consumed);
}

/** Where the next frame may start: the next `[` at or after `from`. */
function resync(buf: Buffer, from: number): number {
  return nextMarker(buf, OPEN, from);
}
