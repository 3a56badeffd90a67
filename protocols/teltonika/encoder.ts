import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest } from '../common/types.js';
import { Codec, MessageType } from './constants.js';

const crcArc = crc16(CRC16.ARC);

/** TCP data ack: the number of accepted records as u32 BE. */
export function encodeAck(count: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(count >>> 0, 0);
  return b;
}

/** UDP ack: `0005` | packet id (echoed) | `01` | AVL packet id | accepted count. */
export function encodeUdpAck(packetId: number, avlPacketId: number, count: number): Buffer {
  const b = Buffer.allocUnsafe(7);
  b.writeUInt16BE(5, 0);
  b.writeUInt16BE(packetId, 2);
  b[4] = 0x01;
  b[5] = avlPacketId & 0xff;
  b[6] = count & 0xff;
  return b;
}

/** Codec 12 command packet: `00000000` | len | `0C 01 05` | size | payload | `01` | CRC-16/ARC as u32. */
export function encodeCodec12(payload: Buffer): Buffer {
  const dataLength = 1 + 1 + 1 + 4 + payload.length + 1;
  const b = Buffer.alloc(8 + dataLength + 4);
  b.writeUInt32BE(dataLength, 4);
  b[8] = Codec.C12;
  b[9] = 1;
  b[10] = MessageType.Command;
  b.writeUInt32BE(payload.length, 11);
  payload.copy(b, 15);
  b[15 + payload.length] = 1;
  b.writeUInt32BE(crcArc(b, 8, 8 + dataLength), 8 + dataLength);
  return b;
}

/** Text of a Teltonika SMS/GPRS command for a named hub command, or an error naming the property. */
export function commandText(command: CommandRequest): string | CodecError {
  const p = command.properties;
  const str = (key: string): string | undefined => (p[key] === undefined || p[key] === null ? undefined : String(p[key]));
  switch (command.name) {
    case 'custom':
      return str('text') ?? bad('custom needs "text" or "hex"');
    case 'getparam': {
      const ids = Array.isArray(p.param) ? p.param.map(String) : str('param')?.split(/[;,]/);
      return ids && ids.length > 0 ? `getparam ${ids.join(';')}` : bad('getparam needs "param"');
    }
    case 'setparam': {
      if (p.params && typeof p.params === 'object') {
        const pairs = Object.entries(p.params as Record<string, unknown>).map(([k, v]) => `${k}:${String(v)}`);
        return pairs.length > 0 ? `setparam ${pairs.join(';')}` : bad('setparam "params" is empty');
      }
      const id = str('param');
      const value = str('value');
      return id && value !== undefined ? `setparam ${id}:${value}` : bad('setparam needs "param" and "value"');
    }
    case 'setdigout':
      return str('outputs') ? `setdigout ${str('outputs')}` : bad('setdigout needs "outputs" (e.g. "1?")');
    case 'engine_stop':
      return 'setdigout 1';
    case 'engine_resume':
      return 'setdigout 0';
    case 'getrecord':
    case 'getver':
    case 'getinfo':
    case 'getstatus':
    case 'getgps':
    case 'getio':
    case 'cpureset':
    case 'deleterecords':
    case 'battery':
      return command.name;
    case 'readio':
      return str('id') ? `readio ${str('id')}` : bad('readio needs "id"');
    default:
      return new CodecError(CodecErrorCode.Command, `unknown command "${command.name}" for teltonika`);
  }
}

/** Bytes on the wire for a hub command (always Codec 12). */
export function encodeCommand(command: CommandRequest): Buffer | CodecError {
  if (command.name === 'custom' && command.properties.hex !== undefined) {
    const bytes = fromHex(String(command.properties.hex));
    return bytes ? encodeCodec12(bytes) : bad('custom "hex" is not valid hex');
  }
  const text = commandText(command);
  return typeof text === 'string' ? encodeCodec12(Buffer.from(text, 'latin1')) : text;
}

/** Teltonika devices echo no correlation id: replies are matched to the oldest sent command. */
export function correlate(_command: CommandRequest): string | undefined {
  return undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
