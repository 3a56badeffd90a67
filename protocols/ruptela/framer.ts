import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { CRC_SIZE, MIN_LENGTH } from './constants.js';

/**
 * Cuts one Ruptela frame from a TCP stream: `len u16 | len bytes (IMEI, command, payload) | CRC u16`,
 * so a frame is `len + 4` bytes. The protocol has no start marker to resync on: a length that cannot
 * be a frame makes the connection unusable (consumed 0).
 */
export function frame(buf: Buffer, _state: SessionState, options: CodecOptions): FrameResult {
  if (buf.length < 2) return MORE;
  const length = buf.readUInt16BE(0);
  if (length < MIN_LENGTH) return fail(CodecErrorCode.Malformed, `length ${length} is shorter than an IMEI and a command`);
  return cut(buf, 0, 2 + length + CRC_SIZE, options);
}
