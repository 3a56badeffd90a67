import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { type Answer, PacketType, VERSION_VAR } from './constants.js';
import { crcHex, isV2Version } from './packet.js';

/** An answer line: `#<type>#<code>\r\n` (spec: every server answer; `#AP#` and `#AB#` may have no code). */
export function encodeAnswer(type: (typeof Answer)[keyof typeof Answer], code = ''): Buffer {
  return Buffer.from(`#${type}#${code}\r\n`, 'latin1');
}

/**
 * `#M#text\r\n` (1.1) or `#M#text;crc16\r\n` (2.0, CRC-16/ARC over `text;`): spec "Send message to
 * driver command". Text is sent as UTF-8.
 */
export function encodeDriverMessage(text: string, v2: boolean): Buffer {
  return Buffer.from(v2 ? `#${PacketType.Message}#${text};${crcHex(`${text};`)}\r\n` : `#${PacketType.Message}#${text}\r\n`, 'utf8');
}

/**
 * Bytes for a hub command. Commands go over TCP only (spec "UDP data transfer": the server cannot
 * send to a device over UDP). `custom` sends `hex` as is, or `text` with `\r\n` added when it does
 * not end a line already; `message` sends a text message to the driver, with the CRC when the
 * device logged in with version 2.0.
 */
export function encodeCommand(command: CommandRequest, state: SessionState): Buffer | CodecError {
  if (state.transport === 'udp') return bad('wialon_ips cannot send commands to a device over UDP');
  const p = command.properties;
  switch (command.name) {
    case 'custom': {
      if (p.hex !== undefined) return fromHex(String(p.hex)) ?? bad('custom "hex" is not valid hex');
      if (typeof p.text !== 'string' || p.text.length === 0) return bad('custom needs "text" or "hex"');
      return Buffer.from(p.text.endsWith('\n') ? p.text : `${p.text}\r\n`, 'utf8');
    }
    case 'message': {
      if (typeof p.text !== 'string' || p.text.length === 0) return bad('message needs "text"');
      if (/[\r\n]/.test(p.text)) return bad('message "text" must be one line (no CR or LF)');
      const version = state.vars[VERSION_VAR];
      return encodeDriverMessage(p.text, isV2Version(typeof version === 'string' ? version : undefined));
    }
    default:
      return new CodecError(CodecErrorCode.Command, `unknown command "${command.name}" for wialon_ips`);
  }
}

/** Wialon IPS has no command replies, so nothing to correlate: replies are matched to the oldest sent command. */
export function correlate(_command: CommandRequest): string | undefined {
  return undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
