import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest } from '../common/types.js';
import { ADDRESS_UNKNOWN, COMMAND_FLAG_SIZE, HEADER_LONG, HEADER_SHORT, MAX_COMMAND_TEXT, Msg, TERMINATOR } from './constants.js';
import { crcItu } from './packet.js';

/** `7878 len type [content] serial CRC 0D0A` (or `7979 len16 ...`): the envelope of every server packet. */
export function encodePacket(type: number, serial: number, content: Buffer = Buffer.alloc(0), long = false): Buffer {
  const head = long ? 4 : 3;
  const length = 1 + content.length + 2 + 2;
  const b = Buffer.alloc(head + length + 2);
  b.writeUInt16BE(long ? HEADER_LONG : HEADER_SHORT, 0);
  if (long) b.writeUInt16BE(length, 2);
  else b[2] = length;
  b[head] = type;
  content.copy(b, head + 1);
  const at = head + 1 + content.length;
  b.writeUInt16BE(serial & 0xffff, at);
  b.writeUInt16BE(crcItu(b, at + 2), at + 2);
  b.writeUInt16BE(TERMINATOR, at + 4);
  return b;
}

/** Acknowledgement: the packet's own protocol number and serial, no content. */
export function encodeAck(type: number, serial: number, long = false): Buffer {
  return encodePacket(type, serial, undefined, long);
}

/** WiFi packets (0x17/0x69) are answered `7878 00 <type> <their 6 time bytes> 0D0A` (no serial, no CRC). */
export function encodeWifiAck(type: number, time: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x78, 0x78, 0x00, type]), time, Buffer.from([0x0d, 0x0a])]);
}

/** 0x97 answer to an address request (0x2A): length u8, server flag u32, text. */
export function encodeAddressResponse(text = ADDRESS_UNKNOWN): Buffer {
  const content = Buffer.alloc(1 + 4 + text.length);
  content[0] = text.length;
  content.write(text, 5, 'latin1');
  return encodePacket(Msg.AddressResponse, 0, content, true);
}

/** 0x80 server command: command length u8 (flag + text), server flag u32, ASCII command, serial 0. */
export function encodeServerCommand(command: Buffer, serverFlag = 0): Buffer {
  const content = Buffer.alloc(1 + COMMAND_FLAG_SIZE + command.length);
  content[0] = COMMAND_FLAG_SIZE + command.length;
  content.writeUInt32BE(serverFlag >>> 0, 1);
  command.copy(content, 1 + COMMAND_FLAG_SIZE);
  return encodePacket(Msg.Command0, 0, content);
}

/** Command text for a hub command (Concox SMS/GPRS command set), or an error naming the property. */
export function commandText(command: CommandRequest): string | CodecError {
  const p = command.properties;
  switch (command.name) {
    case 'custom':
      return typeof p.text === 'string' && p.text.length > 0 ? p.text : bad('custom needs "text" or "hex"');
    case 'engine_stop':
      return 'Relay,1#';
    case 'engine_resume':
      return 'Relay,0#';
    case 'reboot':
      return 'RESET#';
    case 'locate':
      return 'WHERE#';
    case 'interval':
      return intervalText(p);
    case 'timezone':
      return timezoneText(p.minutes ?? p.value);
    case 'sos_number':
      return sosText(p.number ?? p.value);
    default:
      return QUERIES[command.name] ?? new CodecError(CodecErrorCode.Command, `unknown command "${command.name}" for gt06`);
  }
}

/** Commands without properties that read something back. */
const QUERIES: Readonly<Record<string, string>> = {
  get_interval: 'TIMER#',
  get_timezone: 'GMT#',
  get_sos_number: 'SOS#',
  params: 'PARAM#',
  status: 'STATUS#',
  version: 'VERSION#',
};

/** `TIMER,<moving>[,<stopped>]#`: upload interval in seconds (5..18000). */
function intervalText(p: Readonly<Record<string, unknown>>): string | CodecError {
  const seconds = p.seconds ?? p.value;
  if (!isInt(seconds, 5, 18000)) return bad('interval needs "seconds" (integer 5..18000)');
  if (p.stoppedSeconds === undefined) return `TIMER,${seconds}#`;
  return isInt(p.stoppedSeconds, 5, 18000) ? `TIMER,${seconds},${p.stoppedSeconds}#` : bad('interval "stoppedSeconds" must be an integer 5..18000');
}

/** `GMT,<E|W>,<hours>,<minutes>#` from an offset in minutes east of UTC (quarter hours, -12h..+14h). */
function timezoneText(minutes: unknown): string | CodecError {
  if (!isInt(minutes, -720, 840) || minutes % 15 !== 0) return bad('timezone needs "minutes" (offset from UTC, a multiple of 15, -720..840)');
  const abs = Math.abs(minutes);
  return `GMT,${minutes < 0 ? 'W' : 'E'},${Math.floor(abs / 60)},${abs % 60}#`;
}

/** `SOS,A,<n1>[,<n2>[,<n3>]]#`: adds up to three SOS numbers. */
function sosText(number: unknown): string | CodecError {
  const list = Array.isArray(number) ? number : [number];
  if (list.length < 1 || list.length > 3 || !list.every((n) => typeof n === 'string' && /^\+?\d{3,20}$/.test(n))) {
    return bad('sos_number needs "number": a phone number (digits, optional +) or up to three of them');
  }
  return `SOS,A,${list.join(',')}#`;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Bytes on the wire for a hub command: a 0x80 packet; the hub command id travels in the server flag. */
export function encodeCommand(command: CommandRequest): Buffer | CodecError {
  let payload: Buffer;
  if (command.name === 'custom' && command.properties.hex !== undefined) {
    const bytes = fromHex(String(command.properties.hex));
    if (!bytes || bytes.length === 0) return bad('custom "hex" is not valid hex');
    payload = bytes;
  } else {
    const text = commandText(command);
    if (typeof text !== 'string') return text;
    payload = Buffer.from(text, 'latin1');
  }
  if (payload.length > MAX_COMMAND_TEXT) return bad(`command is ${payload.length} bytes; at most ${MAX_COMMAND_TEXT} fit a 0x80 packet`);
  return encodeServerCommand(payload, command.id ?? 0);
}

/** The hub command id travels in the 0x80 server flag, which the device echoes in its 0x15/0x21 answer. */
export function correlate(command: CommandRequest): string | undefined {
  return command.id !== undefined && command.id >>> 0 !== 0 ? String(command.id >>> 0) : undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
