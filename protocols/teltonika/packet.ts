import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { TCP_HEADER_SIZE } from './constants.js';

/**
 * The envelope of a Teltonika frame, read by the inspector and the decoder alike: the TCP data
 * packet (`00000000` | data length u32 | data | CRC-16/ARC as u32) and the UDP datagram header.
 */

const crcArc = crc16(CRC16.ARC);

/** True when the CRC in the last 4 bytes of a TCP data packet matches its data field (codec id .. record count 2). */
export function crcMatches(frame: Buffer): boolean {
  const length = frame.readUInt32BE(4);
  const end = TCP_HEADER_SIZE + length;
  if (end + 4 !== frame.length) return false;
  return crcArc(frame, TCP_HEADER_SIZE, end) === frame.readUInt32BE(end);
}

/** A TCP data packet (not the IMEI handshake or the `FF` keep-alive): it starts with the zero preamble. */
export function isDataPacket(frame: Buffer): boolean {
  return frame.length >= TCP_HEADER_SIZE && frame.readUInt32BE(0) === 0;
}

/** `len u16 | packet id u16 | type u8 | AVL packet id u8 | imei len u16 | imei | codec | N1 | records | N2` */
export interface UdpHeader {
  readonly packetId: number;
  readonly avlPacketId: number;
  readonly ident: string;
  /** Offset of the codec id (the AVL data). */
  readonly dataAt: number;
  /** N1, the number of records the datagram announces. */
  readonly count: number;
}

export function readUdpHeader(frame: Buffer): UdpHeader | CodecError {
  if (frame.length < 8) return new CodecError(CodecErrorCode.Truncated, 'UDP datagram shorter than its header');
  const imeiLength = frame.readUInt16BE(6);
  const dataAt = 8 + imeiLength;
  if (frame.length < dataAt + 2) return new CodecError(CodecErrorCode.Truncated, 'UDP datagram ends inside its IMEI or codec header');
  const ident = frame.toString('latin1', 8, dataAt);
  if (!isValidIdent(ident)) return new CodecError(CodecErrorCode.Malformed, 'UDP IMEI has invalid characters', 8);
  return { packetId: frame.readUInt16BE(2), avlPacketId: frame[5], ident, dataAt, count: frame[dataAt + 1] };
}
