import { CRC8, CRC16, crc8, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode, toCodecError } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { Reader } from '../common/reader.js';
import {
  AuthSr,
  EPOCH_2010,
  HEADER_SIZE,
  IMEI_SIZE,
  IMSI_SIZE,
  MSISDN_SIZE,
  PacketType,
  PRV,
  RecordFlags,
  ROUTED_HEADER_SIZE,
  Service,
  SFRCS_SIZE,
} from './constants.js';

/**
 * The envelope of an EGTS packet, read by the framer, the inspector and the decoder alike
 * (GOST 33465-2015 §5.6 transport layer, §6.6 service support layer): the header with its CRC-8,
 * the frame data (SFRD) with its CRC-16, the service data records and their subrecords, and the
 * authentication subrecords that name the unit.
 */

const headerCrc = crc8(CRC8.NRSC5);
const dataCrc = crc16(CRC16.CCITT_FALSE);

/** Checksum names in CRC errors. */
export const HCS_NAME = 'CRC-8 header checksum (HCS)';
export const SFRCS_NAME = 'CRC-16/CCITT-FALSE frame data checksum (SFRCS)';

/** §5.6.1.3: PRV | SKID | flags | HL | HE | FDL u16 | PID u16 | PT | [PRA u16, RCA u16, TTL] | HCS. */
export interface Header {
  readonly hl: number;
  readonly flags: number;
  readonly fdl: number;
  readonly pid: number;
  readonly pt: number;
  readonly hcsOk: boolean;
  /** SFRCS matches SFRD (true when there is no frame data). */
  readonly sfrcsOk: boolean;
  /** End of SFRD: HL + FDL. */
  readonly dataEnd: number;
}

/** A header length the transport layer allows (without and with routing fields). */
export function isHeaderLength(hl: number): boolean {
  return hl === HEADER_SIZE || hl === ROUTED_HEADER_SIZE;
}

/** Bytes of the whole packet a header announces: HL + FDL, plus SFRCS when FDL > 0 (needs 7 bytes). */
export function packetLength(buf: Buffer): number {
  const fdl = buf.readUInt16LE(5);
  return buf[3] + fdl + (fdl > 0 ? SFRCS_SIZE : 0);
}

/** True when HCS is the CRC-8 of the header bytes before it (needs HL bytes). */
export function headerCrcOk(buf: Buffer): boolean {
  const hl = buf[3];
  return headerCrc(buf, 0, hl - 1) === buf[hl - 1];
}

/** The header of a packet, or a typed error for bytes that cannot be an EGTS packet. */
export function parseHeader(frame: Buffer): Header | CodecError {
  if (frame.length < HEADER_SIZE) return new CodecError(CodecErrorCode.Truncated, `packet of ${frame.length} bytes is shorter than a header`, 0);
  if (frame[0] !== PRV) return new CodecError(CodecErrorCode.Unsupported, `protocol version PRV 0x${hex2(frame[0])} is not 01`, 0);
  const hl = frame[3];
  if (!isHeaderLength(hl)) return new CodecError(CodecErrorCode.Malformed, `header length HL ${hl} is neither 11 nor 16`, 3);
  if (frame.length < hl) return new CodecError(CodecErrorCode.Truncated, `packet of ${frame.length} bytes is shorter than its ${hl}-byte header`, 0);
  const fdl = frame.readUInt16LE(5);
  const dataEnd = hl + fdl;
  if (fdl > 0 && frame.length < dataEnd + SFRCS_SIZE) {
    return new CodecError(CodecErrorCode.Truncated, `FDL ${fdl} announces ${dataEnd + SFRCS_SIZE} bytes, the packet has ${frame.length}`, 5);
  }
  return {
    hl,
    flags: frame[2],
    fdl,
    pid: frame.readUInt16LE(7),
    pt: frame[9],
    hcsOk: headerCrcOk(frame),
    sfrcsOk: fdl === 0 || dataCrc(frame, hl, dataEnd) === frame.readUInt16LE(dataEnd),
    dataEnd,
  };
}

/** A service data record (§6.6.2): RL | RN | RFL | [OID] [EVID] [TM] | SST | RST | RD. */
export interface ServiceRecord {
  readonly rn: number;
  readonly flags: number;
  readonly oid?: number;
  readonly evid?: number;
  /** TM as Unix seconds. */
  readonly time?: number;
  readonly sst: number;
  readonly rst: number;
  /** RD bounds in the frame. */
  readonly start: number;
  readonly end: number;
}

export interface RecordList {
  readonly records: ServiceRecord[];
  /** Set when the records stop early (the ones before it are whole). */
  readonly error?: CodecError;
}

/** Where the records start in SFRD: after RPID and PR of a response (§5.6.3.1), after SIGL and SIGD of a signed packet. */
function recordsStart(frame: Buffer, h: Header): number {
  if (h.pt === PacketType.Response) return h.hl + 3;
  if (h.pt === PacketType.SignedAppData) return h.fdl >= 2 ? h.hl + 2 + frame.readUInt16LE(h.hl) : h.dataEnd + 1;
  return h.hl;
}

/** The records of SFRD, whole ones only; a record that does not fit ends the list with a typed error. */
export function walkRecords(frame: Buffer, h: Header): RecordList {
  const records: ServiceRecord[] = [];
  const end = h.dataEnd;
  let at = recordsStart(frame, h);
  if (at > end) return { records, error: new CodecError(CodecErrorCode.Truncated, 'frame data too short for its response or signature fields', h.hl) };
  while (at < end) {
    const r = new Reader(frame, at, end);
    try {
      const rl = r.u16le();
      const rn = r.u16le();
      const flags = r.u8();
      const oid = flags & RecordFlags.Oid ? r.u32le() : undefined;
      const evid = flags & RecordFlags.Evid ? r.u32le() : undefined;
      const tm = flags & RecordFlags.Time ? r.u32le() : undefined;
      const sst = r.u8();
      const rst = r.u8();
      if (r.pos + rl > end) throw new CodecError(CodecErrorCode.Truncated, `record ${rn}: RL ${rl} runs past the frame data`, at);
      records.push({ rn, flags, oid, evid, time: tm === undefined ? undefined : tm + EPOCH_2010, sst, rst, start: r.pos, end: r.pos + rl });
      at = r.pos + rl;
    } catch (err) {
      return { records, error: toCodecError(err) };
    }
  }
  return { records };
}

/** A subrecord (§6.6.3): SRT | SRL u16 | SRD. */
export interface Subrecord {
  readonly srt: number;
  readonly start: number;
  readonly end: number;
}

/** The subrecords of a record; one that does not fit ends the list with a typed error. */
export function walkSubrecords(frame: Buffer, rec: ServiceRecord): { subrecords: Subrecord[]; error?: CodecError } {
  const subrecords: Subrecord[] = [];
  let at = rec.start;
  while (at < rec.end) {
    if (rec.end - at < 3) return { subrecords, error: new CodecError(CodecErrorCode.Truncated, `record ${rec.rn}: subrecord header cut short`, at) };
    const srt = frame[at];
    const srl = frame.readUInt16LE(at + 1);
    if (at + 3 + srl > rec.end)
      return { subrecords, error: new CodecError(CodecErrorCode.Truncated, `record ${rec.rn}: subrecord ${srt} SRL ${srl} runs past the record`, at) };
    subrecords.push({ srt, start: at + 3, end: at + 3 + srl });
    at += 3 + srl;
  }
  return { subrecords };
}

/** EGTS_SR_TERM_IDENTITY (§6.7.2.2). */
export interface TermIdentity {
  readonly tid: number;
  readonly hdid?: number;
  readonly imei?: string;
  readonly imsi?: string;
  readonly language?: string;
  readonly networkId?: string;
  readonly bufferSize?: number;
  readonly msisdn?: string;
}

/** Flags byte: HDIDE 0, IMEIE 1, IMSIE 2, LNGCE 3, SSRA 4, NIDE 5, BSE 6, MNE 7. */
export function readTermIdentity(frame: Buffer, sub: Subrecord): TermIdentity {
  const r = new Reader(frame, sub.start, sub.end);
  const tid = r.u32le();
  const f = r.u8();
  const hdid = f & 0x01 ? r.u16le() : undefined;
  const imei = f & 0x02 ? text(r.bytes(IMEI_SIZE)) : undefined;
  const imsi = f & 0x04 ? text(r.bytes(IMSI_SIZE)) : undefined;
  const language = f & 0x08 ? text(r.bytes(3)) : undefined;
  const networkId = f & 0x20 ? r.bytes(3).toString('hex') : undefined;
  const bufferSize = f & 0x40 ? r.u16le() : undefined;
  const msisdn = f & 0x80 ? text(r.bytes(MSISDN_SIZE)) : undefined;
  return { tid, hdid, imei, imsi, language, networkId, bufferSize, msisdn };
}

/** The ident a unit gives: IMEI, else IMSI, else MSISDN (each when it holds a non-zero digit), else TID. */
export function terminalIdent(t: TermIdentity): string | undefined {
  for (const candidate of [t.imei, t.imsi, t.msisdn]) if (candidate && /[1-9]/.test(candidate) && isValidIdent(candidate)) return candidate;
  return String(t.tid);
}

/** What the authentication subrecords of a packet say about the peer. */
export interface PacketIdentity {
  readonly terminal?: TermIdentity;
  /** DID of a retranslating platform (EGTS_SR_DISPATCHER_IDENTITY). */
  readonly dispatcher?: number;
  /** The packet authenticates (TERM_IDENTITY, DISPATCHER_IDENTITY or AUTH_INFO): a result code is due. */
  readonly authenticates: boolean;
}

/** Reads the authentication subrecords of the auth-service records, without decoding anything else. */
export function packetIdentity(frame: Buffer, records: readonly ServiceRecord[]): PacketIdentity {
  let terminal: TermIdentity | undefined;
  let dispatcher: number | undefined;
  let authenticates = false;
  for (const rec of records) {
    if (rec.sst !== Service.Auth) continue;
    for (const sub of walkSubrecords(frame, rec).subrecords) {
      try {
        if (sub.srt === AuthSr.TermIdentity) terminal ??= readTermIdentity(frame, sub);
        else if (sub.srt === AuthSr.DispatcherIdentity && sub.end - sub.start >= 5) dispatcher ??= frame.readUInt32LE(sub.start + 1);
        else if (sub.srt !== AuthSr.AuthInfo) continue;
        authenticates = true;
      } catch {
        // a truncated identity: the decoder reports it
      }
    }
  }
  return { terminal, dispatcher, authenticates };
}

/** Text of a fixed-size or delimited field: Latin-1, NUL padding and spaces trimmed. */
export function text(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return bytes.toString('latin1', 0, nul < 0 ? bytes.length : nul).trim();
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
