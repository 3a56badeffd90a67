import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { CONTENT_TYPES, ESCAPED, Family, HEADER, Marker } from './constants.js';

/**
 * The envelope of one watch frame, read by the framer, the inspector and the decoder alike
 * (SeTracker preamble): `[<maker>*<id>*<len>*<content>]`, where `len` is the content's length in
 * bytes as sent (escaped), 4 hex digits; ZJ units put a 4-hex index before it. No checksum.
 */
export interface Header {
  /** Two letters in the spec (`3G`, `SG`, `CS`, `ZJ`). */
  readonly maker: string;
  /** Device id: 10 digits of the IMEI in the spec, 9-15 on real units. */
  readonly id: string;
  /** The index field of ZJ units, echoed in answers. */
  readonly index?: string;
  /** The content length the header announces. */
  readonly length: number;
  /** Offset of the content in the buffer. */
  readonly contentAt: number;
}

export interface Packet extends Header {
  /** The content type as sent: the text before the first comma (`UD_LTE`, `LK`, `bphrt`). */
  readonly type: string;
  /** The type lower-cased, without its network suffix (`ud`, `al`, `lk`): the key of the tables in constants.ts. */
  readonly key: string;
  readonly family: Family;
  /** The content as sent (binary parts still escaped), without the closing `]`. */
  readonly content: Buffer;
}

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** End (the `*`) of a header field of `min`-`max` bytes that pass `ok` from `from`; `more` when the buffer ends first; undefined when invalid. */
function field(buf: Buffer, from: number, min: number, max: number, ok: (c: number) => boolean): number | 'more' | undefined {
  for (let i = from; i < buf.length; i++) {
    if (buf[i] === Marker.Separator) return i - from >= min ? i : undefined;
    if (!ok(buf[i]) || i - from >= max) return undefined;
  }
  return 'more';
}

/**
 * Reads the header of the frame starting with `[` at `start`: `more` while it has not all arrived,
 * a `malformed` error when it is not `[<maker>*<id>*[<index>*]<len>*`.
 */
export function readHeader(buf: Buffer, start: number): Header | 'more' | CodecError {
  const makerEnd = field(buf, start + 1, 1, HEADER.makerMax, isAlnum);
  if (makerEnd === undefined) return malformed('maker is not 1-4 letters or digits followed by *', start + 1);
  if (makerEnd === 'more') return 'more';
  const idEnd = field(buf, makerEnd + 1, 1, HEADER.idMax, isAlnum);
  if (idEnd === undefined) return malformed('device id is not 1-20 letters or digits followed by *', makerEnd + 1);
  if (idEnd === 'more') return 'more';
  const firstEnd = field(buf, idEnd + 1, HEADER.hexDigits, HEADER.hexDigits, isHex);
  if (firstEnd === undefined) return malformed('length is not 4 hex digits followed by *', idEnd + 1);
  if (firstEnd === 'more') return 'more';
  const second = field(buf, firstEnd + 1, HEADER.hexDigits, HEADER.hexDigits, isHex);
  if (second === 'more') return 'more';
  const text = (from: number, to: number) => buf.toString('latin1', from, to);
  const base = { maker: text(start + 1, makerEnd), id: text(makerEnd + 1, idEnd) };
  if (second === undefined) return { ...base, length: parseInt(text(idEnd + 1, firstEnd), 16), contentAt: firstEnd + 1 };
  return { ...base, index: text(idEnd + 1, firstEnd), length: parseInt(text(firstEnd + 1, second), 16), contentAt: second + 1 };
}

/** Reads one whole frame (with or without its closing `]`). */
export function readPacket(frame: Buffer): Packet | CodecError {
  if (frame[0] !== Marker.Open) return malformed('frame does not start with [', 0);
  const header = readHeader(frame, 0);
  if (header === 'more') return new CodecError(CodecErrorCode.Truncated, 'frame ends inside its header', frame.length);
  if (header instanceof CodecError) return header;
  if (!isValidIdent(header.id)) return malformed('device id is not a valid ident', 1 + header.maker.length + 1);
  const end = frame[frame.length - 1] === Marker.Close ? frame.length - 1 : frame.length;
  const content = frame.subarray(Math.min(header.contentAt, end), end);
  const comma = content.indexOf(Marker.Comma);
  const type = content.toString('latin1', 0, comma < 0 ? content.length : comma);
  const { key, family } = classify(type, content, comma);
  return { ...header, type, key, family, content };
}

/** The table key and record family of a content type; `TK,0|1` is the watch's answer to a voice message, not voice. */
function classify(type: string, content: Buffer, comma: number): { key: string; family: Family } {
  const lower = type.toLowerCase();
  const base = lower.split('_')[0];
  if (lower === 'tk' && /^[01]$/.test(content.toString('latin1', comma + 1))) return { key: lower, family: Family.Reply };
  const family = CONTENT_TYPES[lower] ?? CONTENT_TYPES[base];
  if (family) return { key: CONTENT_TYPES[lower] ? lower : base, family };
  if (/^(ud|al|wt)/.test(lower)) return { key: lower.slice(0, 2), family: Family.Location }; // ALCUSTOMER1 and kin
  return { key: lower, family: Family.Reply };
}

/** The content after the type, split at commas (text content: locations, health, answers). */
export function args(p: Packet): string[] {
  const comma = p.content.indexOf(Marker.Comma);
  return comma < 0 ? [] : p.content.toString('utf8', comma + 1).split(',');
}

/** The first `count` fields after the type as text, and the bytes after them (binary content: voice, pictures); undefined when there are fewer fields. */
export function binaryArgs(p: Packet, count: number): { fields: string[]; data: Buffer } | undefined {
  let at = p.content.indexOf(Marker.Comma);
  const fields: string[] = [];
  for (let i = 0; i < count && at >= 0; i++) {
    const next = p.content.indexOf(Marker.Comma, at + 1);
    if (next < 0) return undefined;
    fields.push(p.content.toString('latin1', at + 1, next));
    at = next;
  }
  return at < 0 ? undefined : { fields, data: p.content.subarray(at + 1) };
}

/** Binary content as sent → the bytes it stands for (SeTracker Part II §25: 7D 01..05); undefined on an unknown escape. */
export function unescapeBinary(data: Buffer): Buffer | undefined {
  const out = Buffer.allocUnsafe(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    let b = data[i];
    if (b === Marker.Escape) {
      const raw = ESCAPED[data[++i]];
      if (raw === undefined) return undefined;
      b = raw;
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

function malformed(reason: string, offset: number): CodecError {
  return new CodecError(CodecErrorCode.Malformed, reason, offset);
}
