import { CRC16, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
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

/** The Codec 12 data field of a command: `0C` | quantity 1 `01` | type `05` | size u32 | payload | quantity 2 `01`. */
function codec12Data(payload: Buffer): Buffer {
  const b = Buffer.alloc(1 + 1 + 1 + 4 + payload.length + 1);
  b[0] = Codec.C12;
  b[1] = 1;
  b[2] = MessageType.Command;
  b.writeUInt32BE(payload.length, 3);
  payload.copy(b, 7);
  b[7 + payload.length] = 1;
  return b;
}

/** Codec 12 command packet over TCP: `00000000` | data length u32 | data field | CRC-16/ARC of the data field as u32. */
export function encodeCodec12(payload: Buffer): Buffer {
  const data = codec12Data(payload);
  const b = Buffer.alloc(8 + data.length + 4);
  b.writeUInt32BE(data.length, 4);
  data.copy(b, 8);
  b.writeUInt32BE(crcArc(data), 8 + data.length);
  return b;
}

/**
 * Codec 12 command over UDP: the data field inside the UDP channel header, as AVL data travels
 * over UDP (Teltonika wiki "Codec", now "Teltonika Data Sending Protocols": UDP channel packet
 * and Codec 12; "it is not important which [transport] will be used in Codec"): `length u16`
 * (bytes after it) | `packet id u16` | `01` (packet type, as in every UDP header of the wiki) | `AVL packet id u8` |
 * `IMEI length u16` | IMEI | Codec 12 data field, with no preamble and no CRC. The packet ids are
 * the low bits of the hub command id.
 */
export function encodeUdpCodec12(payload: Buffer, imei: string, commandId: number): Buffer {
  const data = codec12Data(payload);
  const b = Buffer.alloc(8 + imei.length + data.length);
  b.writeUInt16BE(b.length - 2, 0);
  b.writeUInt16BE(commandId & 0xffff, 2);
  b[4] = 0x01;
  b[5] = commandId & 0xff;
  b.writeUInt16BE(imei.length, 6);
  b.write(imei, 8, 'latin1');
  data.copy(b, 8 + imei.length);
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

const TCP: Pick<SessionState, 'transport'> = { transport: 'tcp' };

/** Bytes on the wire for a hub command: Codec 12, in a TCP packet or (over UDP) in the UDP channel header. */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'transport' | 'ident'> = TCP): Buffer | CodecError {
  let payload: Buffer;
  if (command.name === 'custom' && command.properties.hex !== undefined) {
    const bytes = fromHex(String(command.properties.hex));
    if (!bytes) return bad('custom "hex" is not valid hex');
    payload = bytes;
  } else {
    const text = commandText(command);
    if (typeof text !== 'string') return text;
    payload = Buffer.from(text, 'latin1');
  }
  if (state.transport !== 'udp') return encodeCodec12(payload);
  if (!state.ident || state.ident.length > 0xffff) return bad('a UDP command needs the device IMEI (no datagram identified the device yet)');
  return encodeUdpCodec12(payload, state.ident, command.id ?? 0);
}

/** Teltonika devices echo no correlation id: replies are matched to the oldest sent command. */
export function correlate(_command: CommandRequest): string | undefined {
  return undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
