import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { Message } from '../common/types.js';
import { BINARY_HEADS, type BinaryHead, COMPACT_IDENTIFIER, type Family, familyOf, MIN_FRAME, NAME_INSTEAD_OF_IMEI, TextHead } from './constants.js';
import { parseTime } from './params.js';

/**
 * The envelope of a Queclink frame, read by the framer, the inspector and the decoder alike: a
 * binary frame's head and length, its identity field, and a text message split into its fields.
 */

/** True when a frame (or stream start) is a binary frame rather than `+RESP:`/`+BUFF:`/`+ACK:` text. */
export function isBinary(buf: Buffer): boolean {
  return buf.length >= MIN_FRAME && binaryLength(buf) !== undefined;
}

/** Length of a binary frame from its header, or undefined for a text frame (needs MIN_FRAME bytes). */
export function binaryLength(buf: Buffer): number | undefined {
  if (buf[1] === COMPACT_IDENTIFIER) return buf.readUInt16BE(2);
  const head = buf.toString('latin1', 0, 4) as BinaryHead;
  const spec = BINARY_HEADS[head];
  if (!spec || (head === '+ACK' && buf[4] === 0x3a)) return undefined;
  return spec.length === 'u8' ? buf[spec.at] : buf.readUInt16BE(spec.at);
}

/** The identity field: IMEI as 7 bytes of two decimal digits plus one last digit, or an ASCII name (mask bit 6). */
export function binaryIdent(id: Buffer, mask: number): string | undefined {
  if (mask & NAME_INSTEAD_OF_IMEI) return undefined;
  let out = '';
  for (let i = 0; i < 7; i++) {
    if (id[i] > 99) return undefined;
    out += String(id[i]).padStart(2, '0');
  }
  return out + String(id[7]);
}

/**
 * One text message split into fields (TRACGL300AN001 §3.1: `+RESP:GTxxx,<protocol version>,
 * <unique id>,<device name>,…,<send time>,<count number>$`).
 */
export interface Sentence {
  readonly text: string;
  readonly head: (typeof TextHead)[keyof typeof TextHead];
  /** The three letters after `GT` (e.g. `FRI`). */
  readonly code: string;
  readonly v: readonly string[];
  readonly version: string;
  readonly imei: string;
  readonly family: Family;
  /** Index of the VIN (GV500 family, or a 17-character VIN after the IMEI), if any. */
  readonly vinIdx?: number;
  /** Index of the device name. */
  readonly nameIdx: number;
  /** Index of the send time (the field before the count number). */
  readonly end: number;
  readonly sendTime?: number;
  readonly count: string;
}

const HEAD = /^\+(RESP|BUFF|ACK):GT([A-Z0-9]{3}),/;
const VERSION = /^([0-9A-Fa-f]{6}|[0-9A-Fa-f]{10})$/;
const IMEI = /^[0-9A-Za-z]{1,20}$/;
const VIN = /^[0-9A-Z]{17}$/;

/** Splits a text frame (with or without its `$`) into a Sentence, or a typed error. */
export function parseSentence(frame: Buffer): Sentence | CodecError {
  const text = frame.toString('latin1').replace(/\$?[\r\n\0]*$/, '');
  const head = HEAD.exec(text);
  if (!head) return new CodecError(CodecErrorCode.Malformed, 'not a "+RESP:GTxxx", "+BUFF:GTxxx" or "+ACK:GTxxx" message', 0);
  const v = text.split(',');
  if (v.length < 5) return new CodecError(CodecErrorCode.Truncated, `message has ${v.length} fields, fewer than its header`, text.length);
  const version = v[1];
  if (!VERSION.test(version)) {
    return new CodecError(
      CodecErrorCode.Unsupported,
      `protocol version "${version.slice(0, 12)}" is not 6 or 10 hex digits (older GT300-style message)`,
      head[0].length,
    );
  }
  const imei = v[2];
  if (!IMEI.test(imei) || !isValidIdent(imei)) return new CodecError(CodecErrorCode.Malformed, 'unique id is not an IMEI', head[0].length + version.length + 1);
  const family = familyOf(version);
  const hasVin = v.length > 6 && (family.vin === true || VIN.test(v[3]));
  const end = v.length - 2;
  return {
    text,
    head: head[1] as Sentence['head'],
    code: head[2],
    v,
    version,
    imei,
    family,
    ...(hasVin ? { vinIdx: 3 } : {}),
    nameIdx: hasVin ? 4 : 3,
    end,
    sendTime: parseTime(v[end]),
    count: v[v.length - 1],
  };
}

/** Parameters every message of a sentence carries. */
export function common(s: Sentence): Message {
  const m: Message = { 'report.type': `GT${s.code}`, 'queclink.protocol.version': s.version.toUpperCase() };
  if (s.head === TextHead.Buff) m['message.buffered.status'] = true;
  if (/^[0-9A-Fa-f]{4}$/.test(s.count)) m['queclink.count'] = parseInt(s.count, 16);
  const name = s.v[s.nameIdx];
  if (name && s.nameIdx < s.end) m['queclink.device_name'] = name;
  if (s.vinIdx !== undefined && s.v[s.vinIdx]) m['vehicle.vin'] = s.v[s.vinIdx];
  return m;
}
