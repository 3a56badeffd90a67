import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { MIN_PACKET_SIZE, SIZE_FIELD } from './constants.js';

/**
 * Cuts one Wialon Retranslator packet from a TCP stream (spec "Incoming data"): `size` u32
 * little-endian, then `size` bytes. The protocol has no start marker to resynchronise on: a size
 * that cannot be a packet, or one above the channel's frame limit, makes the connection unusable
 * (consumed 0); the Wialon server reconnects and resends what was not acknowledged. Packets with
 * `imag` blocks can exceed the default 64 KiB limit: such a channel needs a larger `max_frame_size`,
 * or the same packet is refused on every reconnect.
 */
export function frame(buf: Buffer, _state: SessionState, options: CodecOptions): FrameResult {
  if (buf.length < SIZE_FIELD) return MORE;
  const size = buf.readUInt32LE(0);
  if (size < MIN_PACKET_SIZE) return fail(CodecErrorCode.Malformed, `packet size ${size} is shorter than an id, a time and flags (${MIN_PACKET_SIZE})`);
  return cut(buf, 0, SIZE_FIELD + size, options, 'packet');
}
