import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest } from '../common/types.js';
import { ACK_OK, FILE_PART, MessageType, RECORDS_ACK_COMMAND, SERVER_OFFSET } from './constants.js';

const crcKermit = crc16(CRC16.KERMIT);
const MAX_CONTENT = 0xffff - 1;
const INT32_MAX = 0x7fffffff;

/** Server packet: `len u16 (command + content) | command u8 | content | CRC-16/KERMIT of command..content`. */
export function encodePacket(command: number, content: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(2 + 1 + content.length + 2);
  b.writeUInt16BE(1 + content.length, 0);
  b[2] = command;
  content.copy(b, 3);
  b.writeUInt16BE(crcKermit(b, 2, 3 + content.length), 3 + content.length);
  return b;
}

/** Ack of a device message: records (1, 68) get command 100; others 100 + their id; payload `01`. */
export function encodeAck(type: number): Buffer {
  const command = type === MessageType.Records || type === MessageType.ExtendedRecords ? RECORDS_ACK_COMMAND : SERVER_OFFSET + type;
  return encodePacket(command, Buffer.from([ACK_OK]));
}

/** Request for the next part of a file: `FILE_PART | source | name (8) | part u16`. */
export function encodeFilePartRequest(source: number, name: Buffer, part: number): Buffer {
  const content = Buffer.alloc(2 + 8 + 2);
  content[0] = FILE_PART;
  content[1] = source;
  name.copy(content, 2, 0, 8);
  content.writeUInt16BE(part, 10);
  return encodePacket(SERVER_OFFSET + MessageType.Files, content);
}

/** SMS command text carried over GPRS (108). */
export function encodeSms(text: string): Buffer | CodecError {
  if (!/^[\x20-\x7e\r\n]*$/.test(text)) return bad('SMS text must be printable ASCII');
  return packet(MessageType.SmsViaGprs, Buffer.from(text, 'latin1'));
}

/** Bytes on the wire for a hub command, or an error naming the bad property. */
export function encodeCommand(command: CommandRequest): Buffer | CodecError {
  const p = command.properties;
  const password = p.password === undefined ? 'pass' : String(p.password);
  switch (command.name) {
    case 'custom':
      return encodeCustom(p);
    case 'engine_stop':
      return encodeSms(`${password} immobilizer 10`);
    case 'engine_resume':
      return encodeSms(`${password} resetimmob`);
    case 'request_photo': {
      const source = int(p.source, 0, 0xff, 0);
      const from = int(p.from, 0, INT32_MAX, 0);
      const to = int(p.to, 0, INT32_MAX, INT32_MAX);
      if (source === undefined || from === undefined || to === undefined) return bad('request_photo "source", "from" and "to" must be integers in range');
      const c = Buffer.alloc(10);
      c[0] = 1; // sub-command: take/send a photo for the period
      c[1] = source;
      c.writeUInt32BE(from, 2);
      c.writeUInt32BE(to, 6);
      return packet(MessageType.Files, c);
    }
    case 'configuration':
      return typeof p.data === 'string' && p.data !== '' ? text(MessageType.DeviceConfiguration, `${p.data}\r\n`) : bad('configuration needs "data"');
    case 'get_version':
      return packet(MessageType.DeviceVersion, Buffer.alloc(0));
    case 'firmware_update':
      return text(MessageType.FirmwareUpdate, '|FU_STRT*\r\n');
    case 'output_control': {
      const index = int(p.index, 0, 0xffffffff);
      const value = int(p.value, 0, 0xffffffff);
      if (index === undefined || value === undefined) return bad('output_control needs integer "index" and "value"');
      const c = Buffer.alloc(8);
      c.writeUInt32BE(index, 0);
      c.writeUInt32BE(value, 4);
      return packet(MessageType.SetIo, c);
    }
    case 'set_connection': {
      const port = int(p.port, 1, 0xffff);
      if (typeof p.server !== 'string' || p.server === '' || port === undefined) return bad('set_connection needs "server" and "port" (1-65535)');
      return text(MessageType.SetConnection, `${p.server},${port},TCP`);
    }
    case 'set_odometer': {
      const value = int(p.value, 0, 0xffffffff);
      if (value === undefined) return bad('set_odometer needs an integer "value"');
      const c = Buffer.alloc(4);
      c.writeUInt32BE(value, 0);
      return packet(MessageType.SetOdometer, c);
    }
    default:
      return new CodecError(CodecErrorCode.Command, `unknown command "${command.name}" for ruptela`);
  }
}

/** `custom`: `text` goes as an SMS-via-GPRS command; `hex` is a complete packet, sent as is. */
function encodeCustom(p: Readonly<Record<string, unknown>>): Buffer | CodecError {
  if (p.hex !== undefined) {
    const bytes = fromHex(String(p.hex));
    return bytes && bytes.length > 0 ? bytes : bad('custom "hex" is not valid hex');
  }
  return typeof p.text === 'string' && p.text !== '' ? encodeSms(p.text) : bad('custom needs "text" or "hex"');
}

/** Ruptela devices echo no correlation id: replies are matched to the oldest sent command. */
export function correlate(_command: CommandRequest): string | undefined {
  return undefined;
}

function text(type: number, value: string): Buffer | CodecError {
  if (!/^[\x20-\x7e\r\n]*$/.test(value)) return bad('command text must be printable ASCII');
  return packet(type, Buffer.from(value, 'latin1'));
}

function packet(type: number, content: Buffer): Buffer | CodecError {
  if (content.length > MAX_CONTENT) return bad(`command content of ${content.length} bytes is too long`);
  return encodePacket(SERVER_OFFSET + type, content);
}

/** An integer property in [min, max]; `fallback` when absent; undefined when invalid. */
function int(value: unknown, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
