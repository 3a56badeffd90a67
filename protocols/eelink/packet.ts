import { CodecError, CodecErrorCode } from '../common/errors.js';
import { bcd } from '../common/reader.js';
import { ENVELOPE_BODY_AT, ENVELOPE_HEADER, ENVELOPE_IMEI_AT, ENVELOPE_MARK, ENVELOPE_SUM_AT, MARK, PACKAGE_HEADER } from './constants.js';

/**
 * The envelope of one Eelink frame, read by the inspector and the decoder alike: one package
 * (`67 67` | PID | size u16 | sequence u16 | content, §5.1), or a UDP envelope (`EL` | size u16 |
 * sum u16 | IMEI BCD[8] | packages, §4.2) holding one or more of them.
 */
export interface Package {
  readonly pid: number;
  readonly sequence: number;
  /** Offset of the `67 67` mark. */
  readonly at: number;
  /** The content after the sequence: [contentStart, end). */
  readonly contentStart: number;
  readonly end: number;
}

export interface Envelope {
  /** The IMEI of the envelope (BCD[8] with a leading 0 nibble). */
  readonly imei: string;
  /** §4.2: the envelope's sum matches its bytes. */
  readonly sumOk: boolean;
}

export interface Frame {
  readonly envelope?: Envelope;
  readonly packages: readonly Package[];
}

/**
 * §4.2 sum of an envelope: not a CRC; for every byte after the sum field, the 16-bit value is
 * rotated left by one bit, then the byte is added (modulo 2^16).
 */
export function envelopeSum(buf: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = ((((sum << 1) | (sum >>> 15)) & 0xffff) + buf[i]) & 0xffff;
  return sum;
}

/** An IMEI sent as BCD[8] (16 digits, a leading 0 nibble), or undefined when the bytes are not digits. */
export function imeiAt(buf: Buffer, at: number): string | undefined {
  const digits = bcd(buf, at, at + 8);
  return /^\d{16}$/.test(digits) ? digits.slice(1) : undefined;
}

/** Whether the frame starts with the `EL` envelope mark. */
export function isEnvelope(frame: Buffer): boolean {
  return frame.length >= 2 && frame.readUInt16BE(0) === ENVELOPE_MARK;
}

/** The packages of a frame (and its envelope), or a typed error. */
export function parseFrame(frame: Buffer): Frame | CodecError {
  if (!isEnvelope(frame)) {
    const packages = parsePackages(frame, 0, frame.length);
    return packages instanceof CodecError ? packages : { packages };
  }
  if (frame.length < ENVELOPE_BODY_AT) return new CodecError(CodecErrorCode.Truncated, `envelope of ${frame.length} bytes is shorter than its header`, 0);
  const end = ENVELOPE_HEADER + frame.readUInt16BE(2);
  if (end !== frame.length)
    return new CodecError(CodecErrorCode.Malformed, `envelope size ${end - ENVELOPE_HEADER} does not match the ${frame.length}-byte datagram`, 2);
  const imei = imeiAt(frame, ENVELOPE_IMEI_AT);
  if (!imei) return new CodecError(CodecErrorCode.Malformed, 'envelope IMEI is not BCD digits', ENVELOPE_IMEI_AT);
  const sumOk = envelopeSum(frame, ENVELOPE_IMEI_AT, end) === frame.readUInt16BE(ENVELOPE_SUM_AT);
  const packages = parsePackages(frame, ENVELOPE_BODY_AT, end);
  return packages instanceof CodecError ? packages : { envelope: { imei, sumOk }, packages };
}

/** §5.1 packages back to back in [start, end): each needs its mark, a size of at least 2 and all its bytes. */
function parsePackages(buf: Buffer, start: number, end: number): Package[] | CodecError {
  const packages: Package[] = [];
  let at = start;
  while (at < end) {
    if (end - at < PACKAGE_HEADER + 2) return new CodecError(CodecErrorCode.Truncated, `package of ${end - at} bytes is shorter than its header`, at);
    if (buf.readUInt16BE(at) !== MARK) return new CodecError(CodecErrorCode.Malformed, 'package does not start with 6767', at);
    const size = buf.readUInt16BE(at + 3);
    if (size < 2) return new CodecError(CodecErrorCode.Malformed, `package size ${size} leaves no room for the sequence`, at + 3);
    const next = at + PACKAGE_HEADER + size;
    if (next > end) return new CodecError(CodecErrorCode.Truncated, `package size ${size} runs past the end of the frame`, at + 3);
    packages.push({ pid: buf[at + 2], sequence: buf.readUInt16BE(at + PACKAGE_HEADER), at, contentStart: at + PACKAGE_HEADER + 2, end: next });
    at = next;
  }
  if (packages.length === 0) return new CodecError(CodecErrorCode.Truncated, 'frame without a package', start);
  return packages;
}
