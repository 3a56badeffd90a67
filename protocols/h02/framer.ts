import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE, nextMarker, skipBytes, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { BinaryLength, Marker, SettingKey, VAR_BINARY_LENGTH } from './constants.js';

const LINE_ENDS = [0x0d, 0x0a];
const TEXT = Buffer.from([Marker.Text]);
const BINARY = Buffer.from([Marker.Binary]);

/**
 * Cuts one H02 frame from a TCP stream: `*`…`#` text (line endings around it are skipped with
 * it), `$` + a fixed-length binary frame, or `X` + 31 bytes. Garbage is skipped up to the next
 * `*` or `$`. UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  const start = skipBytes(buf, 0, LINE_ENDS);
  if (start === buf.length) return MORE;
  switch (buf[start]) {
    case Marker.Text:
      return cutText(buf, start, options);
    case Marker.Binary:
      return cutBinary(buf, start, binaryLength(buf, start, state, options), options);
    case Marker.Alternative:
      return cutBinary(buf, start, BinaryLength.Short, options);
    default:
      return fail(CodecErrorCode.Malformed, `0x${buf[start].toString(16)} is not a frame start (*, $ or X)`, resync(buf, start + 1));
  }
}

/** `*...#`, and the line ends after it (consumed with the frame). */
function cutText(buf: Buffer, start: number, options: CodecOptions): FrameResult {
  const end = buf.indexOf(Marker.End, start);
  if (end < 0 || end - start + 1 > options.maxFrameSize) {
    if (buf.length - start <= options.maxFrameSize) return MORE;
    return fail(CodecErrorCode.Oversize, `no # within the channel's frame limit of ${options.maxFrameSize} bytes`, resync(buf, start + 1));
  }
  return { type: 'frame', frame: buf.subarray(start, end + 1), consumed: skipBytes(buf, end + 1, LINE_ENDS) };
}

/**
 * Length of a `$` frame: the channel's `messageLength` setting when set; otherwise 32 when byte 32
 * starts another frame or the buffer holds exactly 32 bytes (unless this connection already sent
 * 45-byte frames), else 45. The 42-byte IMEI variant needs the `messageLength` setting.
 */
function binaryLength(buf: Buffer, start: number, state: SessionState, options: CodecOptions): number {
  const fixed = Number(options.settings?.[SettingKey.MessageLength] ?? 0);
  if (Number.isInteger(fixed) && fixed >= BinaryLength.Core) return fixed;
  const available = buf.length - start;
  if (available <= BinaryLength.Short) {
    return state.vars[VAR_BINARY_LENGTH] === BinaryLength.Long ? BinaryLength.Long : BinaryLength.Short;
  }
  return isMarker(buf[start + BinaryLength.Short]) ? BinaryLength.Short : BinaryLength.Long;
}

/** A fixed-length frame; one longer than the channel allows is skipped up to the next frame start. */
function cutBinary(buf: Buffer, start: number, length: number, options: CodecOptions): FrameResult {
  if (length > options.maxFrameSize) {
    return fail(CodecErrorCode.Oversize, `binary frame of ${length} bytes exceeds the channel's frame limit`, resync(buf, start + 1));
  }
  return cut(buf, start, length, options, 'binary frame');
}

function isMarker(byte: number): boolean {
  return byte === Marker.Text || byte === Marker.Binary || byte === Marker.Alternative;
}

/** Index of the next `*` or `$` (resync points) at or after `from`, or the buffer length when there is none. */
function resync(buf: Buffer, from: number): number {
  return Math.min(nextMarker(buf, TEXT, from), nextMarker(buf, BINARY, from));
}
