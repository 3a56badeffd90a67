import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { BINARY_HEADER, CR, ESCAPE, ETX, LF, MAX_CRASH_DATA, MAX_UEX_DATA, ReportType, STX, ZIP_ID_AT, ZIP_OVERHEAD, ZipType } from './constants.js';

/**
 * The envelope of a Suntech frame, read by the framer, the inspector and the decoder alike: which
 * of the three wire forms it is (zip, universal binary, text), the text header (legacy
 * `ST300STT;<id>;…`, personal-tracker `ST910;Location;<id>;…`, universal `STT;<id>;<mask>;…`),
 * the device id, and the length-prefixed serial data of UEX and CRR reports with its 8-bit sum.
 */

export type FrameKind = 'zip' | 'binary' | 'text';

/** Zip frames start with STX (§6-x-2); universal binary ones have a zero length high byte second (Traccar's framer). */
export function kindOf(frame: Buffer): FrameKind {
  if (frame[0] === STX) return 'zip';
  if (frame.length > 1 && frame[1] === 0x00) return 'binary';
  return 'text';
}

export type Family = 'legacy' | 'st4' | 'st9' | 'universal' | 'crash' | 'error';

/** What the first field of a text frame says. */
interface Header {
  readonly family: Family;
  /** Report type: `STT`, `ALT`… (legacy and universal), `Location`… (ST910), `Res` answers keep their command type. */
  readonly type: string;
  /** Legacy model header without the type (`ST300`, `SA200`, `ST600`, `ST3310`, `ST910`). */
  readonly prefix?: string;
}

const LEGACY_HEADER = /^([A-Z]{2}\d{3,4}[A-Z]?)([A-Z]{3})$/;
const UNIVERSAL_HEADER = /^[A-Z]{3}$/;
const ST9_HEADER = /^ST9\d{2}$/;

function headerOf(fields: readonly string[]): Header | undefined {
  const h = fields[0];
  if (h === ReportType.Crash) return { family: 'crash', type: h };
  if (UNIVERSAL_HEADER.test(h)) return { family: 'universal', type: h };
  if (ST9_HEADER.test(h) && fields.length > 2) return { family: 'st9', type: fields[1], prefix: h };
  const m = LEGACY_HEADER.exec(h);
  if (!m) return h.startsWith('-') && fields.length === 1 ? { family: 'error', type: h } : undefined;
  return { family: m[1].startsWith('ST4') ? 'st4' : 'legacy', type: m[2], prefix: m[1] };
}

/** Where the length-prefixed data of a UEX or CRR text report sits in the frame. */
export interface DataSpan {
  /** Index of the data among the `;`-separated fields. */
  readonly field: number;
  readonly start: number;
  readonly end: number;
  /** The data with the §6-8 escapes (`01 10` → 00, `01 11` → 01) undone; CRR data is not escaped. */
  readonly bytes: Buffer;
}

/** Legacy model families: whether a MODEL field follows the id, and how many fields the cell takes (§6-1, ST600 and ST500 manuals). */
export function legacyLayout(prefix: string): { readonly model: boolean; readonly cellFields: 0 | 1 | 5 } {
  const model = prefix.startsWith('ST3') || prefix === 'ST500' || prefix === 'ST600';
  return { model, cellFields: prefix === 'ST500' ? 0 : prefix === 'ST600' ? 5 : 1 };
}

/** Universal mask bits 1–18 are one field each (model … output state); bits 4 and 5 are the date and the time. */
export function universalFieldsBefore(mask: number, bit: number): number {
  let n = 0;
  for (let b = 1; b < bit; b++) if (Math.floor(mask / 2 ** b) % 2 === 1) n++;
  return n;
}

/** Index of the LEN field of a UEX/CRR report from its header fields, or undefined for other reports. */
function lengthField(h: Header, fields: readonly string[]): number | undefined {
  if (h.family === 'crash') return 4; // CRR;id;part;parts;LEN
  if (h.type !== ReportType.Uex || h.family === 'st9' || h.family === 'st4') return undefined;
  if (h.family === 'legacy' && h.prefix) {
    const l = legacyLayout(h.prefix);
    return 2 + (l.model ? 1 : 0) + 3 + l.cellFields + 9; // id, [model], sw, date, time, cell, lat … i/o
  }
  if (fields.length < 3 || !/^[0-9A-Fa-f]{1,6}$/.test(fields[2])) return undefined;
  return 3 + universalFieldsBefore(parseInt(fields[2], 16), 19); // type, id, mask, bits 1–18
}

/**
 * Finds the data of a UEX (§6-7: `…;LEN;DATA;CHK;…`, DATA escaped, LEN counting unescaped bytes)
 * or CRR report in `buf` from `start`: the span, `more` while the bytes up to its end have not all
 * arrived, or undefined when the frame has no such data (or its LEN does not fit, read as plain text).
 */
export function locateData(buf: Buffer, start: number): DataSpan | 'more' | undefined {
  const semis: number[] = [];
  let at = start;
  let h: Header | undefined;
  let lenAt: number | undefined;
  for (;;) {
    const next = buf.indexOf(0x3b, at);
    const cr = buf.indexOf(CR, at);
    if (cr >= 0 && (next < 0 || cr < next)) return undefined;
    if (next < 0) return 'more';
    semis.push(next);
    at = next + 1;
    if (h === undefined) {
      const fields = buf.toString('latin1', start, next).split(';');
      if (semis.length === 1 && !/^(CRR|UEX|[A-Z]{2}\d{3,4}[A-Z]?UEX)$/.test(fields[0])) return undefined;
      if (semis.length < 3) continue;
      h = headerOf(buf.toString('latin1', start, semis[2]).split(';'));
      lenAt = h && lengthField(h, buf.toString('latin1', start, semis[2]).split(';'));
      if (lenAt === undefined) return undefined;
    }
    if (lenAt !== undefined && semis.length === lenAt + 1) break;
  }
  const index = lenAt ?? 0;
  const len = buf.toString('latin1', semis[index - 1] + 1, semis[index]);
  if (!/^\d{1,5}$/.test(len) || Number(len) > (h?.family === 'crash' ? MAX_CRASH_DATA : MAX_UEX_DATA)) return undefined;
  return walkData(buf, semis[index] + 1, Number(len), h?.family !== 'crash', index + 1);
}

function walkData(buf: Buffer, from: number, units: number, escaped: boolean, field: number): DataSpan | 'more' | undefined {
  const out = Buffer.alloc(units);
  let i = from;
  for (let n = 0; n < units; n++) {
    if (i >= buf.length) return 'more';
    if (escaped && buf[i] === ESCAPE) {
      if (i + 1 >= buf.length) return 'more';
      out[n] = buf[i + 1] & 0x0f;
      i += 2;
    } else out[n] = buf[i++];
  }
  if (i >= buf.length) return 'more';
  return buf[i] === 0x3b ? { field, start: from, end: i, bytes: out } : undefined;
}

/** One text frame split into fields (the data of UEX/CRR kept whole), with its header and device id. */
export interface TextPacket {
  readonly text: string;
  readonly fields: readonly string[];
  readonly family: Family;
  readonly type: string;
  readonly prefix?: string;
  /** Device id (undefined for `-Error`, which names no device). */
  readonly ident?: string;
  /** A command answer: legacy `<hdr>;Res;<id>;…`, universal `RES;<id>;…`, or `-Error`. */
  readonly response: boolean;
  readonly data?: DataSpan;
}

const IDENT = /^[0-9A-Za-z]{1,20}$/;

/** Parses a text frame (without its `\r`; a trailing one, as in a UDP datagram, is dropped). */
export function parseText(frame: Buffer): TextPacket | CodecError {
  const span = locateData(frame, 0);
  const data = typeof span === 'object' ? span : undefined;
  let end = frame.length;
  while (end > (data?.end ?? 0) && (frame[end - 1] === CR || frame[end - 1] === LF)) end--;
  const text = frame.toString('latin1', 0, end);
  const fields = data
    ? [
        ...frame.toString('latin1', 0, data.start - 1).split(';'),
        frame.toString('latin1', data.start, data.end),
        ...frame.toString('latin1', data.end + 1, end).split(';'),
      ]
    : text.split(';');
  const h = headerOf(fields);
  if (!h) return new CodecError(CodecErrorCode.Malformed, `"${fields[0].slice(0, 16)}" is not a Suntech report header`, 0);
  if (span === 'more' && (h.type === ReportType.Uex || h.family === 'crash'))
    return new CodecError(CodecErrorCode.Truncated, 'serial data ends past the end of the frame', frame.length);
  if (h.family === 'error') return { text, fields, family: h.family, type: h.type, response: true };
  const res = h.family === 'legacy' || h.family === 'st4' ? fields[1] === 'Res' : h.type === ReportType.Result;
  const ident = fields[h.family === 'st9' || (res && h.family !== 'universal') ? 2 : 1];
  if (ident === undefined || !IDENT.test(ident) || !isValidIdent(ident)) {
    return new CodecError(CodecErrorCode.Malformed, `device id "${String(ident).slice(0, 24)}" is not letters and digits`, fields[0].length + 1);
  }
  return { text, fields, family: h.family, type: h.type, ...(h.prefix ? { prefix: h.prefix } : {}), ident, response: res, ...(data ? { data } : {}) };
}

/** UEX and CRR reports end their data with `;<sum>`: the low byte of the sum of the data bytes, 2 hex digits (§6-7, §6-8). */
export function dataChecksum(p: TextPacket): { readonly ok: boolean; readonly offset: number } | undefined {
  if (!p.data) return undefined;
  const sent = p.fields[p.data.field + 1] ?? '';
  let sum = 0;
  for (const b of p.data.bytes) sum = (sum + b) & 0xff;
  return { ok: /^[0-9A-Fa-f]{2}$/.test(sent) && parseInt(sent, 16) === sum, offset: p.data.end + 1 };
}

/** Offset of LEN in a zip UEX report: STX, PKT_LEN, HDR, then 39 bytes of common fields up to I/O (§6-7-2). */
const ZIP_UEX_LEN_AT = 43;

/** The CHK_SUM of a zip UEX report (§6-7-2: low byte of the sum of DATA), undefined for other zip reports. */
export function zipChecksum(frame: Buffer): { readonly ok: boolean; readonly offset: number } | undefined {
  if (frame[3] !== ZipType.Uex || frame.length < ZIP_UEX_LEN_AT + 2) return undefined;
  const at = ZIP_UEX_LEN_AT + 2 + frame.readUInt16BE(ZIP_UEX_LEN_AT);
  if (at >= frame.length - 1) return { ok: false, offset: frame.length - 1 };
  let sum = 0;
  for (let i = ZIP_UEX_LEN_AT + 2; i < at; i++) sum = (sum + frame[i]) & 0xff;
  return { ok: sum === frame[at], offset: at };
}

/** Zip device id: 5 BCD bytes, the 9-digit id padded with a 0 nibble (§6-4-2: 123456789 → 12 34 56 78 90). */
export function zipIdent(frame: Buffer): string | undefined {
  if (frame.length < ZIP_ID_AT + 5) return undefined;
  const digits = frame.toString('hex', ZIP_ID_AT, ZIP_ID_AT + 5);
  return /^\d{10}$/.test(digits) ? digits.slice(0, 9) : undefined;
}

/** A zip frame whose length field matches and which ends with ETX. */
export function zipComplete(frame: Buffer): boolean {
  return frame.length >= ZIP_OVERHEAD + 6 && frame.readUInt16BE(1) + ZIP_OVERHEAD === frame.length && frame[frame.length - 1] === ETX;
}

/** Universal binary device id: the 5 id bytes as 10 hex digits (`0520001338`). */
export function binaryIdent(frame: Buffer): string | undefined {
  if (frame.length < BINARY_HEADER + 5) return undefined;
  const digits = frame.toString('hex', BINARY_HEADER, BINARY_HEADER + 5);
  return /^\d{10}$/.test(digits) ? digits : undefined;
}
