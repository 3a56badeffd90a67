import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest } from '../common/types.js';
import { DEFAULT_PASSWORD, DEFAULT_SERIAL, RtoSub } from './constants.js';

/** Heartbeat answer (TRACGL300AN001 §3.4): `+SACK:GTHBD,<protocol version>,<count number>$`. */
export function encodeHeartbeatAck(version: string, count: string): Buffer {
  return Buffer.from(`+SACK:GTHBD,${version},${count}$`, 'latin1');
}

/** Server acknowledgement of a report (only when the device is set to expect it): `+SACK:<count number>$`. */
export function encodeSack(count: string): Buffer {
  return Buffer.from(`+SACK:${count}$`, 'latin1');
}

const PASSWORD = /^[0-9A-Za-z]{4,20}$/;
const SERIAL = /^[0-9A-Fa-f]{4}$/;
const CONFIG_COMMAND = /^[A-Z]{3}$/;

/**
 * Text of a Queclink AT command for a hub command, or an error naming the bad property. Every
 * command takes `password` (default `gl300`; Queclink devices default to their lower-case model
 * name) and `serial` (4 hex digits; default the hub command id, else FFFF), echoed in `+ACK`.
 */
export function commandText(command: CommandRequest): string | CodecError {
  const p = command.properties;
  const password = p.password === undefined ? DEFAULT_PASSWORD : String(p.password);
  if (!PASSWORD.test(password)) return bad('"password" must be 4-20 letters or digits');
  const serial = requestedSerial(command) ?? DEFAULT_SERIAL;
  if (!SERIAL.test(serial)) return bad('"serial" must be 4 hex digits');
  const sn = serial.toUpperCase();
  const rto = (sub: string, config = '') => `AT+GTRTO=${password},${sub},${config},,,,,${sn}$`;
  switch (command.name) {
    case 'locate':
      return rto(RtoSub.Locate);
    case 'reboot':
      return rto(RtoSub.Reboot);
    case 'get_version':
      return rto(RtoSub.Version);
    case 'read_config': {
      const config = p.command === undefined ? '' : String(p.command);
      return config === '' || CONFIG_COMMAND.test(config) ? rto(RtoSub.Read, config) : bad('"command" must be a 3-letter command name such as FRI');
    }
    case 'engine_stop':
      return `AT+GTOUT=${password},1,,,0,0,0,0,0,0,0,,,,,,,${sn}$`;
    case 'engine_resume':
      return `AT+GTOUT=${password},0,,,0,0,0,0,0,0,0,,,,,,,${sn}$`;
    case 'set_report_interval':
      return reportInterval(password, p.interval, sn);
    case 'set_password': {
      const next = p.new_password === undefined ? '' : String(p.new_password);
      return PASSWORD.test(next) ? `AT+GTCFG=${password},${next},,,,,,,,,,,,,,,,,,,${sn}$` : bad('"new_password" must be 4-20 letters or digits');
    }
    default:
      return new CodecError(CodecErrorCode.Command, `unknown command "${command.name}" for queclink`);
  }
}

/**
 * AT+GTFRI in the GL300-family layout: mode 1 (fixed timing report) in field 1 and the send
 * interval in field 8; the other fields are left empty (the device keeps their values). Other
 * models order these fields differently: use `custom` for them.
 */
function reportInterval(password: string, interval: unknown, sn: string): string | CodecError {
  const seconds = Number(interval);
  if (!Number.isInteger(seconds) || seconds < 5 || seconds > 86400) return bad('"interval" must be whole seconds from 5 to 86400');
  return `AT+GTFRI=${password},1,,,,,,,${seconds},,,,,,,,,,,${sn}$`;
}

/** Bytes on the wire for a hub command. */
export function encodeCommand(command: CommandRequest): Buffer | CodecError {
  if (command.name === 'custom') {
    const { text, hex } = command.properties;
    if (hex !== undefined) return fromHex(String(hex)) ?? bad('custom "hex" is not valid hex');
    return typeof text === 'string' && text.length > 0 ? Buffer.from(text, 'latin1') : bad('custom needs "text" or "hex"');
  }
  const text = commandText(command);
  return typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
}

/** The serial number `+ACK` echoes (upper case): the `serial` property, else the hub command id; none for `custom`. */
export function correlate(command: CommandRequest): string | undefined {
  if (command.name === 'custom') return undefined;
  return requestedSerial(command)?.toUpperCase();
}

/** The `serial` property as given, else the hub command id as 4 hex digits. */
function requestedSerial(command: CommandRequest): string | undefined {
  const { serial } = command.properties;
  if (serial !== undefined) return String(serial);
  return command.id === undefined ? undefined : (command.id & 0xffff).toString(16).padStart(4, '0');
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
