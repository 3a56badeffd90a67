import { CodecError, type CodecErrorCode } from './errors.js';
import type { CodecOptions, FrameResult } from './types.js';

/**
 * Framing helpers shared by every `protocols/<name>/framer.ts` (STYLE §4: a framer returns a frame,
 * "need more bytes" or a typed error, and never throws).
 */

/** Not a whole frame yet: call again with more bytes. */
export const MORE: FrameResult = { type: 'more' };

/** UDP datagrams and HTTP requests arrive whole: the buffer is the frame. */
export function whole(buf: Buffer): FrameResult {
  return buf.length > 0 ? { type: 'frame', frame: buf, consumed: buf.length } : MORE;
}

/** An error that skips `consumed` bytes (0: the stream cannot be resynchronised and the connection closes). */
export function fail(code: CodecErrorCode, reason: string, consumed = 0, offset = 0): FrameResult {
  return { type: 'error', error: new CodecError(code, reason, offset), consumed };
}

/**
 * The `length` bytes at `start` as one frame (bytes before `start` are consumed with it): MORE while
 * they have not all arrived, an `oversize` error (consuming nothing) when the channel's frame limit
 * is below `length`.
 */
export function cut(buf: Buffer, start: number, length: number, options: CodecOptions, what = 'frame'): FrameResult {
  if (length > options.maxFrameSize) return fail('oversize', `${what} of ${length} bytes exceeds the channel's frame limit of ${options.maxFrameSize} bytes`);
  if (buf.length - start < length) return MORE;
  return { type: 'frame', frame: buf.subarray(start, start + length), consumed: start + length };
}

/** Index of the first byte at or after `from` that is not one of `bytes` (line ends between text frames). */
export function skipBytes(buf: Buffer, from: number, bytes: readonly number[]): number {
  let at = from;
  while (at < buf.length && bytes.includes(buf[at])) at++;
  return at;
}

/**
 * Where to resynchronise after garbage: the next `marker` at or after `from`; when there is none,
 * the end of the buffer, keeping a trailing part of the marker that may start the next frame.
 */
export function nextMarker(buf: Buffer, marker: string | Buffer, from: number): number {
  const m = typeof marker === 'string' ? Buffer.from(marker, 'latin1') : marker;
  const at = buf.indexOf(m, from);
  if (at >= 0) return at;
  for (let keep = Math.min(m.length - 1, buf.length - from); keep > 0; keep--) {
    if (buf.subarray(buf.length - keep).equals(m.subarray(0, keep))) return buf.length - keep;
  }
  return buf.length;
}

export interface TerminatedOptions {
  /** The bytes that end a frame (`\r\n`, `#`, `$`...). */
  readonly terminator: string | Buffer;
  /** Keep the terminator in the frame (default false). */
  readonly keep?: boolean;
  /** Resynchronise at this marker when no terminator comes within the frame limit (default: the next byte). */
  readonly resync?: string | Buffer;
  /** What a frame is called in error reasons (default "frame"). */
  readonly what?: string;
}

/**
 * A frame from `start` up to its terminator (text protocols). Without a terminator within the
 * channel's frame limit, the bytes up to the next resync marker are skipped with an `oversize` error.
 */
export function cutTerminated(buf: Buffer, start: number, options: CodecOptions, t: TerminatedOptions): FrameResult {
  const terminator = typeof t.terminator === 'string' ? Buffer.from(t.terminator, 'latin1') : t.terminator;
  const at = buf.indexOf(terminator, start);
  const what = t.what ?? 'frame';
  if (at < 0) {
    if (buf.length - start <= options.maxFrameSize) return MORE;
    const skip = t.resync === undefined ? start + 1 : nextMarker(buf, t.resync, start + 1);
    return fail('oversize', `no ${printable(terminator)} within the channel's frame limit of ${options.maxFrameSize} bytes`, skip);
  }
  const end = t.keep ? at + terminator.length : at;
  if (end - start > options.maxFrameSize) {
    return fail('oversize', `${what} of ${end - start} bytes exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, at + terminator.length);
  }
  return { type: 'frame', frame: buf.subarray(start, end), consumed: at + terminator.length };
}

function printable(b: Buffer): string {
  return JSON.stringify(b.toString('latin1'));
}
