import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { Cc, COMMAND_VERSION, HEADER, ID_SIZE, LOGIN_RESPONSE_HEAD, Mpip, Sc, TAIL_SIZE, TERMINATOR } from './constants.js';
import { frameCrc } from './packet.js';

/**
 * `@@` | length u16 LE | version | id (20 bytes) | type u16 BE | content | CRC-16/X-25 u16 LE |
 * `0D0A` (CB212-C1005 §1.1): the envelope of every server frame, and of what a device sends.
 */
export function encodeFrame(version: number, id: Buffer, type: number, content: Buffer = Buffer.alloc(0)): Buffer {
  const length = 2 + 2 + 1 + ID_SIZE + 2 + content.length + TAIL_SIZE;
  const b = Buffer.alloc(length);
  b.writeUInt16BE(HEADER, 0);
  b.writeUInt16LE(length, 2);
  b[4] = version & 0xff;
  id.copy(b, 5, 0, ID_SIZE);
  b.writeUInt16BE(type, 5 + ID_SIZE);
  content.copy(b, 7 + ID_SIZE);
  const crcAt = length - TAIL_SIZE;
  b.writeUInt16LE(frameCrc(b, crcAt), crcAt);
  b.writeUInt16BE(TERMINATOR, crcAt + 2);
  return b;
}

/** The 20 id bytes of an ident (NUL padded), or undefined when it does not fit. */
export function idBytes(ident: string): Buffer | undefined {
  const text = Buffer.from(ident, 'latin1');
  if (text.length > ID_SIZE) return undefined;
  const id = Buffer.alloc(ID_SIZE);
  text.copy(id);
  return id;
}

/** SC login answer 0x9001: IP 0xFFFFFFFF and port 0 (stay on this server), then a UTC time u32 LE. */
export function encodeLoginResponse(version: number, id: Buffer, utc: number): Buffer {
  const content = Buffer.alloc(LOGIN_RESPONSE_HEAD.length + 4);
  LOGIN_RESPONSE_HEAD.copy(content);
  content.writeUInt32LE(utc >>> 0, LOGIN_RESPONSE_HEAD.length);
  return encodeFrame(version, id, Sc.LoginResponse, content);
}

/** SC alarm ack 0xC007: the alarm index u32 LE the device sent. */
export function encodeAlarmResponse(version: number, id: Buffer, index: number): Buffer {
  const content = Buffer.alloc(4);
  content.writeUInt32LE(index >>> 0, 0);
  return encodeFrame(version, id, Sc.AlarmResponse, content);
}

/** MPIP 0x2001 ack (as Traccar sends it): `@@` | length 42 | id | 0x1001 | 4 zero bytes | 8 × 0xFF | CRC | `0D0A`, no version. */
export function encodeMpipAck(id: Buffer): Buffer {
  const length = 2 + 2 + ID_SIZE + 2 + 4 + 8 + TAIL_SIZE;
  const b = Buffer.alloc(length);
  b.writeUInt16BE(HEADER, 0);
  b.writeUInt16LE(length, 2);
  id.copy(b, 4, 0, ID_SIZE);
  b.writeUInt16BE(Mpip.Ack, 4 + ID_SIZE);
  b.fill(0xff, 10 + ID_SIZE, 18 + ID_SIZE);
  const crcAt = length - TAIL_SIZE;
  b.writeUInt16LE(frameCrc(b, crcAt), crcAt);
  b.writeUInt16BE(TERMINATOR, crcAt + 2);
  return b;
}

/**
 * Bytes on the wire for a hub command. `engine_stop` / `engine_resume`: petrol control 0x4583
 * with version 1, content `01` cut / `00` restore (as Traccar sends it). `custom`: a message
 * `type` with `data` (hex) in the envelope, with the device's protocol version, or `hex`: bytes
 * sent as they are.
 */
export function encodeCommand(command: CommandRequest, state: Partial<Pick<SessionState, 'ident' | 'vars'>>): Buffer | CodecError {
  const p = command.properties;
  if (command.name === 'custom' && p.hex !== undefined) {
    const bytes = fromHex(String(p.hex));
    return bytes && bytes.length > 0 ? bytes : bad('custom "hex" is not valid hex');
  }
  if (!state.ident) return bad('the device has not sent its id yet: a command needs it');
  const id = idBytes(state.ident);
  if (!id) return bad(`device id "${state.ident}" is longer than ${ID_SIZE} bytes`);
  switch (command.name) {
    case 'engine_stop':
      return encodeFrame(COMMAND_VERSION, id, Cc.PetrolControl, Buffer.from([1]));
    case 'engine_resume':
      return encodeFrame(COMMAND_VERSION, id, Cc.PetrolControl, Buffer.from([0]));
    case 'custom': {
      if (!isInt(p.type, 0, 0xffff)) return bad('custom needs "type" (message type 0..65535) with optional "data" (hex), or "hex"');
      const data = customData(p.data);
      if (!data) return bad('custom "data" is not valid hex');
      const version = typeof state.vars?.version === 'number' ? state.vars.version : COMMAND_VERSION;
      return encodeFrame(version, id, p.type, data);
    }
    default:
      return new CodecError(CodecErrorCode.Command, `unknown command "${command.name}" for castel`);
  }
}

function customData(data: unknown): Buffer | undefined {
  if (data === undefined || data === '') return Buffer.alloc(0);
  return fromHex(String(data));
}

/** The type whose answer (0xA002) starts with the index u16 the query carried first. */
const QUERY = 0x2002;

/**
 * A parameter query (custom type 0x2002) is answered by 0xA002 with the index u16 LE the query
 * starts with: that index is the correlation. Other commands echo nothing (oldest first).
 */
export function correlate(command: CommandRequest): string | undefined {
  if (command.name !== 'custom' || command.properties.type !== QUERY) return undefined;
  const data = customData(command.properties.data);
  return data && data.length >= 2 ? String(data.readUInt16LE(0)) : undefined;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
