import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { Attr, FLAG, Msg, Result, TERMINAL_SIZE, TERMINAL_SIZE_2019 } from './constants.js';
import { escapeFrame, xor } from './packet.js';
import { type ParamType, TERMINAL_PARAMS } from './params.js';

/** Who a server message goes to: the terminal number as the device sent it, and its edition. */
export interface Addressee {
  readonly terminal: Buffer;
  /** 2019 protocol version byte (attribute bit 14), undefined for 2011/2013 headers. */
  readonly version?: number;
}

/**
 * One server message (JT/T 808-2019 §4.4): header with the terminal's own number and edition,
 * body, XOR check, escaped, between 7E flags. `shortSerial`: the one-byte serial of 0x4401.
 */
export function encodeMessage(type: number, to: Addressee, body: Buffer, serial = 0, shortSerial = false): Buffer {
  const head = 5 + (to.version === undefined ? 0 : 1) + to.terminal.length + (shortSerial ? 1 : 2);
  const b = Buffer.alloc(head + body.length + 2);
  b[0] = FLAG;
  b.writeUInt16BE(type, 1);
  b.writeUInt16BE((body.length & Attr.LengthMask) | (to.version === undefined ? 0 : Attr.Version), 3);
  let at = 5;
  if (to.version !== undefined) b[at++] = to.version;
  to.terminal.copy(b, at);
  at += to.terminal.length;
  if (shortSerial) b[at] = serial & 0xff;
  else b.writeUInt16BE(serial & 0xffff, at);
  body.copy(b, head);
  b[head + body.length] = xor(b, 1, head + body.length);
  b[head + body.length + 1] = FLAG;
  return escapeFrame(b);
}

/** §8.2 platform general response: reply serial, reply id, result (0 ok, 3 unsupported). */
export function encodeAck(to: Addressee, replySerial: number, replyType: number, result: number = Result.Ok): Buffer {
  const body = Buffer.alloc(5);
  body.writeUInt16BE(replySerial & 0xffff, 0);
  body.writeUInt16BE(replyType, 2);
  body[4] = result;
  return encodeMessage(Msg.PlatformResponse, to, body);
}

/** §8.9 registration answer: reply serial, result 0, authentication code (the device sends it back in 0x0102). */
export function encodeRegisterAck(to: Addressee, replySerial: number, authCode: string): Buffer {
  const code = Buffer.from(authCode, 'latin1');
  const body = Buffer.alloc(3 + code.length);
  body.writeUInt16BE(replySerial & 0xffff, 0);
  body[2] = Result.Ok;
  code.copy(body, 3);
  return encodeMessage(Msg.RegisterResponse, to, body);
}

/** Jointech 0x4401 answer to 0x5501/0x5502: message id + result, one-byte serial 1. */
export function encodeLockAck(to: Addressee, replyType: number): Buffer {
  const body = Buffer.from([replyType >> 8, replyType & 0xff, Result.Ok]);
  return encodeMessage(Msg.LockResponse, to, body, 1, true);
}

/**
 * The terminal number to address: as the device last sent it (`vars.terminal`), else built from the
 * ident: digits as BCD[6] (BCD[10] for the 2019 edition), or a 15-digit IMEI as u16 + u32 of its
 * first 14 digits.
 */
export function addressee(state: Pick<SessionState, 'ident' | 'vars'>): Addressee | CodecError {
  const version = typeof state.vars.version === 'number' && state.vars.version >= 0 ? state.vars.version : undefined;
  const sent = typeof state.vars.terminal === 'string' ? fromHex(state.vars.terminal) : undefined;
  if (sent && (sent.length === TERMINAL_SIZE || sent.length === TERMINAL_SIZE_2019)) return { terminal: sent, version };
  const ident = state.ident ?? '';
  const size = version === undefined ? TERMINAL_SIZE : TERMINAL_SIZE_2019;
  if (/^\d{15}$/.test(ident) && version === undefined) {
    const n = Number(ident.slice(0, 14));
    const t = Buffer.alloc(TERMINAL_SIZE);
    t.writeUInt16BE(Math.floor(n / 2 ** 32), 0);
    t.writeUInt32BE(n % 2 ** 32, 2);
    return { terminal: t, version };
  }
  if (!/^\d+$/.test(ident) || ident.length > size * 2)
    return bad(`no terminal number for ident "${ident}": the device has not sent a frame on this connection`);
  return { terminal: Buffer.from(ident.padStart(size * 2, '0'), 'hex'), version };
}

/** Bytes on the wire for a hub command; the hub command id travels as the message serial (§8.1 echoes it). */
export function encodeCommand(command: CommandRequest, state: SessionState): Buffer | CodecError {
  if (command.name === 'custom' && command.properties.hex !== undefined) {
    const raw = fromHex(String(command.properties.hex));
    return raw && raw.length > 0 ? raw : bad('custom "hex" is not valid hex');
  }
  const c = commandBody(command);
  if (c instanceof CodecError) return c;
  const to = addressee(state);
  if (to instanceof CodecError) return to;
  return encodeMessage(c.type, to, c.body, serialOf(command));
}

/** Message id and body of a hub command (JT/T 808-2019 §8.12, §8.13, §8.14, §8.16, §8.17, §8.22, §8.24, §8.27, §8.60). */
export function commandBody(command: CommandRequest): { type: number; body: Buffer } | CodecError {
  const p = command.properties;
  const out = (type: number, body: Buffer = Buffer.alloc(0)) =>
    body.length > Attr.LengthMask ? bad(`command body of ${body.length} bytes exceeds 1023`) : { type, body };
  switch (command.name) {
    case 'custom': // §8.27 text message: flag (bit 0 emergency, 2 display, 3 TTS), text
      return typeof p.text === 'string' && p.text.length > 0
        ? out(Msg.Text, Buffer.concat([Buffer.from([int(p.flag, 0, 255) ?? 1]), ascii(p.text)]))
        : bad('custom needs "text" or "hex"');
    case 'passthrough': // §8.60: type (0xF0–0xFF vendor), data
      return passthrough(p, out);
    case 'locate':
      return out(Msg.LocationQuery);
    case 'tracking': {
      const interval = int(p.interval, 0, 0xffff);
      const duration = int(p.duration, 0, 0xffffffff);
      if (interval === undefined || duration === undefined) return bad('tracking needs "interval" (s, 0 stops) and "duration" (s)');
      const body = Buffer.alloc(6);
      body.writeUInt16BE(interval, 0);
      body.writeUInt32BE(duration, 2);
      return out(Msg.Tracking, body);
    }
    case 'interval':
      return setParameters({ '0x0029': p.seconds ?? p.value }, out);
    case 'heartbeat_interval':
      return setParameters({ '0x0001': p.seconds ?? p.value }, out);
    case 'set_parameters':
      return p.params && typeof p.params === 'object' ? setParameters(p.params as Record<string, unknown>, out) : bad('set_parameters needs "params"');
    case 'get_parameters':
      return getParameters(p.ids, out);
    case 'engine_stop': // vendor command words of §8.16 (Traccar's): F0 cut fuel, F1 restore
    case 'engine_resume':
      return out(Msg.Control, Buffer.from([command.name === 'engine_stop' ? 0xf0 : 0xf1]));
    case 'reboot': // §8.16 command word 4: terminal reset
      return out(Msg.Control, Buffer.from([4]));
    case 'factory_reset': // §8.16 command word 5
      return out(Msg.Control, Buffer.from([5]));
    case 'terminal_control': {
      const word = int(p.command, 1, 255);
      if (word === undefined) return bad('terminal_control needs "command" (1..255)');
      return out(Msg.Control, Buffer.concat([Buffer.from([word]), ascii(typeof p.params === 'string' ? p.params : '')]));
    }
    case 'attributes':
      return out(Msg.QueryAttributes);
    default:
      return bad(`unknown command "${command.name}" for jt808`);
  }
}

type Out = (type: number, body?: Buffer) => { type: number; body: Buffer } | CodecError;

function passthrough(p: Readonly<Record<string, unknown>>, out: Out): ReturnType<Out> {
  const type = int(p.type ?? 0xf0, 0, 255);
  const data = typeof p.text === 'string' ? ascii(p.text) : typeof p.hex === 'string' ? fromHex(p.hex) : undefined;
  if (type === undefined || !data) return bad('passthrough needs "text" or "hex", and "type" 0..255');
  return out(Msg.TransparentDown, Buffer.concat([Buffer.from([type]), data]));
}

const PARAM_TYPES = new Map<number, ParamType>(TERMINAL_PARAMS.map(([id, type]) => [id, type]));

/** `0x0029` or `41` → 41. */
export function paramId(key: unknown): number | undefined {
  const s = String(key);
  const n = /^0x[0-9a-f]{1,8}$/i.test(s) ? Number.parseInt(s.slice(2), 16) : /^\d{1,10}$/.test(s) ? Number(s) : Number.NaN;
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff ? n : undefined;
}

/** §8.12: count u8, then (id u32, length u8, value) with the table's type (numbers DWORD, text STRING otherwise). */
function setParameters(params: Record<string, unknown>, out: Out): ReturnType<Out> {
  const parts: Buffer[] = [Buffer.from([Object.keys(params).length])];
  for (const [key, value] of Object.entries(params)) {
    const id = paramId(key);
    if (id === undefined) return bad(`parameter id "${key}" is not 0x-hex or decimal`);
    const type = PARAM_TYPES.get(id) ?? (typeof value === 'number' ? 'u32' : 'string');
    const v = paramBytes(type, value);
    if (!v) return bad(`parameter 0x${id.toString(16).padStart(4, '0')} needs ${type === 'string' ? 'text' : `an integer that fits ${type}`}`);
    const head = Buffer.alloc(5);
    head.writeUInt32BE(id, 0);
    head[4] = v.length;
    parts.push(head, v);
  }
  return parts.length > 1 && parts.length <= 2 * 255 + 1 ? out(Msg.SetParams, Buffer.concat(parts)) : bad('set_parameters needs 1..255 parameters');
}

function paramBytes(type: ParamType, value: unknown): Buffer | undefined {
  if (type === 'string') return typeof value === 'string' && value.length <= 255 && isAscii(value) ? Buffer.from(value, 'latin1') : undefined;
  const size = { u8: 1, u16: 2, u32: 4 }[type];
  const n = int(value, 0, 2 ** (size * 8) - 1);
  if (n === undefined) return undefined;
  const b = Buffer.alloc(size);
  b.writeUIntBE(n, 0, size);
  return b;
}

/** §8.13 all parameters (0x8104), or §8.14 the given ones (0x8106: count u8, ids u32). */
function getParameters(ids: unknown, out: Out): ReturnType<Out> {
  if (ids === undefined) return out(Msg.QueryParams);
  const list = Array.isArray(ids) ? ids.map(paramId) : [];
  if (list.length === 0 || list.length > 255 || list.some((id) => id === undefined))
    return bad('get_parameters "ids" must list 1..255 parameter ids (0x-hex or decimal)');
  const body = Buffer.alloc(1 + 4 * list.length);
  body[0] = list.length;
  for (let i = 0; i < list.length; i++) body.writeUInt32BE(list[i] ?? 0, 1 + 4 * i);
  return out(Msg.QueryParamsSome, body);
}

/** Command text: ASCII only (the standard's GBK is a superset; other characters are not encoded). */
function ascii(text: string): Buffer {
  const b = Buffer.from(text, 'latin1');
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f || text.charCodeAt(i) > 0x7f) b[i] = 0x3f; // '?'
  return b;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function int(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

/** The serial a command goes out with: the hub command id (mod 2^16), 0 without one. */
function serialOf(command: CommandRequest): number {
  return (command.id ?? 0) & 0xffff;
}

/** The device echoes the command's serial in its §8.1 general response (and in 0x0104/0x0201/0x0500). */
export function correlate(command: CommandRequest): string | undefined {
  if (command.id === undefined || command.name === 'custom') return undefined;
  return String(serialOf(command));
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
