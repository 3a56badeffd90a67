import { crcVerdict } from '../common/crc-policy.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { Codec, HANDSHAKE_ACCEPT, HANDSHAKE_REJECT, KEEPALIVE } from './constants.js';
import { encodeAck, encodeUdpAck } from './encoder.js';
import { crcMatches, readUdpHeader } from './packet.js';

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
  const crc = crcVerdict(crcMatches(frame), options, 'CRC-16/ARC', frame.length - 4);
  if (!crc.pass) return { store: false, error: crc.error };
  if (isAvl(codec)) return { store: true, error: crc.error, reply: encodeAck(count) };
  if (codec === Codec.C12 || codec === Codec.C13 || codec === Codec.C14) return { store: true, error: crc.error };
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

/** Every UDP datagram carries the IMEI; the ack echoes the packet ids and the record count. */
function inspectUdp(frame: Buffer): Inspection {
  const header = readUdpHeader(frame);
  if (header instanceof CodecError) return { store: false, error: header };
  return { store: true, ident: header.ident, reply: encodeUdpAck(header.packetId, header.avlPacketId, header.count) };
}
