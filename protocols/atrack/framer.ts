import { CodecErrorCode } from '../common/errors.js';
import { cut, cutTerminated, fail, MORE, skipBytes, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { BINARY_PREFIXES, Binary, COMMA, KEEPALIVE_LENGTH, KEEPALIVE_MARKER, LINE_END, LINE_ENDS, REPLY_START } from './constants.js';
import { textCrcEnd } from './packet.js';

/**
 * Cuts one ATrack frame from a TCP stream (Protocol Document §3), line ends between frames
 * skipped: the 12-byte keep-alive (`FE 02`), an ASCII report by its length field (counted from
 * the comma after it; a line feed right after it is taken along, as the unit's CR LF may straddle
 * the count), a binary report or photo chunk by its length field (+ 6), a `$…` command answer up
 * to CR LF. Binary prefixes are `@P`, `@R` and the channel setting `prefix`. UDP datagrams are
 * whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  const start = skipBytes(buf, 0, LINE_ENDS);
  if (start === buf.length) return MORE;
  if (buf[start] === REPLY_START) return cutTerminated(buf, start, options, { terminator: LINE_END, keep: true, what: 'command answer' });
  if (buf.length - start < 2) return MORE;
  if (buf.readUInt16BE(start) === KEEPALIVE_MARKER) return cut(buf, start, KEEPALIVE_LENGTH, options, 'keep-alive');
  const crcEnd = textCrcEnd(buf, start);
  if (crcEnd === -1) return MORE;
  if (crcEnd !== undefined) return cutText(buf, start, crcEnd, options);
  if (!isBinaryPrefix(buf, start, options)) {
    return fail(CodecErrorCode.Malformed, `0x${buf.toString('hex', start, start + 2)} starts no keep-alive, report or answer`, resync(buf, start + 1));
  }
  if (buf.length - start < Binary.lengthAt + 2) return MORE;
  const length = buf.readUInt16BE(start + Binary.lengthAt) + Binary.lengthAt + 2;
  if (length < Binary.header) return fail(CodecErrorCode.Malformed, `binary length field ${length - 6} is shorter than its header`, resync(buf, start + 1));
  return cut(buf, start, length, options, 'binary report');
}

/** `<prefix>,<CRC>,<length>,…`: the frame ends `length` bytes after the comma that follows the length. */
function cutText(buf: Buffer, start: number, crcEnd: number, options: CodecOptions): FrameResult {
  let lengthEnd = crcEnd + 1;
  while (lengthEnd < buf.length && lengthEnd - crcEnd <= 7 && buf[lengthEnd] >= 0x30 && buf[lengthEnd] <= 0x39) lengthEnd++;
  if (lengthEnd === buf.length) return MORE;
  if (buf[lengthEnd] !== COMMA || lengthEnd === crcEnd + 1 || lengthEnd - crcEnd > 7) {
    return fail(CodecErrorCode.Malformed, 'ASCII report length is not a number followed by a comma', resync(buf, start + 1));
  }
  const total = lengthEnd - start + Number(buf.toString('latin1', crcEnd + 1, lengthEnd));
  const r = cut(buf, start, total, options, 'ASCII report');
  if (r.type === 'frame' && buf[r.consumed] === 0x0a) return { type: 'frame', frame: buf.subarray(start, r.consumed + 1), consumed: r.consumed + 1 };
  return r;
}

function isBinaryPrefix(buf: Buffer, at: number, options: CodecOptions): boolean {
  const prefix = buf.toString('latin1', at, at + 2);
  return BINARY_PREFIXES.includes(prefix) || options.settings?.prefix === prefix;
}

/** Where the next frame may start after garbage: the next `@`, `$` or `FE` byte. */
function resync(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] === 0x40 || buf[i] === REPLY_START || buf[i] === 0xfe) return i;
  return buf.length;
}
