import { CodecErrorCode } from '../common/errors.js';
import { cut, fail, MORE, whole } from '../common/framing.js';
import type { CodecOptions, FrameResult, SessionState } from '../common/types.js';
import { KEEPALIVE, TCP_CRC_SIZE, TCP_HEADER_SIZE } from './constants.js';

/** Longest IMEI-like ident accepted in a handshake. */
const MAX_IDENT_LENGTH = 32;

/**
 * Cuts one Teltonika frame from a TCP stream: the IMEI handshake (`00 0F` + digits), a keep-alive
 * (`FF`), or a data packet (`00000000` + length + payload + CRC). UDP datagrams are whole frames.
 */
export function frame(buf: Buffer, state: SessionState, options: CodecOptions): FrameResult {
  if (state.transport === 'udp') return whole(buf);
  if (buf.length === 0) return MORE;
  if (buf[0] === KEEPALIVE) return { type: 'frame', frame: buf.subarray(0, 1), consumed: 1 };
  if (buf.length < 2) return MORE;
  const head = buf.readUInt16BE(0);
  if (head !== 0) {
    if (head > MAX_IDENT_LENGTH) {
      return fail(CodecErrorCode.Malformed, `expected a handshake length (1-${MAX_IDENT_LENGTH}) or a zero preamble, got 0x${head.toString(16)}`);
    }
    return cut(buf, 0, 2 + head, options, 'handshake');
  }
  if (buf.length < TCP_HEADER_SIZE) return MORE;
  if (buf.readUInt16BE(2) !== 0) return fail(CodecErrorCode.Malformed, 'data packet preamble is not 00000000');
  const length = buf.readUInt32BE(4);
  if (length < 3) return fail(CodecErrorCode.Malformed, `data length ${length} is too short for a packet`);
  return cut(buf, 0, TCP_HEADER_SIZE + length + TCP_CRC_SIZE, options, 'data packet');
}
