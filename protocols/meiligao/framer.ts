import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE, nextMarker, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { DEVICE_HEADER, KEEP_ALIVE, Layout, SERVER_HEADER } from './constants.js';

/**
 * Cuts one Meiligao packet from a TCP stream by its length field (GPRS protocol V2.1 §I: `$$`, L
 * u16 = the whole packet, ..., CR LF). `@@` is accepted too (OBD firmware sends it). 0x00 bytes
 * between packets are the GPRS keep-alive: skipped before a packet, or cut as a one-byte frame
 * when nothing follows (so a parked tracker's keep-alives count as traffic). A length below the
 * minimum, or one that does not end at CR LF, is skipped up to the next `$$`/`@@`. UDP datagrams
 * are whole packets.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport !== 'tcp') return whole(buf);
  let start = 0;
  while (start < buf.length && buf[start] === KEEP_ALIVE) start++;
  if (start > 0 && start === buf.length) return { type: 'frame', frame: buf.subarray(0, 1), consumed: 1 };
  if (start === buf.length) return MORE;
  const h = buf[start];
  if ((h !== DEVICE_HEADER && h !== SERVER_HEADER) || (start + 1 < buf.length && buf[start + 1] !== h)) {
    return resync(buf, start + 1, 'expected the "$$" packet header');
  }
  if (buf.length - start < Layout.Id) return MORE;
  const length = buf.readUInt16BE(start + Layout.Length);
  if (length < Layout.MinPacket) return resync(buf, start + 2, `length ${length} is shorter than a packet (${Layout.MinPacket})`);
  if (length > options.maxFrameSize) {
    return resync(buf, start + 2, `packet length ${length} exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, CodecErrorCode.Oversize);
  }
  const end = start + length;
  if (buf.length >= end && (buf[end - 2] !== 0x0d || buf[end - 1] !== 0x0a))
    return resync(buf, start + 2, `no CR LF at the end of the ${length} bytes the length gives`);
  return cut(buf, start, length, options, 'packet');
}

/** Skips to the next `$$` or `@@` at or after `from` (keeping a trailing `$` or `@` that may start one). */
function resync(buf: Buffer, from: number, reason: string, code: CodecErrorCode = CodecErrorCode.Malformed): FrameResult {
  return fail(code, reason, Math.min(nextMarker(buf, '$$', from), nextMarker(buf, '@@', from)));
}
