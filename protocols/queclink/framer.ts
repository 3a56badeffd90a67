import { CodecError, CodecErrorCode } from '../common/errors.js';
import { cutTerminated } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { BINARY_HEADS, type BinaryHead, COMPACT_IDENTIFIER, MIN_FRAME, START } from './constants.js';

const MORE: FrameResult = { type: 'more' };

/**
 * Cuts one Queclink frame from a TCP stream. Text: `+RESP:…`, `+BUFF:…`, `+ACK:…` up to `$`
 * (the frame excludes the `$`, which is consumed, as Traccar's Gl200FrameDecoder does). Binary:
 * `+RSP`/`+EVT`/`+INF`/`+HBD`/`+CRD`… or the compact `+ 00` form, by their length fields.
 * UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport === 'udp') return buf.length > 0 ? { type: 'frame', frame: buf, consumed: buf.length } : MORE;
  if (buf.length === 0) return MORE;
  if (buf[0] !== START) return skip(buf, `expected "+" at the start of a frame, got 0x${buf[0].toString(16)}`);
  if (buf.length < MIN_FRAME) return MORE;
  const length = binaryLength(buf);
  if (length === undefined) return cutText(buf, options);
  if (length < MIN_FRAME) return skip(buf, `binary length ${length} is shorter than a header`);
  if (length > options.maxFrameSize) {
    return {
      type: 'error',
      error: new CodecError(CodecErrorCode.Oversize, `binary length ${length} exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, 0),
      consumed: 0,
    };
  }
  return buf.length < length ? MORE : { type: 'frame', frame: buf.subarray(0, length), consumed: length };
}

/** True when a frame (or stream start) is a binary frame rather than `+RESP:`/`+BUFF:`/`+ACK:` text. */
export function isBinary(buf: Buffer): boolean {
  return buf.length >= MIN_FRAME && binaryLength(buf) !== undefined;
}

/** Length of a binary frame from its header, or undefined for a text frame (needs MIN_FRAME bytes). */
export function binaryLength(buf: Buffer): number | undefined {
  if (buf[1] === COMPACT_IDENTIFIER) return buf.readUInt16BE(2);
  const head = buf.toString('latin1', 0, 4) as BinaryHead;
  const spec = BINARY_HEADS[head];
  if (!spec || (head === '+ACK' && buf[4] === 0x3a)) return undefined;
  return spec.length === 'u8' ? buf[spec.at] : buf.readUInt16BE(spec.at);
}

function cutText(buf: Buffer, options: CodecOptions): FrameResult {
  return cutTerminated(buf, 0, options, { terminator: '$', resync: '+', what: 'text frame' });
}

/** Skips to the next `+` (text protocols resync on the start marker). */
function skip(buf: Buffer, reason: string): FrameResult {
  return { type: 'error', error: new CodecError(CodecErrorCode.Malformed, reason, 0), consumed: nextStart(buf) };
}

function nextStart(buf: Buffer): number {
  const at = buf.indexOf(START, 1);
  return at < 0 ? buf.length : at;
}
