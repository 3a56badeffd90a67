import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { Cc, type Family, HEAD_SIZE, HEAD_SIZE_MPIP, HEADER, HEADER_MPIP, ID_SIZE, Mpip, SC_VERSIONS, Sc, TAIL_SIZE } from './constants.js';

const crcX25 = crc16(CRC16.X25);

/**
 * The envelope of one Castel frame, read by the inspector and the decoder alike (CB212-C1005
 * §1.1): `@@` | length u16 LE | version u8 | device id (20 bytes) | type u16 BE | body | CRC u16 LE
 * | `0D0A`, or the MPIP form `$$` without the version byte. The CRC-16/X-25 covers `@@`…body.
 */
export interface Packet {
  readonly family: Family;
  /** Protocol version byte; undefined for the `$$` form. */
  readonly version?: number;
  /** The 20 id bytes as sent (echoed in acks). */
  readonly id: Buffer;
  /** The device id without its NUL (or space) padding. */
  readonly ident: string;
  readonly type: number;
  /** Body: [bodyStart, bodyEnd). */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly crcOk: boolean;
  readonly crcAt: number;
}

export function parsePacket(frame: Buffer): Packet | CodecError {
  if (frame.length < 2) return new CodecError(CodecErrorCode.Truncated, `frame of ${frame.length} bytes is shorter than a Castel header`, 0);
  const head = frame.readUInt16BE(0);
  if (head !== HEADER && head !== HEADER_MPIP) return new CodecError(CodecErrorCode.Malformed, 'frame does not start with @@ or $$', 0);
  const mpip = head === HEADER_MPIP;
  const headSize = mpip ? HEAD_SIZE_MPIP : HEAD_SIZE;
  const n = frame.length;
  if (n < headSize + TAIL_SIZE)
    return new CodecError(CodecErrorCode.Truncated, `frame of ${n} bytes is shorter than the ${headSize + TAIL_SIZE}-byte minimum`, 0);
  const length = frame.readUInt16LE(2);
  if (length !== n) return new CodecError(CodecErrorCode.Malformed, `length field ${length} does not match the frame size ${n}`, 2);
  if (frame[n - 2] !== 0x0d || frame[n - 1] !== 0x0a) return new CodecError(CodecErrorCode.Malformed, 'frame does not end with 0D0A', n - 2);
  const idAt = mpip ? 4 : 5;
  const id = frame.subarray(idAt, idAt + ID_SIZE);
  const ident = identOf(id);
  if (!isValidIdent(ident)) return new CodecError(CodecErrorCode.Malformed, 'device id is not printable ASCII', idAt);
  const version = mpip ? undefined : frame[4];
  const crcAt = n - TAIL_SIZE;
  return {
    family: familyOf(version),
    ...(version === undefined ? {} : { version }),
    id,
    ident,
    type: frame.readUInt16BE(idAt + ID_SIZE),
    bodyStart: headSize,
    bodyEnd: crcAt,
    crcOk: crcX25(frame, 0, crcAt) === frame.readUInt16LE(crcAt),
    crcAt,
  };
}

/** Versions 3 and 4 are the SC (OBD) family, other versions CC; `$$` frames are MPIP. */
function familyOf(version: number | undefined): Family {
  if (version === undefined) return 'mpip';
  return SC_VERSIONS.has(version) ? 'sc' : 'cc';
}

/** The id without its padding: NULs and spaces at either end (Traccar trims the same). */
function identOf(id: Buffer): string {
  let start = 0;
  let end = id.length;
  while (start < end && id[start] <= 0x20) start++;
  while (end > start && id[end - 1] <= 0x20) end--;
  return id.toString('latin1', start, end);
}

/** CRC-16/X-25 of a frame being built: over [0, end). */
export function frameCrc(buf: Buffer, end: number): number {
  return crcX25(buf, 0, end);
}

/** Message types with a record decoder, by family (the inspector stores only these). */
const DECODED: Readonly<Record<Family, ReadonlySet<number>>> = {
  sc: new Set([
    Sc.Login,
    Sc.Logout,
    Sc.Gps,
    Sc.PidData,
    Sc.GSensor,
    Sc.SupportedPids,
    Sc.ObdData,
    Sc.DtcsPassenger,
    Sc.Alarm,
    Sc.Cell,
    Sc.GpsSleep,
    Sc.DtcsCommercial,
    Sc.Fuel,
    Sc.Comprehensive,
    Sc.AgpsRequest,
    Sc.QueryResponse,
    Sc.CurrentLocation,
  ]),
  cc: new Set([Cc.Login, Cc.Heartbeat]),
  mpip: new Set([Mpip.Position, Mpip.Report, Mpip.Fix1, Mpip.Fix2, Mpip.Fix6, Mpip.Batch]),
};

/** Types that carry nothing to decode (heartbeat): neither stored nor an error. */
const NO_DATA: Readonly<Record<Family, ReadonlySet<number>>> = { sc: new Set([Sc.Heartbeat]), cc: new Set(), mpip: new Set() };

export function isDecodable(p: Packet): boolean {
  return DECODED[p.family].has(p.type);
}

export function hasNoData(p: Packet): boolean {
  return NO_DATA[p.family].has(p.type);
}

/** `0x1001`-style hex of a message type, for reasons. */
export function typeHex(type: number): string {
  return `0x${type.toString(16).padStart(4, '0')}`;
}
