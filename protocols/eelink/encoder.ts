import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { ENVELOPE_MARK, INSTRUCTION_COMMAND, LOGIN_REPLY_ACTION, LOGIN_REPLY_VERSION, MARK, MAX_COMMAND_TEXT, Pid } from './constants.js';
import { envelopeSum } from './packet.js';

/** §5.1 package: `67 67 | PID | size u16 (sequence + content) | sequence u16 | content`. */
export function encodePackage(pid: number, sequence: number, content: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(7 + content.length);
  b.writeUInt16BE(MARK, 0);
  b[2] = pid;
  b.writeUInt16BE(2 + content.length, 3);
  b.writeUInt16BE(sequence & 0xffff, 5);
  content.copy(b, 7);
  return b;
}

/** §4.2 UDP envelope around packages: `EL | size u16 | sum u16 | IMEI BCD[8] (leading 0) | packages`. */
export function encodeEnvelope(imei: string, packages: Buffer): Buffer {
  const b = Buffer.alloc(14 + packages.length);
  b.writeUInt16BE(ENVELOPE_MARK, 0);
  b.writeUInt16BE(b.length - 4, 2);
  Buffer.from(imei.padStart(16, '0').slice(-16), 'hex').copy(b, 6);
  packages.copy(b, 14);
  b.writeUInt16BE(envelopeSum(b, 6, b.length), 4);
  return b;
}

/** §5.1 note 3: the answer to a package is a package with the same PID and sequence (empty content). */
export function encodeAck(pid: number, sequence: number): Buffer {
  return encodePackage(pid, sequence);
}

/**
 * §5.2 login answer: time u32 (the server's Unix time), protocol version u16 `0001`, param-set
 * action u8 `00`. The codec has no clock (codecs are pure), so the time is 0 unless given.
 */
export function encodeLoginReply(sequence: number, unixTime = 0): Buffer {
  const content = Buffer.alloc(7);
  content.writeUInt32BE(unixTime >>> 0, 0);
  content.writeUInt16BE(LOGIN_REPLY_VERSION, 4);
  content[6] = LOGIN_REPLY_ACTION;
  return encodePackage(Pid.Login, sequence, content);
}

/** §5.13 instruction: type `01`, server flag u32 (echoed in the device's answer), command text; sequence 0. */
export function encodeInstruction(text: Buffer, serverFlag = 0): Buffer {
  const content = Buffer.alloc(5 + text.length);
  content[0] = INSTRUCTION_COMMAND;
  content.writeUInt32BE(serverFlag >>> 0, 1);
  text.copy(content, 5);
  return encodePackage(Pid.Instruction, 0, content);
}

/** Commands without properties (§6): the text sent. */
const FIXED: Readonly<Record<string, string>> = {
  locate: 'WHERE#', // §6.4.6
  engine_stop: 'RELAY,1#', // §6.2.7
  engine_resume: 'RELAY,0#',
  reboot: 'RESET#', // §6.2.2
  version: 'VERSION#', // §6.4.1
  params: 'PARAM#', // §6.4.2
  status: 'STATUS#', // §6.4.3
};

/** Command text for a hub command (Eelink §6 command set), or an error naming the property. */
export function commandText(command: CommandRequest): string | CodecError {
  const p = command.properties;
  switch (command.name) {
    case 'custom':
      return typeof p.text === 'string' && p.text.length > 0 ? p.text : bad('custom needs "text" or "hex"');
    case 'interval':
      return intervalText(p.seconds ?? p.value, p.stoppedSeconds);
    case 'timezone':
      return timezoneText(p.minutes ?? p.value);
    case 'sos_number':
      return sosText(p.number ?? p.value);
    case 'output':
      return outputText(p.index, p.on);
    default:
      return FIXED[command.name] ?? bad(`unknown command "${command.name}" for eelink`);
  }
}

/** `TIMER,<moving>,<stopped>#`: upload interval in seconds while moving and while stopped (0,0 stops). */
function intervalText(seconds: unknown, stopped: unknown): string | CodecError {
  if (!isInt(seconds, 0, 86400)) return bad('interval needs "seconds" (integer 0..86400)');
  if (stopped !== undefined && !isInt(stopped, 0, 86400)) return bad('interval "stoppedSeconds" must be an integer 0..86400');
  return `TIMER,${seconds},${stopped ?? seconds}#`;
}

/** §6.3.3 `GMT,<E|W>,<hours>,<minutes>#` from an offset in minutes east of UTC (quarter hours). */
function timezoneText(minutes: unknown): string | CodecError {
  if (!isInt(minutes, -720, 840) || minutes % 15 !== 0) return bad('timezone needs "minutes" (offset from UTC, a multiple of 15, -720..840)');
  const abs = Math.abs(minutes);
  return `GMT,${minutes < 0 ? 'W' : 'E'},${Math.floor(abs / 60)},${abs % 60}#`;
}

/** `SOS,A,<n1>[,<n2>[,<n3>]]#` adds SOS numbers; an empty list (`[]`) deletes them: `SOS,D#`. */
function sosText(number: unknown): string | CodecError {
  const list = Array.isArray(number) ? number : [number];
  if (list.length === 0) return 'SOS,D#';
  if (list.length > 3 || !list.every((n) => typeof n === 'string' && /^\+?\d{3,20}$/.test(n))) {
    return bad('sos_number needs "number": a phone number (digits, optional +) or up to three of them');
  }
  return `SOS,A,${list.join(',')}#`;
}

/** §6.5.2 `PORT,<state>,<mask>#`: four output characters, the mask selects the one set. */
function outputText(index: unknown, on: unknown): string | CodecError {
  if (!isInt(index, 1, 4)) return bad('output needs "index" (integer 1..4)');
  if (typeof on !== 'boolean') return bad('output needs "on" (true or false)');
  const mask = ['0', '0', '0', '0'].map((_, i) => (i === index - 1 ? '1' : '0')).join('');
  return `PORT,${on ? mask : '0000'},${mask}#`;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/**
 * Bytes on the wire for a hub command: a §5.13 instruction (the hub command id in the server flag);
 * over UDP inside an envelope naming the device (§4.2).
 */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'transport' | 'ident'>): Buffer | CodecError {
  let text: Buffer;
  if (command.name === 'custom' && command.properties.hex !== undefined) {
    const bytes = fromHex(String(command.properties.hex));
    if (!bytes || bytes.length === 0) return bad('custom "hex" is not valid hex');
    text = bytes;
  } else {
    const t = commandText(command);
    if (typeof t !== 'string') return t;
    text = Buffer.from(t, 'latin1');
  }
  if (text.length > MAX_COMMAND_TEXT) return bad(`command is ${text.length} bytes; at most ${MAX_COMMAND_TEXT} are sent`);
  const instruction = encodeInstruction(text, command.id ?? 0);
  if (state.transport !== 'udp') return instruction;
  if (!state.ident || !/^\d{1,16}$/.test(state.ident)) return bad('a UDP command needs the device IMEI (no envelope identified the device yet)');
  return encodeEnvelope(state.ident, instruction);
}

/** The hub command id travels in the server flag, which the device echoes in its 0x80 answer. */
export function correlate(command: CommandRequest): string | undefined {
  return command.id !== undefined && command.id >>> 0 !== 0 ? String(command.id >>> 0) : undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
