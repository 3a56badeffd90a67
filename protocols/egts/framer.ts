import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { PRV } from './constants.js';
import { headerCrcOk, isHeaderLength, packetLength } from './packet.js';

/**
 * Cuts one EGTS packet from a TCP stream (GOST 33465-2015 §5.6): PRV `01`, HL 11 or 16, the length
 * HL + FDL (+ 2 for SFRCS when FDL > 0). Under the strict CRC policy a header whose CRC-8 does
 * not match cannot be trusted for its length: the bytes up to the next `01` are skipped, and so
 * are bytes that do not start a header. A packet above the channel limit is skipped the same way.
 */
export function frame(buf: Buffer, _state: SessionState, options: CodecOptions): FrameResult {
  if (buf.length === 0) return MORE;
  if (buf[0] !== PRV) return fail(CodecErrorCode.Malformed, `expected PRV 01, got 0x${buf[0].toString(16).padStart(2, '0')}`, nextStart(buf));
  if (buf.length < 4) return MORE;
  const hl = buf[3];
  if (!isHeaderLength(hl)) return fail(CodecErrorCode.Malformed, `header length HL ${hl} is neither 11 nor 16`, nextStart(buf), 3);
  if (buf.length < hl) return MORE;
  if (options.crc === 'strict' && !headerCrcOk(buf))
    return fail(CodecErrorCode.Checksum, 'CRC-8 header checksum (HCS) does not match: resynchronising', nextStart(buf), hl - 1);
  const length = packetLength(buf);
  if (length > options.maxFrameSize) {
    return fail(CodecErrorCode.Oversize, `packet of ${length} bytes exceeds the channel's frame limit of ${options.maxFrameSize} bytes`, nextStart(buf), 5);
  }
  return cut(buf, 0, length, options, 'packet');
}

/** Index of the next `01` after the first byte (the buffer's length when there is none). */
function nextStart(buf: Buffer): number {
  const at = buf.indexOf(PRV, 1);
  return at < 0 ? buf.length : at;
}
