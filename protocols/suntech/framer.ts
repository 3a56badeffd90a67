import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE, skipBytes, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { BINARY_HEADER, CR, LF, STX, ZIP_OVERHEAD } from './constants.js';
import { kindOf, locateData } from './packet.js';

/**
 * Cuts one Suntech frame from a TCP stream (../shared/protocols/README.md "Suntech", Traccar's
 * SuntechFrameDecoder): zip `02 | len u16 | … | 03` and universal binary `type | len u16 | …` by
 * their length fields; text up to `\r` (excluded), the length-prefixed serial data of UEX and CRR
 * reports skipped by its LEN field (it may hold `\r`, `\r\n` and `;`). Line ends between frames are
 * consumed with the next one. UDP datagrams are whole frames (a datagram may hold several reports:
 * `splitFrames`).
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport === 'udp') return whole(buf);
  const start = skipBytes(buf, 0, [CR, LF]);
  if (buf.length - start < 2) return MORE;
  const kind = kindOf(buf.subarray(start));
  if (kind === 'zip') {
    if (buf.length - start < 3) return MORE;
    return cut(buf, start, ZIP_OVERHEAD + buf.readUInt16BE(start + 1), options, 'zip frame');
  }
  if (kind === 'binary') {
    if (buf.length - start < BINARY_HEADER) return MORE;
    return cut(buf, start, BINARY_HEADER + buf.readUInt16BE(start + 1), options, 'binary frame');
  }
  if (!isTextStart(buf[start])) return fail(CodecErrorCode.Malformed, `0x${buf[start].toString(16)} does not start a Suntech frame`, nextStart(buf, start + 1));
  return cutText(buf, start, options);
}

/** Text reports start with the letters of their header (`ST300…`, `STT`, `CRR`) or `-` (`-Error`). */
function isTextStart(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || b === 0x2d;
}

/** Where the next frame may start: STX or a capital letter, skipping garbage. */
function nextStart(buf: Buffer, from: number): number {
  let at = from;
  while (at < buf.length && buf[at] !== STX && !isTextStart(buf[at])) at++;
  return at;
}

function cutText(buf: Buffer, start: number, options: CodecOptions): FrameResult {
  const span = locateData(buf, start);
  const from = span === 'more' || span === undefined ? start : span.end;
  const end = span === 'more' ? -1 : buf.indexOf(CR, from);
  if (end < 0) {
    if (buf.length - start <= options.maxFrameSize) return MORE;
    return fail(CodecErrorCode.Oversize, `no "\\r" within the channel's frame limit of ${options.maxFrameSize} bytes`, buf.length);
  }
  if (end - start > options.maxFrameSize) {
    return fail(CodecErrorCode.Oversize, `text frame of ${end - start} bytes exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, end + 1);
  }
  return { type: 'frame', frame: buf.subarray(start, end), consumed: end + 1 };
}

/** The reports of one UDP datagram (group send: up to 5 reports in one packet, §4 SVC GROUP_SEND), cut as on TCP. */
export function splitFrames(datagram: Buffer, options: CodecOptions): Buffer[] {
  const tcp: SessionState = { transport: 'tcp', vars: {} };
  const frames: Buffer[] = [];
  let rest = datagram;
  while (rest.length > 0) {
    const r = frame(rest, tcp, options);
    if (r.type === 'more') {
      const tail = rest.subarray(skipBytes(rest, 0, [CR, LF]));
      if (tail.length > 0) frames.push(tail);
      break;
    }
    if (r.type === 'frame') frames.push(r.frame);
    if (r.consumed === 0) break;
    rest = rest.subarray(r.consumed);
  }
  return frames;
}
