import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { HEADER_LONG, HEADER_SHORT, LENGTHLESS_TYPES, LOCATION_TYPES, LONG_TYPES, SHORT_TYPES } from './constants.js';

const crcX25 = crc16(CRC16.X25);

/**
 * The envelope of one GT06 frame, shared by the inspector and the decoder (../shared/protocols/README.md,
 * "GT06"): `7878` len u8 (or `7979` len u16) | protocol | content | serial u16 | CRC-ITU u16 | `0D0A`.
 */
export interface Packet {
  /** `7979` frame (u16 length). */
  readonly long: boolean;
  /** The length field as sent. */
  readonly length: number;
  readonly type: number;
  /** Content between the protocol number and the serial number: [bodyStart, bodyEnd). */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** Serial number (information serial), or undefined when the packet has none. */
  readonly serial?: number;
  /** CRC-ITU check result, or undefined when the packet carries no CRC. */
  readonly crcOk?: boolean;
  /** Offset of the CRC field, for error reports. */
  readonly crcAt?: number;
  /** The length field is not a length (WiFi packets 0x17/0x69): no serial, no CRC. */
  readonly lengthless: boolean;
}

/** Total frame size the length field announces (header + length field + len + terminator). */
export function declaredSize(long: boolean, length: number): number {
  return (long ? 4 : 3) + length + 2;
}

/**
 * Locates body, serial and CRC. A frame whose size matches its length field is the normal case;
 * some devices send a length 2 short (the CRC then sits right before `0D0A`); WiFi packets
 * (0x17/0x69) use the length byte as an access-point count and carry neither serial nor CRC;
 * the old GPS-only packet (0x10) counts only its content (size + 1) and has no serial or CRC either.
 */
export function parsePacket(frame: Buffer): Packet | CodecError {
  if (frame.length < 5) return new CodecError(CodecErrorCode.Truncated, `frame of ${frame.length} bytes is shorter than a GT06 header`, 0);
  const head = frame.readUInt16BE(0);
  if (head !== HEADER_SHORT && head !== HEADER_LONG) return new CodecError(CodecErrorCode.Malformed, 'frame does not start with 7878 or 7979', 0);
  const long = head === HEADER_LONG;
  const hdr = long ? 5 : 4;
  const length = long ? frame.readUInt16BE(2) : frame[2];
  const type = frame[hdr - 1];
  const size = declaredSize(long, length);
  const n = frame.length;
  const terminated = frame[n - 2] === 0x0d && frame[n - 1] === 0x0a;
  const bare = { long, length, type, bodyStart: hdr, bodyEnd: terminated ? n - 2 : n };
  let crcAt: number;
  if (n >= size - 2 && n <= size) crcAt = size - 4;
  else if (n === size + 2 && terminated) crcAt = n - 4;
  else if (n === size + 1 && terminated)
    return { ...bare, lengthless: false }; // length without the protocol byte (0x10)
  else if (LENGTHLESS_TYPES.has(type)) return { ...bare, lengthless: true };
  else return new CodecError(CodecErrorCode.Malformed, `length field ${length} does not match the frame size ${n}`, 2);
  if (crcAt - 2 < hdr) return { ...bare, bodyEnd: hdr, lengthless: false }; // too short for serial and CRC
  const crcOk = crcX25(frame, 2, crcAt) === frame.readUInt16BE(crcAt);
  if (!crcOk && LENGTHLESS_TYPES.has(type) && terminated) return { ...bare, lengthless: true }; // a WiFi count that looked like a length
  return { long, length, type, bodyStart: hdr, bodyEnd: crcAt - 2, serial: frame.readUInt16BE(crcAt - 2), crcOk, crcAt, lengthless: false };
}

/** CRC-ITU of a frame being built: over [2, end). */
export function crcItu(buf: Buffer, end: number): number {
  return crcX25(buf, 2, end);
}

/** 7878 types with a reader (7979 frames of these numbers without a layout of their own read the same). */
const SHORT_DECODED: ReadonlySet<number> = new Set([...LOCATION_TYPES, ...SHORT_TYPES]);
const LONG_DECODED: ReadonlySet<number> = new Set(LONG_TYPES);

/** Whether the decoder has a reader for this packet (the inspector stores only those). */
export function isDecodable(p: Packet): boolean {
  return p.lengthless || (p.long && LONG_DECODED.has(p.type)) || SHORT_DECODED.has(p.type);
}
