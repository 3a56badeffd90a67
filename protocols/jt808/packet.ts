import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { Transport } from '../common/types.js';
import { Attr, ESCAPE, FLAG, Msg, TERMINAL_SIZE, TERMINAL_SIZE_2019, TEXT_OPEN } from './constants.js';

/**
 * The envelope of one JT/T 808 frame (JT/T 808-2019 §4.4), read by the inspector and the decoder
 * alike: `7E | id u16 | attributes u16 | [version u8] | terminal BCD[6|10] | serial u16 |
 * [total u16, number u16] | body | check u8 | 7E`. TCP frames come unescaped from the framer; a UDP
 * datagram is one escaped frame and is unescaped here.
 */
export interface Packet {
  /** The unescaped frame. */
  readonly buf: Buffer;
  readonly type: number;
  readonly attr: number;
  /** Protocol version byte of the 2019 edition (attribute bit 14), else undefined. */
  readonly version?: number;
  /** The terminal number as sent (BCD). */
  readonly terminal: Buffer;
  readonly serial: number;
  /** Split message (attribute bit 13): total packets and this packet's number (from 1). */
  readonly total?: number;
  readonly index?: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** Offset of the check byte. */
  readonly checkAt: number;
  /** §4.4: the XOR of every byte from the message id to the end of the body equals the check byte. */
  readonly checkOk: boolean;
}

/** §4.4 escaping: `7D 02` → `7E`, `7D 01` → `7D` between the flags; other bytes as they are. */
export function unescapeFrame(buf: Buffer, start = 0, end = buf.length): Buffer {
  const at = buf.indexOf(ESCAPE, start);
  if (at < 0 || at >= end) return buf.subarray(start, end);
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b === ESCAPE && i + 1 < end && (buf[i + 1] === 0x01 || buf[i + 1] === 0x02)) {
      out[n++] = buf[i + 1] === 0x02 ? FLAG : ESCAPE;
      i++;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

/** §4.4 escaping of everything between the two flags of a built frame. */
export function escapeFrame(frame: Buffer): Buffer {
  let extra = 0;
  for (let i = 1; i < frame.length - 1; i++) if (frame[i] === FLAG || frame[i] === ESCAPE) extra++;
  if (extra === 0) return frame;
  const out = Buffer.allocUnsafe(frame.length + extra);
  let n = 0;
  out[n++] = frame[0];
  for (let i = 1; i < frame.length - 1; i++) {
    const b = frame[i];
    if (b === FLAG || b === ESCAPE) {
      out[n++] = ESCAPE;
      out[n++] = b === FLAG ? 0x02 : 0x01;
    } else out[n++] = b;
  }
  out[n] = frame[frame.length - 1];
  return out;
}

/** §4.4 check code: XOR of the bytes in [start, end). */
export function xor(buf: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= buf[i];
  return x;
}

/** A vendor text frame `(…)` (Jointech e-locks). */
export function isText(frame: Buffer): boolean {
  return frame.length > 0 && frame[0] === TEXT_OPEN;
}

/** `(id,1,001,BASE,2,TIME)`: a Jointech lock asks for the server time (the answer needs the clock: the codec leaves it). */
export function isTimeRequest(frame: Buffer): boolean {
  return /,BASE,2,TIME\)$/.test(frame.toString('latin1'));
}

/** The terminal number in a `(id,…)` text frame, when it is digits. */
export function textIdent(frame: Buffer): string | undefined {
  const id = /^\((\d{1,20}),/.exec(frame.toString('latin1'))?.[1];
  return id?.replace(/^0+(?=\d)/, '');
}

/** Smallest frame: flag, id, attributes, BCD[6], one-byte serial (0x5501), check, flag. */
const MIN_FRAME = 13;

/** The header of a frame (unescaped first for UDP), or a typed error. */
export function parsePacket(frame: Buffer, transport: Transport): Packet | CodecError {
  const buf = transport === 'udp' ? Buffer.concat([frame.subarray(0, 1), unescapeFrame(frame, 1, frame.length - 1), frame.subarray(frame.length - 1)]) : frame;
  if (buf.length < MIN_FRAME) return new CodecError(CodecErrorCode.Truncated, `frame of ${buf.length} bytes is shorter than a JT/T 808 header`, 0);
  if (buf[0] !== FLAG) return new CodecError(CodecErrorCode.Malformed, 'frame does not start with 7E', 0);
  const type = buf.readUInt16BE(1);
  const attr = buf.readUInt16BE(3);
  let at = 5;
  const version = attr & Attr.Version ? buf[at++] : undefined;
  const size = version === undefined ? TERMINAL_SIZE : TERMINAL_SIZE_2019;
  const terminal = buf.subarray(at, at + size);
  at += size;
  const shortSerial = type === Msg.LockLocation || type === Msg.LockLocationBlind;
  const split = (attr & Attr.Split) !== 0 && !shortSerial;
  const end = buf[buf.length - 1] === FLAG ? buf.length - 1 : buf.length; // decoder inputs may lack the end flag
  const headerEnd = at + (shortSerial ? 1 : 2) + (split ? 4 : 0);
  if (headerEnd + 1 > end) return new CodecError(CodecErrorCode.Truncated, `message 0x${hex4(type)} ends inside its header`, at);
  const serial = shortSerial ? buf[at] : buf.readUInt16BE(at);
  const checkAt = end - 1;
  const checkOk = xor(buf, 1, checkAt) === buf[checkAt];
  const packet: Packet = { buf, type, attr, version, terminal, serial, bodyStart: headerEnd, bodyEnd: checkAt, checkAt, checkOk };
  return split ? { ...packet, total: buf.readUInt16BE(at + 2), index: buf.readUInt16BE(at + 4) } : packet;
}

/** `0x0200` → "0200". */
export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/**
 * The ident of a terminal number: its BCD digits without leading zeros (a phone number: BCD[6] pads
 * 11 digits with one 0, BCD[10] with nine). A 6-byte number that is not BCD is an IMEI sent as
 * u16 + u32 of its first 14 digits; the Luhn digit completes it (as Traccar reads it).
 */
export function terminalIdent(terminal: Buffer): string {
  const digits = terminal.toString('hex');
  if (/^\d+$/.test(digits)) return digits.replace(/^0+(?=\d)/, '');
  if (terminal.length !== TERMINAL_SIZE) return digits;
  const imei = String(terminal.readUInt16BE(0) * 2 ** 32 + terminal.readUInt32BE(2));
  return imei + luhn(imei);
}

/** Luhn check digit of a digit string. */
export function luhn(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Registration (§8.8) and attributes (§8.18) carry the terminal model: 2013 layout BYTE[20], 2019 BYTE[30]. */
export function modelOf(p: Packet): string | undefined {
  const b = p.buf;
  let at: number;
  let size: number;
  if (p.type === Msg.Register) {
    at = p.bodyStart + 4 + (p.version === undefined ? 5 : 11);
    size = p.version === undefined ? (p.bodyEnd - p.bodyStart >= 37 ? 20 : 8) : 30;
  } else if (p.type === Msg.Attributes) {
    at = p.bodyStart + 2 + 5;
    size = p.version === undefined ? 20 : 30;
  } else return undefined;
  if (at + size > p.bodyEnd) return undefined;
  const model = cleanText(b.toString('latin1', at, at + size));
  return model.length > 0 && /^[\x21-\x7e][\x20-\x7e]*$/.test(model) ? model : undefined;
}

/** Text of a field: NUL padding and surrounding control characters and spaces removed (as Java's trim). */
export function cleanText(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end).replaceAll('\0', '');
}

/** A fixed-size identification field: its text when printable, else its bytes as hex (some units send BCD). */
export function field(bytes: Buffer): string {
  const text = cleanText(bytes.toString('latin1'));
  return /^[\x20-\x7e]*$/.test(text) ? text : bytes.toString('hex');
}
