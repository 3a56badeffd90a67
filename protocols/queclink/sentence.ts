import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import type { Message } from '../common/types.js';
import { TextHead } from './constants.js';
import { parseTime } from './fields.js';
import { type Family, familyOf } from './params.js';

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
