import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { COMMAND_INDEX, COMMAND_MAKER, DEFAULT_MAKER, ESCAPED, Marker, Var } from './constants.js';
import { type Header, readHeader } from './packet.js';

/**
 * `[<maker>*<id>*[<index>*]<len>*<content>]` (SeTracker preamble): `len` is the content's length
 * as sent, 4 hex digits, written lower-case as Traccar writes it (units read either case).
 */
export function envelope(maker: string, id: string, index: string | undefined, content: Buffer): Buffer {
  const head = `[${maker}*${id}*${index === undefined ? '' : `${index}*`}${content.length.toString(16).padStart(4, '0')}*`;
  return Buffer.concat([Buffer.from(head, 'latin1'), content, Buffer.from([Marker.Close])]);
}

/** An answer to a device frame: its own maker, id and index, and the answer's content (e.g. SeTracker Part I §1 `[3G*8800000015*0002*LK]`). */
export function encodeReply(to: Pick<Header, 'maker' | 'id' | 'index'>, content: string): Buffer {
  return envelope(to.maker, to.id, to.index, Buffer.from(content, 'latin1'));
}

const ESCAPE_OF = new Map(Object.entries(ESCAPED).map(([code, raw]) => [raw, Number(code)]));

/** Binary content (voice) as sent: 7D 5B 5D 2C 2A → 7D 01..05 (SeTracker Part II §25). */
export function escapeBinary(data: Buffer): Buffer {
  const out: number[] = [];
  for (const b of data) {
    const code = ESCAPE_OF.get(b);
    if (code === undefined) out.push(b);
    else out.push(Marker.Escape, code);
  }
  return Buffer.from(out);
}

type Props = Readonly<Record<string, unknown>>;

/** SeTracker Part II commands without properties → their word. */
const WORDS: Readonly<Record<string, string>> = {
  locate: 'CR', // §16: position now, then every 20 s for 3 min
  reboot: 'RESET', // §15
  power_off: 'POWEROFF', // §17
  factory_reset: 'FACTORY', // §9
  find: 'FIND', // §22: the watch rings for a minute
  status: 'TS', // §14: version, server, intervals, time zone
  version: 'VERNO', // §13
  photo: 'rcapture', // Part IV: the watch answers rcapture, then sends img
};

/** Commands with properties → their content (or an error naming the property). */
const BUILDERS: Readonly<Record<string, (p: Props) => string>> = {
  interval: (p) => `UPLOAD,${int(p.seconds, 60, 65535, 'interval needs "seconds" (an integer 60-65535)')}`, // §2
  sos_number: (p) => `SOS${int(p.index ?? 1, 1, 3, 'sos_number "index" must be 1-3')},${phone(p.number, 'sos_number')}`, // §7
  center_number: (p) => `CENTER,${phone(p.number, 'center_number')}`, // §5
  monitor: (p) => `MONITOR,${phone(p.number, 'monitor')}`, // §6: the watch calls the number silently
  call: (p) => `CALL,${phone(p.number, 'call')}`, // §4
  timezone: (p) => `LZ,${p.language === undefined ? '' : int(p.language, 0, 99, 'timezone "language" must be 0-99')},${zone(p.minutes)}`, // §10
  message: (p) => `MESSAGE,${utf16(p.text)}`, // §27: text in UTF-16BE hex
  sos_sms: (p) => `SOSSMS,${flag(p.enable, 'sos_sms')}`, // §11
  low_battery_sms: (p) => `LOWBAT,${flag(p.enable, 'low_battery_sms')}`, // §12
  remove_alarm: (p) => `REMOVE,${flag(p.enable, 'remove_alarm')}`, // §18
  fall_alarm: (p) => `FALLDOWN,${flag(p.enable, 'fall_alarm')},${flag(p.call ?? false, 'fall_alarm', 'call')}`, // Part V: alarm, call the center
};

/** The content of a hub command (its bytes between the header and `]`), or an error naming the property. */
export function commandContent(command: CommandRequest): Buffer | CodecError {
  const p = command.properties;
  const word = WORDS[command.name];
  if (word) return Buffer.from(word, 'latin1');
  if (command.name === 'custom') return typeof p.text === 'string' && p.text !== '' ? Buffer.from(p.text, 'utf8') : bad('custom needs "text" or "hex"');
  if (command.name === 'voice_message') {
    const audio = typeof p.hex === 'string' ? fromHex(p.hex) : undefined;
    return audio && audio.length > 0 ? Buffer.concat([Buffer.from('TK,', 'latin1'), escapeBinary(audio)]) : bad('voice_message needs "hex" (the AMR file)'); // §25
  }
  const build = BUILDERS[command.name];
  if (!build) return bad(`unknown command "${command.name}" for watch`);
  try {
    return Buffer.from(build(p), 'latin1');
  } catch (err) {
    if (err instanceof CodecError) return err;
    throw err;
  }
}

/**
 * Bytes for a hub command, in the envelope of the watch's own frames: the maker it sent (`3G`
 * units are addressed as `SG`, as Traccar does; `CS` before any frame), and the index field
 * `0001` when its frames carry one. `custom` text that starts with `[` and hex go out as given.
 */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'ident' | 'vars'>): Buffer | CodecError {
  const p = command.properties;
  if (command.name === 'custom' && p.hex !== undefined) return fromHex(String(p.hex)) ?? bad('custom "hex" is not valid hex');
  if (command.name === 'custom' && typeof p.text === 'string' && p.text.startsWith('[')) return Buffer.from(p.text, 'utf8');
  const content = commandContent(command);
  if (content instanceof CodecError) return content;
  if (!state.ident) return bad(`${command.name} needs the device id (no frame identified the device yet)`);
  const own = state.vars[Var.Maker];
  const maker = typeof own === 'string' ? (COMMAND_MAKER[own] ?? own) : DEFAULT_MAKER;
  return envelope(maker, state.ident, state.vars[Var.Indexed] === true ? COMMAND_INDEX : undefined, content);
}

/** The watch answers with the command's word (`UPLOAD`, `CR`, `TK,1`): the word, upper-cased. Undefined for hex. */
export function correlate(command: CommandRequest): string | undefined {
  const p = command.properties;
  if (command.name === 'custom' && p.hex !== undefined) return undefined;
  let content = commandContent(command);
  if (content instanceof CodecError) return undefined;
  const header = content[0] === Marker.Open ? readHeader(content, 0) : undefined; // a whole `[...]` custom frame
  if (header && header !== 'more' && !(header instanceof CodecError)) content = content.subarray(header.contentAt);
  const word = content.toString('latin1').split(/[,\]]/)[0].trim().toUpperCase();
  return word === '' ? undefined : word;
}

/** Minutes east of UTC → hours with up to two decimals and a sign (`+1`, `+5.75`, `-11.5`), as the watch reads LZ. */
function zone(value: unknown): string {
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < -720 || minutes > 840) throw bad('timezone needs "minutes" (an integer -720 to 840)');
  const hours = Math.round((minutes / 60) * 100) / 100;
  return `${hours < 0 ? '-' : '+'}${Math.abs(hours)}`;
}

function int(value: unknown, min: number, max: number, reason: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw bad(reason);
  return n;
}

function phone(value: unknown, name: string): string {
  if (typeof value !== 'string' || !/^\+?\d{1,20}$/.test(value)) throw bad(`${name} needs "number" (digits, optional +)`);
  return value;
}

function flag(value: unknown, name: string, property = 'enable'): string {
  if (typeof value !== 'boolean') throw bad(`${name} needs "${property}" (true or false)`);
  return value ? '1' : '0';
}

/** Text as UTF-16BE hex, upper-case (SeTracker Part II §27: `11a` → `003100310061`). */
function utf16(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw bad('message needs "text"');
  let out = '';
  for (let i = 0; i < value.length; i++) out += value.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return out;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
