import { CRC8, crc8 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { SessionState } from '../common/types.js';
import { FLEX_CRC_SIZE, FLEX_PROTOCOL, MAX_FLEX_FIELDS, NTCB_HEADER_SIZE, NTCB_PREAMBLE, NtcbHeader, NtcbMessage, Var } from './constants.js';
import { FLEX_FIELDS, type FlexFieldDef } from './params.js';

/**
 * The envelope of a Navtelecom frame, read by the inspector and the decoder alike: the NTCB frame
 * (§1.1: `@NTC` | receiver u32 | sender u32 | length u16 | CSd | CSp | data, little endian; CSd =
 * XOR of the data, CSp = XOR of the 15 header bytes before it), the FLEX negotiation it carries
 * (§1.2.1) and the FLEX frames (§1.2.2: `~` | type | ... | CRC-8/NRSC-5 over every preceding byte).
 */

const crcFlex = crc8(CRC8.NRSC5);

/** Checksum names in errors. */
export const CSP_NAME = 'NTCB header XOR (CSp)';
export const CSD_NAME = 'NTCB data XOR (CSd)';
export const FLEX_CRC_NAME = 'CRC-8/NRSC-5';

/** XOR of `buf[start..end)`. */
export function xor(buf: Uint8Array, start = 0, end = buf.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= buf[i];
  return x;
}

export interface NtcbPacket {
  readonly receiver: number;
  readonly sender: number;
  /** The data field (the length field's bytes; bytes past them are ignored). */
  readonly data: Buffer;
  /** CSp matches the header. */
  readonly headerOk: boolean;
  /** CSd matches the data. */
  readonly dataOk: boolean;
}

/** The NTCB envelope of a frame, or the reason it is not one. */
export function readNtcb(frame: Buffer): NtcbPacket | CodecError {
  if (frame.length < NTCB_HEADER_SIZE) return new CodecError(CodecErrorCode.Truncated, `NTCB frame of ${frame.length} bytes is shorter than its header`, 0);
  if (!frame.subarray(0, 4).equals(NTCB_PREAMBLE)) return new CodecError(CodecErrorCode.Malformed, 'NTCB frame does not start with @NTC', 0);
  const length = frame.readUInt16LE(NtcbHeader.Length);
  if (frame.length < NTCB_HEADER_SIZE + length) {
    return new CodecError(CodecErrorCode.Truncated, `NTCB data of ${length} bytes announced, ${frame.length - NTCB_HEADER_SIZE} present`, NtcbHeader.Length);
  }
  const data = frame.subarray(NTCB_HEADER_SIZE, NTCB_HEADER_SIZE + length);
  return {
    receiver: frame.readUInt32LE(NtcbHeader.Receiver),
    sender: frame.readUInt32LE(NtcbHeader.Sender),
    data,
    headerOk: xor(frame, 0, NtcbHeader.HeaderXor) === frame[NtcbHeader.HeaderXor],
    dataOk: xor(data) === frame[NtcbHeader.DataXor],
  };
}

/** The NTCB message an NTCB data field holds (its prefix), or undefined for text of no known kind. */
export function ntcbKind(data: Buffer): (typeof NtcbMessage)[keyof typeof NtcbMessage] | undefined {
  const head = data.toString('latin1', 0, 6);
  if (head.startsWith(NtcbMessage.Flex)) return NtcbMessage.Flex;
  for (const kind of [NtcbMessage.Ident, NtcbMessage.Telemetry, NtcbMessage.Archive, NtcbMessage.Reply, NtcbMessage.Answer] as const)
    if (head.startsWith(kind)) return kind;
  return undefined;
}

/**
 * The command keyword of a command (`*!SETOUT 1Y` → SETOUT, `*?V` → V) or of a terminal's answer
 * (`*@SETOUT OK,1Y` → SETOUT, `*#V:S-2651:…` → V): answers echo it, so it correlates them.
 */
export function commandKeyword(text: string): string | undefined {
  return /^\*[!?@#]([A-Z0-9_]+)/.exec(text)?.[1];
}

/** `*>FLEX` negotiation (§1.2.1): `B0` | protocol version | struct version | field count | mask. */
export interface FlexNegotiation {
  readonly version: number;
  readonly structVersion: number;
  readonly count: number;
  readonly mask: Buffer;
}

export function readFlexNegotiation(data: Buffer): FlexNegotiation | CodecError {
  const at = NtcbMessage.Flex.length;
  if (data.length < at + 4) return new CodecError(CodecErrorCode.Truncated, '*>FLEX shorter than protocol, versions and field count', NTCB_HEADER_SIZE + at);
  if (data[at] !== FLEX_PROTOCOL)
    return new CodecError(CodecErrorCode.Unsupported, `*>FLEX protocol 0x${data[at].toString(16)} is not FLEX (0xB0)`, NTCB_HEADER_SIZE + at);
  const count = data[at + 3];
  const maskBytes = Math.ceil(count / 8);
  if (data.length < at + 4 + maskBytes) {
    return new CodecError(CodecErrorCode.Truncated, `*>FLEX mask of ${count} fields needs ${maskBytes} bytes`, NTCB_HEADER_SIZE + at + 4);
  }
  return { version: data[at + 1], structVersion: data[at + 2], count, mask: data.subarray(at + 4, at + 4 + maskBytes) };
}

/** The fields a mask enables, in wire order (bit 7 of the first byte is field 1). */
export function maskFields(count: number, mask: Uint8Array): FlexFieldDef[] {
  const fields: FlexFieldDef[] = [];
  for (let i = 0; i < Math.min(count, MAX_FLEX_FIELDS); i++) if (mask[i >> 3] & (0x80 >> (i & 7))) fields.push(FLEX_FIELDS[i]);
  return fields;
}

/** Bytes of one record under a field list. */
export function recordSize(fields: readonly FlexFieldDef[]): number {
  return fields.reduce((n, f) => n + f.size, 0);
}

/** The session values a negotiation sets (the framer and the decoder read them back). */
export function negotiationVars(n: FlexNegotiation): Record<string, string | number> {
  return {
    [Var.FlexVersion]: n.version,
    [Var.FlexFields]: n.count,
    [Var.FlexMask]: n.mask.toString('hex'),
    [Var.FlexSize]: recordSize(maskFields(n.count, n.mask)),
  };
}

/** The negotiated FLEX record layout of a session, or undefined before `*>FLEX`. */
export function flexLayout(vars: SessionState['vars'] | undefined): { fields: FlexFieldDef[]; size: number } | undefined {
  const count = vars?.[Var.FlexFields];
  const mask = vars?.[Var.FlexMask];
  if (typeof count !== 'number' || typeof mask !== 'string') return undefined;
  const fields = maskFields(count, Buffer.from(mask, 'hex'));
  return { fields, size: recordSize(fields) };
}

/** The negotiated record size the framer cuts FLEX frames with, or undefined before `*>FLEX`. */
export function flexRecordSize(vars: SessionState['vars']): number | undefined {
  const size = vars[Var.FlexSize];
  return typeof size === 'number' ? size : undefined;
}

/** True when the last byte is the CRC-8/NRSC-5 of everything before it. */
export function flexCrcMatches(frame: Buffer): boolean {
  return frame.length > FLEX_CRC_SIZE && crcFlex(frame, 0, frame.length - FLEX_CRC_SIZE) === frame[frame.length - FLEX_CRC_SIZE];
}

/** CRC-8/NRSC-5 of a buffer (FLEX answers end with it). */
export function flexCrc(buf: Uint8Array): number {
  return crcFlex(buf);
}
