import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { CRC_SIZE, Header, IMEI_LENGTH, Tag } from './constants.js';

const crcModbus = crc16(CRC16.MODBUS);
const MAX_TEXT = 255;
const MAX_U32 = 0xffffffff;

/**
 * Confirmation of a received packet: a header byte + the packet's own CRC as received (LE).
 * Data and compressed packets are confirmed with `02`; photo parts with `07` (as Traccar does).
 */
export function encodeAck(frame: Buffer): Buffer {
  const header = frame[0] === Header.Photo ? Header.Photo : Header.Ack;
  return Buffer.from([header, frame[frame.length - 2], frame[frame.length - 1]]);
}

/**
 * Command packet: `01` | length u16 LE | `03` IMEI (15 ASCII) | `04` device id u16 (0: the IMEI
 * identifies) | `E0` command number u32 LE | `E1` text length u8 + text | CRC-16/MODBUS u16 LE.
 * The terminal answers with the same layout, the reply text in E1 and the number echoed in E0.
 */
export function encodeCommandPacket(imei: string, number: number, text: Buffer): Buffer {
  const bodyLength = 1 + IMEI_LENGTH + 1 + 2 + 1 + 4 + 1 + 1 + text.length;
  const b = Buffer.alloc(3 + bodyLength + CRC_SIZE);
  let at = 0;
  b[at++] = Header.Data;
  at = b.writeUInt16LE(bodyLength, at);
  b[at++] = Tag.Imei;
  at += b.write(imei, at, IMEI_LENGTH, 'latin1');
  b[at++] = Tag.DeviceId;
  at = b.writeUInt16LE(0, at);
  b[at++] = Tag.CommandNumber;
  at = b.writeUInt32LE(number, at);
  b[at++] = Tag.CommandText;
  b[at++] = text.length;
  at += text.copy(b, at);
  b.writeUInt16LE(crcModbus(b, 0, at), at);
  return b;
}

/** Text of a Galileosky command for a named hub command, or an error naming the bad property. */
export function commandText(command: CommandRequest): string | CodecError {
  const p = command.properties;
  switch (command.name) {
    case 'custom':
      return typeof p.text === 'string' && p.text.length > 0 ? p.text : bad('custom needs "text" or "hex"');
    case 'status':
      return 'Status';
    case 'engine_stop':
      return 'Out 0,1';
    case 'engine_resume':
      return 'Out 0,0';
    case 'output_control': {
      const output = p.output;
      const state = p.state === true || p.state === 1 ? 1 : p.state === false || p.state === 0 ? 0 : undefined;
      if (!Number.isInteger(output) || (output as number) < 0 || (output as number) > 15) return bad('output_control needs "output" (0-15)');
      return state === undefined ? bad('output_control needs "state" (true/false or 1/0)') : `Out ${output as number},${state}`;
    }
    case 'reboot':
      return 'Reset';
    case 'get_interval':
      return 'WrPeriod';
    case 'set_interval': {
      const moving = p.moving;
      const stopped = p.stopped;
      if (!Number.isInteger(moving) || (moving as number) < 1) return bad('set_interval needs "moving" (seconds, >= 1)');
      if (!Number.isInteger(stopped) || (stopped as number) < 1) return bad('set_interval needs "stopped" (seconds, >= 1)');
      return `WrPeriod ${moving as number},${stopped as number}`;
    }
    default:
      return new CodecError(CodecErrorCode.Command, `unknown command "${command.name}" for galileosky`);
  }
}

/** Bytes on the wire for a hub command; the command number is the hub command id (0 without one). */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'ident'>): Buffer | CodecError {
  const imei = state.ident;
  if (imei === undefined || !/^\d{15}$/.test(imei)) return bad('the device IMEI (15 digits) is not known on this connection');
  const number = command.id ?? 0;
  if (!Number.isInteger(number) || number < 0 || number > MAX_U32) return bad(`command id ${number} does not fit the u32 command number`);
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
  if (payload.length > MAX_TEXT) return bad(`command text is ${payload.length} bytes; at most ${MAX_TEXT} fit tag E1`);
  return encodeCommandPacket(imei, number, payload);
}

/** The terminal echoes the command number (tag E0) in its reply: the hub command id, 0 without one. */
export function correlate(command: CommandRequest): string | undefined {
  return String(command.id ?? 0);
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
