import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { CR, HASH, LF, VERSION_VAR } from './constants.js';

const crcArc = crc16(CRC16.ARC);
const CRC_TEXT = /^(?:0x)?([0-9a-f]{1,4})$/i;

/**
 * One Wialon IPS line split into its parts (spec "General structure": `#TYPE#body\r\n`; UDP puts
 * the identity in front: `imei#TYPE#body` (1.1) or `2.0;imei#TYPE#body;crc16` (2.0)).
 * Offsets are byte offsets into `frame`, so the CRC runs over the bytes as sent.
 */
export interface Packet {
  readonly frame: Buffer;
  readonly type: string;
  /** Identity written in front of the first `#` (UDP form; Traccar also accepts it on TCP). */
  readonly prefixIdent?: string;
  /** Version written in front of the identity (`2.0;imei#…`). */
  readonly prefixVersion?: string;
  /** First byte after `#TYPE#`. */
  readonly bodyStart: number;
  /** End of the body, trailing CR/LF excluded. */
  readonly bodyEnd: number;
}

/** Splits a frame into prefix, type and body, or returns a `malformed` error. */
export function parsePacket(frame: Buffer): Packet | CodecError {
  let end = frame.length;
  while (end > 0 && (frame[end - 1] === LF || frame[end - 1] === CR)) end--;
  const first = frame.indexOf(HASH);
  const second = first < 0 ? -1 : frame.indexOf(HASH, first + 1);
  if (first < 0 || second < 0 || second >= end) return new CodecError(CodecErrorCode.Malformed, 'line is not #TYPE#message', 0);
  const type = frame.toString('latin1', first + 1, second);
  if (!/^[A-Z]{1,3}$/.test(type)) return new CodecError(CodecErrorCode.Malformed, 'packet type is not 1-3 capital letters', first + 1);
  if (first === 0) return { frame, type, bodyStart: second + 1, bodyEnd: end };
  const prefix = frame.toString('latin1', 0, first);
  const semi = prefix.indexOf(';');
  if (semi < 0) return { frame, type, prefixIdent: prefix, bodyStart: second + 1, bodyEnd: end };
  return { frame, type, prefixVersion: prefix.slice(0, semi), prefixIdent: prefix.slice(semi + 1), bodyStart: second + 1, bodyEnd: end };
}

/** True when a version string is 2.x (the versions that carry a CRC16). */
export function isV2Version(version: string | undefined): boolean {
  return version !== undefined && /^2\.\d+$/.test(version);
}

/**
 * Whether a data packet follows the 2.0 layout: a version in front decides; an identity in front
 * without a version is the 1.1 UDP form; otherwise the version remembered from the login.
 */
export function isV2(p: Packet, vars: Readonly<Record<string, string | number | boolean>> | undefined): boolean {
  if (p.prefixVersion !== undefined) return isV2Version(p.prefixVersion);
  if (p.prefixIdent !== undefined) return false;
  return isV2Version(typeof vars?.[VERSION_VAR] === 'string' ? (vars[VERSION_VAR] as string) : undefined);
}

/** The body text with the 2.0 CRC field split off, and whether that CRC matched. */
export interface Payload {
  readonly text: string;
  readonly crcOk: boolean;
  /** Byte offset of the CRC field (for error reports). */
  readonly crcAt: number;
}

/**
 * Body of a packet. For 2.0 (`v2`), the text after the last `separator` is the CRC16 as hex
 * (Traccar's vectors also show `0x9b0`), computed as CRC-16/ARC over the body bytes up to and
 * including that separator (spec appendix "Checksum"); it is removed from the returned text.
 */
export function payload(p: Packet, v2: boolean, separator: number): Payload {
  if (!v2) return { text: p.frame.toString('utf8', p.bodyStart, p.bodyEnd), crcOk: true, crcAt: p.bodyEnd };
  const at = p.bodyEnd > p.bodyStart ? p.frame.lastIndexOf(separator, p.bodyEnd - 1) : -1;
  if (at < p.bodyStart) return { text: p.frame.toString('utf8', p.bodyStart, p.bodyEnd), crcOk: false, crcAt: p.bodyEnd };
  const match = CRC_TEXT.exec(p.frame.toString('latin1', at + 1, p.bodyEnd));
  const crcOk = match !== null && parseInt(match[1], 16) === crcArc(p.frame, p.bodyStart, at + 1);
  return { text: p.frame.toString('utf8', p.bodyStart, at), crcOk, crcAt: at + 1 };
}

/** CRC-16/ARC of a text as upper-case hex, 4 digits (what devices send and what we send). */
export function crcHex(text: string): string {
  return crcArc(Buffer.from(text, 'utf8')).toString(16).toUpperCase().padStart(4, '0');
}
