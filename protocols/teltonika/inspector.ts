import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { Codec, HANDSHAKE_ACCEPT, HANDSHAKE_REJECT, KEEPALIVE } from './constants.js';
import { checkCrc } from './decoder.js';
import { encodeAck, encodeUdpAck } from './encoder.js';

const IGNORE: Inspection = { store: false };

/** Identity and acknowledgement of one Teltonika frame, without decoding records. */
export function inspect(frame: Buffer, state: SessionState, options: CodecOptions): Inspection {
  if (state.transport === 'udp') return inspectUdp(frame);
  if (frame.length === 1 && frame[0] === KEEPALIVE) return IGNORE;
  if (frame.readUInt16BE(0) !== 0) return inspectHandshake(frame);
  if (!state.ident) {
    return { store: false, close: true, error: new CodecError(CodecErrorCode.Unidentified, 'data packet before the IMEI handshake') };
  }
  const codec = frame[8];
  const count = frame[9];
  if (!checkCrc(frame)) {
    const error = new CodecError(CodecErrorCode.Checksum, 'CRC-16/ARC mismatch', frame.length - 4);
    if (options.crc !== 'lenient') return { store: false, error };
    return { store: true, error, reply: isAvl(codec) ? encodeAck(count) : undefined };
  }
  if (isAvl(codec)) return { store: true, reply: encodeAck(count) };
  if (codec === Codec.C12 || codec === Codec.C13 || codec === Codec.C14) return { store: true };
  return { store: false, error: new CodecError(CodecErrorCode.Unsupported, `codec 0x${codec.toString(16)} is not supported`, 8) };
}

function isAvl(codec: number): boolean {
  return codec === Codec.C8 || codec === Codec.C8E || codec === Codec.C16 || codec === Codec.C7;
}

function inspectHandshake(frame: Buffer): Inspection {
  const ident = frame.toString('latin1', 2, frame.length);
  if (!/^\d+$/.test(ident) || !isValidIdent(ident)) {
    return { store: false, reply: HANDSHAKE_REJECT, close: true, error: new CodecError(CodecErrorCode.Malformed, 'handshake IMEI is not digits', 2) };
  }
  return { store: false, ident, reply: HANDSHAKE_ACCEPT };
}

/** `len u16 | packet id u16 | type u8 | AVL packet id u8 | imei len u16 | imei | codec | N1 | records | N2` */
function inspectUdp(frame: Buffer): Inspection {
  if (frame.length < 8) return { store: false, error: new CodecError(CodecErrorCode.Truncated, 'UDP datagram shorter than its header') };
  const packetId = frame.readUInt16BE(2);
  const avlPacketId = frame[5];
  const imeiLength = frame.readUInt16BE(6);
  if (frame.length < 8 + imeiLength + 2) {
    return { store: false, error: new CodecError(CodecErrorCode.Truncated, 'UDP datagram ends inside its IMEI or codec header') };
  }
  const ident = frame.toString('latin1', 8, 8 + imeiLength);
  if (!isValidIdent(ident)) return { store: false, error: new CodecError(CodecErrorCode.Malformed, 'UDP IMEI has invalid characters', 8) };
  const count = frame[8 + imeiLength + 1];
  return { store: true, ident, reply: encodeUdpAck(packetId, avlPacketId, count) };
}
