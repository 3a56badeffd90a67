import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { Binary, COMMA, FrameKind, KEEPALIVE_LENGTH, KEEPALIVE_MARKER, LINE_ENDS, PHOTO_PREFIX, REPLY_START } from './constants.js';

/**
 * The envelope of one ATrack frame, read by the inspector and the decoder alike: its kind, the
 * unit id (the ident, and the 8 bytes the acknowledgement echoes), the sequence, where the
 * records are, and whether the CRC-16/ARC matches (Protocol Document §3: binary over everything
 * after the CRC field, ASCII from the comma after it; the length field bounds both).
 */
export interface Packet {
  readonly kind: FrameKind;
  /** The unit id as decimal digits (IMEI as a number); absent on command answers without one. */
  readonly ident?: string;
  /** The unit id as the u64 the acknowledgement echoes. */
  readonly unitId?: bigint;
  readonly seq?: number;
  /** The CRC matches (always true for frames without one: keep-alive, command answers). */
  readonly crcOk: boolean;
  /** Where the CRC field sits (error offsets). */
  readonly crcAt: number;
  /** Records: byte bounds (binary) or the text after the unit id (ASCII). */
  readonly bodyAt: number;
  readonly bodyEnd: number;
  /** ASCII frames and command answers: the frame's text (line ends trimmed). */
  readonly text?: string;
}

const arc = crc16(CRC16.ARC);
const U64_MAX = (1n << 64n) - 1n;

/** Reads the envelope of a frame; a CodecError when it is none of the five kinds. */
export function readPacket(frame: Buffer): Packet | CodecError {
  if (frame.length >= 2 && frame.readUInt16BE(0) === KEEPALIVE_MARKER) return keepAlive(frame);
  if (frame.length > 0 && frame[0] === REPLY_START) return reply(frame);
  if ((textCrcEnd(frame, 0) ?? -1) > 0) return text(frame);
  return binary(frame);
}

/**
 * Whether the bytes at `start` open an ASCII report: a two-byte prefix, a comma, 1-4 hex digits of
 * CRC and a comma. A binary frame whose CRC starts with 0x2C is not mistaken for one: its length
 * field would have to read as hex digits and a comma. Returns the index of the comma after the
 * CRC, `-1` while the buffer ends inside a possible header, undefined when it is no ASCII header.
 */
export function textCrcEnd(buf: Buffer, start: number): number | undefined {
  if (buf.length - start < 3) return -1;
  if (buf[start + 2] !== COMMA) return undefined;
  for (let i = start + 3; i < start + 8; i++) {
    if (i >= buf.length) return -1;
    if (buf[i] === COMMA) return i > start + 3 ? i : undefined;
    if (!isHexDigit(buf[i])) return undefined;
  }
  return undefined;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** `FE 02` + unit id u64 + sequence u16. */
function keepAlive(frame: Buffer): Packet | CodecError {
  if (frame.length !== KEEPALIVE_LENGTH) return malformed(`keep-alive of ${frame.length} bytes, not ${KEEPALIVE_LENGTH}`, 0);
  const unitId = frame.readBigUInt64BE(2);
  return { kind: FrameKind.KeepAlive, ident: unitId.toString(), unitId, seq: frame.readUInt16BE(10), crcOk: true, crcAt: 0, bodyAt: 12, bodyEnd: 12 };
}

/** Binary report or `@R` photo chunk: prefix, CRC u16, length u16 (bytes after it), sequence u16, unit id u64. */
function binary(frame: Buffer): Packet | CodecError {
  if (frame.length < Binary.header)
    return new CodecError(CodecErrorCode.Truncated, `binary frame of ${frame.length} bytes is shorter than its 16-byte header`, 0);
  const end = Math.min(frame.length, Binary.lengthAt + 2 + frame.readUInt16BE(Binary.lengthAt));
  if (end < Binary.header) return malformed(`length field ${frame.readUInt16BE(Binary.lengthAt)} is shorter than the sequence and unit id`, Binary.lengthAt);
  const unitId = frame.readBigUInt64BE(Binary.idAt);
  const ident = unitId.toString();
  if (!isValidIdent(ident)) return malformed('unit id is not a valid ident', Binary.idAt);
  const kind = frame.toString('latin1', 0, 2) === PHOTO_PREFIX ? FrameKind.Photo : FrameKind.Binary;
  const crcOk = arc(frame, Binary.lengthAt, end) === frame.readUInt16BE(Binary.crcAt);
  return { kind, ident, unitId, seq: frame.readUInt16BE(Binary.seqAt), crcOk, crcAt: Binary.crcAt, bodyAt: Binary.header, bodyEnd: end };
}

/** `<prefix>,<CRC hex>,<length>,<sequence>,<unit id>,<records>`; the length counts from the comma after it. */
function text(frame: Buffer): Packet | CodecError {
  const commas = [2];
  for (let i = 0; i < 4; i++) {
    const at = frame.indexOf(COMMA, commas[commas.length - 1] + 1);
    if (at < 0) return malformed('ASCII report header is not <prefix>,<CRC>,<length>,<sequence>,<unit id>,', 0);
    commas.push(at);
  }
  const [, crcComma, lengthComma, seqComma, idComma] = commas;
  const field = (from: number, to: number) => frame.toString('latin1', from + 1, to);
  const crcText = field(2, crcComma);
  const lengthText = field(crcComma, lengthComma);
  const seqText = field(lengthComma, seqComma);
  const ident = field(seqComma, idComma);
  if (!/^[0-9A-Fa-f]{1,4}$/.test(crcText)) return malformed(`CRC field "${crcText.slice(0, 8)}" is not hex`, 3);
  if (!/^\d{1,6}$/.test(lengthText) || !/^\d{1,10}$/.test(seqText)) return malformed('length or sequence field is not a number', crcComma + 1);
  if (!/^\d{1,20}$/.test(ident) || BigInt(ident) > U64_MAX || !isValidIdent(ident))
    return malformed('unit id is not a number of at most 64 bits', seqComma + 1);
  const end = Math.min(frame.length, lengthComma + Number(lengthText));
  const crcOk = arc(frame, crcComma, end) === parseInt(crcText, 16);
  const body = trimLineEnds(frame, idComma + 1, frame.length);
  return {
    kind: FrameKind.Text,
    ident,
    unitId: BigInt(ident),
    seq: Number(seqText) & 0xffff,
    crcOk,
    crcAt: 3,
    bodyAt: idComma + 1,
    bodyEnd: body,
    text: frame.toString('latin1', idComma + 1, body),
  };
}

/** `$OK`, `$ERROR=<code>`, `$INFO=<unit id>,…` or `$<CMD>=<values>` (answers to AT$ commands). */
function reply(frame: Buffer): Packet {
  const end = trimLineEnds(frame, 0, frame.length);
  const answer = frame.toString('latin1', 0, end);
  const info = /^\$INFO=(\d{1,20}),/.exec(answer);
  const ident = info && isValidIdent(info[1]) ? info[1] : undefined;
  return { kind: FrameKind.Reply, ...(ident ? { ident } : {}), crcOk: true, crcAt: 0, bodyAt: 0, bodyEnd: end, text: answer };
}

/** The end of `[from, to)` without trailing CR / LF bytes. */
function trimLineEnds(frame: Buffer, from: number, to: number): number {
  let end = to;
  while (end > from && LINE_ENDS.includes(frame[end - 1])) end--;
  return end;
}

function malformed(reason: string, offset: number): CodecError {
  return new CodecError(CodecErrorCode.Malformed, reason, offset);
}
