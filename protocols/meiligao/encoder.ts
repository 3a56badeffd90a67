import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { ACCEPTED, DeviceCommand, INTERVAL_RESULT, SERVER_HEADER_TEXT, ServerCommand } from './constants.js';
import { buildPacket, codeText, idBytes } from './packet.js';

/**
 * Server → tracker packets (GPRS protocol V2.1 §I `@@<L><ID><command><parameter><checksum>\r\n`):
 * the answers the inspector sends, and the §III commands. Answers echo the ID bytes as received.
 */

/** §III login: 0x5000 is answered 0x4000 with 0x01 (login accepted). */
export function encodeLoginAck(id: Buffer): Buffer {
  return buildPacket(SERVER_HEADER_TEXT, id, ServerCommand.LoginAck, Buffer.of(ACCEPTED));
}

/** Heartbeat 0x0001 is echoed with 0x01. */
export function encodeHeartbeatAck(id: Buffer): Buffer {
  return buildPacket(SERVER_HEADER_TEXT, id, DeviceCommand.Heartbeat, Buffer.of(ACCEPTED));
}

/** 0x0002 is answered with the server address as ASCII `host:port`. */
export function encodeServerAddress(id: Buffer, address: string): Buffer {
  return buildPacket(SERVER_HEADER_TEXT, id, DeviceCommand.ServerAddress, Buffer.from(address, 'latin1'));
}

/** 0x0800 picture upload request: 0x8801 with the picture index, and the tracker sends the 0x9988 packets. */
export function encodePhotoStartAck(id: Buffer, index: number): Buffer {
  return buildPacket(SERVER_HEADER_TEXT, id, ServerCommand.PhotoStartAck, Buffer.of(index));
}

/** 0x0F80 picture upload complete: 0x6688 with the index and no missing packet (0, 0). */
export function encodePhotoEndAck(id: Buffer, index: number): Buffer {
  return buildPacket(SERVER_HEADER_TEXT, id, ServerCommand.PhotoEndAck, Buffer.of(index, 0, 0));
}

/** Commands without properties → command code and parameter (§II command list). */
const FIXED: Readonly<Record<string, readonly [command: number, parameter?: number]>> = {
  locate: [ServerCommand.TrackOnDemand], //      answered with a 0x9955 position
  engine_stop: [ServerCommand.OutputImmediate, 1], // output A on at once
  engine_resume: [ServerCommand.OutputImmediate, 0], // output A off at once
  photo: [ServerCommand.TakePhoto], //            take a picture (camera models)
  clear_mileage: [ServerCommand.ClearMileage],
  reboot: [ServerCommand.RebootGps], //           restart the GPS module
  get_info: [ServerCommand.ReadSnImei], //        answered `SN,IMEI`
  get_interval: [ServerCommand.ReadInterval], //  answered with the interval u16 in 10 s units
};

interface Content {
  readonly command: number;
  readonly parameter: Buffer;
}

/** The command code and parameter of a hub command, or an error naming the bad property. */
export function commandContent(command: CommandRequest): Content | CodecError {
  const p = command.properties;
  const fixed = FIXED[command.name];
  if (fixed) return content(fixed[0], fixed[1] === undefined ? Buffer.alloc(0) : Buffer.of(fixed[1]));
  const int = (key: string, min: number, max: number): number | undefined => {
    const v = p[key];
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
  };
  switch (command.name) {
    case 'custom': {
      const bytes = typeof p.hex === 'string' ? fromHex(p.hex) : undefined;
      return bytes && bytes.length >= 2
        ? content(bytes.readUInt16BE(0), bytes.subarray(2))
        : bad('custom needs "hex": the command code (2 bytes) and its parameter');
    }
    case 'interval': {
      const seconds = int('seconds', 0, 655350);
      return seconds !== undefined && seconds % 10 === 0
        ? content(ServerCommand.TrackByInterval, u16(seconds / 10))
        : bad('interval "seconds" must be a multiple of 10 from 0 (stop) to 655350');
    }
    case 'movement_alarm': {
      const radius = int('radius', 0, 65535);
      return radius !== undefined ? content(ServerCommand.MovementAlarm, u16(radius)) : bad('movement_alarm "radius" must be 0 (off) to 65535 m');
    }
    case 'output_control': {
      const outputs = p.outputs;
      if (typeof outputs !== 'string' || !/^[012]{1,5}$/.test(outputs)) return bad('output_control "outputs" must be 1-5 of 0 (off), 1 (on), 2 (unchanged)');
      const code = p.conditional === true ? ServerCommand.OutputConditional : ServerCommand.OutputImmediate;
      return content(code, Buffer.from([...outputs].map(Number)));
    }
    case 'timezone': {
      const minutes = int('minutes', -720, 840);
      return minutes !== undefined ? content(ServerCommand.TimeZone, ascii(minutes)) : bad('timezone "minutes" must be an integer from -720 to 840');
    }
    case 'heartbeat': {
      const minutes = int('minutes', 0, 65535);
      return minutes !== undefined ? content(ServerCommand.HeartbeatInterval, ascii(minutes)) : bad('heartbeat "minutes" must be an integer 0-65535 (0 = off)');
    }
    default:
      return bad(`unknown command "${command.name}" for meiligao`);
  }
}

/** Bytes on the wire for a hub command; the ID comes from the session's ident. */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'ident'>): Buffer | CodecError {
  if (!state.ident) return bad('the device has not identified itself (no ID in the session)');
  const id = idBytes(state.ident);
  if (id instanceof CodecError) return id;
  const c = commandContent(command);
  return c instanceof CodecError ? c : buildPacket(SERVER_HEADER_TEXT, id, c.command, c.parameter);
}

/**
 * The code the tracker answers with (the reply's correlation): the command's own code, 0x5100 for
 * 0x4102; none for 0x4101, which is answered with an ordinary 0x9955 position.
 */
export function correlate(command: CommandRequest): string | undefined {
  const c = commandContent(command);
  if (c instanceof CodecError || c.command === ServerCommand.TrackOnDemand) return undefined;
  return codeText(c.command === ServerCommand.TrackByInterval ? INTERVAL_RESULT : c.command);
}

function content(command: number, parameter: Buffer): Content {
  return { command, parameter };
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function ascii(value: number): Buffer {
  return Buffer.from(String(value), 'latin1');
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
