import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { DEFAULT_FLAG, DEFAULT_PHOTO_FILE, FLAG_COUNT, FLAG_FIRST, FrameType, SERVER_HEADER, TRAILER_LENGTH } from './constants.js';
import { checksumText, sum8 } from './packet.js';

/** Commands without properties → command text (GPRS protocol §2 command list). */
const FIXED_COMMANDS: Readonly<Record<string, string>> = {
  locate: 'A10', //              real-time location query (answered with an AAA report, event 34)
  engine_stop: 'C01,0,12222', // output 1 on, outputs 2-5 unchanged
  engine_resume: 'C01,0,02222', // output 1 off
  alarm_arm: 'C01,0,22122', //   output 3 on
  alarm_disarm: 'C01,0,22022', // output 3 off
  reboot: 'F01', //              restart the GSM module (the device reboots)
  get_version: 'E91', //         firmware version and serial number
};

/**
 * A server frame: `@@<flag><len>,<ident>,<content>*<CS>\r\n`, where `len` counts from the first
 * comma through CR LF and CS is the byte sum of everything through `*`.
 */
export function encodeFrame(ident: string, content: string | Buffer, flag: string = DEFAULT_FLAG): Buffer {
  const body = Buffer.concat([Buffer.from(`,${ident},`, 'latin1'), typeof content === 'string' ? Buffer.from(content, 'latin1') : content]);
  const head = Buffer.concat([Buffer.from(`${SERVER_HEADER}${flag}${body.length + TRAILER_LENGTH}`, 'latin1'), body, Buffer.from('*', 'latin1')]);
  return Buffer.concat([head, Buffer.from(`${checksumText(sum8(head))}\r\n`, 'latin1')]);
}

/** CCC ack (T622 protocol §3.45): `CCC,<records received>` with the device's flag; the device then deletes them. */
export function encodeCccAck(flag: string, ident: string, count: number): Buffer {
  return encodeFrame(ident, `${FrameType.Compressed},${count}`, flag);
}

/** Confirmation of an AAC report (as Traccar answers it): `AAC,1` with the device's flag. */
export function encodeAacAck(flag: string, ident: string): Buffer {
  return encodeFrame(ident, `${FrameType.Confirm},1`, flag);
}

/** Asks for the picture packets of `file` from packet `index` on (T622 protocol §3.46, D00). */
export function encodePhotoRequest(ident: string, file: string, index: number): Buffer {
  return encodeFrame(ident, `${FrameType.PhotoData},${file},${index}`);
}

/**
 * The flag of a command: the `flag` property, else one derived from the hub command id
 * (0x41 + id mod 58, echoed by the device's reply as its correlation), else `A`.
 */
function commandFlag(command: CommandRequest): string | CodecError {
  const flag = command.properties.flag;
  if (flag !== undefined) {
    const code = typeof flag === 'string' && flag.length === 1 ? flag.charCodeAt(0) : -1;
    return code >= FLAG_FIRST && code < FLAG_FIRST + FLAG_COUNT ? (flag as string) : bad('"flag" must be one character from "A" (0x41) to "z" (0x7A)');
  }
  if (command.id !== undefined && Number.isInteger(command.id) && command.id >= 0) return String.fromCharCode(FLAG_FIRST + (command.id % FLAG_COUNT));
  return DEFAULT_FLAG;
}

/** Command text after the IMEI for a hub command, or an error naming the bad property. */
export function commandContent(command: CommandRequest): string | Buffer | CodecError {
  const p = command.properties;
  const str = (key: string): string | undefined => (p[key] === undefined || p[key] === null ? undefined : String(p[key]));
  const int = (key: string, min: number, max: number): number | undefined => {
    const v = Number(p[key]);
    return p[key] !== undefined && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
  };
  if (FIXED_COMMANDS[command.name] !== undefined) return FIXED_COMMANDS[command.name];
  switch (command.name) {
    case 'custom': {
      if (p.hex !== undefined) return fromHex(String(p.hex)) ?? bad('custom "hex" is not valid hex');
      const text = str('text');
      return text && text.length > 0 ? text : bad('custom needs "text" (command after the IMEI, e.g. "A10") or "hex"');
    }
    case 'photo': {
      const camera = p.camera === undefined ? 1 : int('camera', 1, 255);
      const file = str('file') ?? DEFAULT_PHOTO_FILE;
      if (camera === undefined) return bad('photo "camera" must be an integer 1-255');
      return /^[\w.-]{1,64}$/.test(file) ? `D03,${camera},${file}` : bad('photo "file" must be a plain file name');
    }
    case 'interval': {
      const seconds = int('seconds', 0, 655350);
      return seconds !== undefined && seconds % 10 === 0 ? `A12,${seconds / 10}` : bad('interval "seconds" must be a multiple of 10 from 0 (stop) to 655350');
    }
    case 'heartbeat': {
      const minutes = int('minutes', 0, 65535);
      return minutes !== undefined ? `A11,${minutes}` : bad('heartbeat "minutes" must be an integer 0-65535 (0 = off)');
    }
    case 'output_control': {
      const outputs = str('outputs');
      return outputs && /^[012]{1,5}$/.test(outputs)
        ? `C01,0,${outputs.padEnd(5, '2')}`
        : bad('output_control "outputs" must be 1-5 of 0 (off), 1 (on), 2 (unchanged)');
    }
    case 'send_sms': {
      const phone = str('phone');
      const message = str('message');
      if (!phone || !/^\+?\d{3,20}$/.test(phone)) return bad('send_sms "phone" must be a phone number');
      return message !== undefined && !/[*\r\n]/.test(message)
        ? `C02,0,${phone},${message}`
        : bad('send_sms "message" is missing or contains "*" or a line break');
    }
    default:
      return bad(`unknown command "${command.name}" for meitrack`);
  }
}

/** Bytes on the wire for a hub command; the ident comes from the session. */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'ident'>): Buffer | CodecError {
  if (!state.ident) return bad('the device has not identified itself (no IMEI in the session)');
  const flag = commandFlag(command);
  if (flag instanceof CodecError) return flag;
  const content = commandContent(command);
  return content instanceof CodecError ? content : encodeFrame(state.ident, content, flag);
}

/** The device answers a command with the command's flag: that flag is the correlation. */
export function correlate(command: CommandRequest): string | undefined {
  const flag = commandFlag(command);
  return typeof flag === 'string' ? flag : undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
