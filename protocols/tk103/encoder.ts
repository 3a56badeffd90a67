import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { ANSWERS, Command, HANDSHAKE_BODY, SMS2_PREFIX, SMS2_SUFFIX } from './constants.js';

/** Server → device frames (§3.1): `(<serial><command><body>)`, and the `[begin]sms2,<text>,[end]` wrapper of SMS-style clones. */

/** §3.1.1 answer to the BP00 handshake: `(<serial>AP01HSO)`. */
export function encodeHandshakeAnswer(serial: string): Buffer {
  return frame(serial, `${Command.HandshakeAnswer}${HANDSHAKE_BODY}`);
}

/** §3.1.2 answer to the BP05 login: `(<serial>AP05)`. */
export function encodeLoginAnswer(serial: string): Buffer {
  return frame(serial, Command.LoginAnswer);
}

/** §3.1.4 answer to a BO01 alarm: `(<serial>AS01<alarm code>)`. */
export function encodeAlarmAnswer(serial: string, code: string): Buffer {
  return frame(serial, `${Command.AlarmAnswer}${code}`);
}

/** The units' factory password, used when a command needs one and none is given (as Traccar). */
const DEFAULT_PASSWORD = '123456';

type Props = Readonly<Record<string, unknown>>;
type Built = string | CodecError;

/** §3.1 commands: name → command word + body. */
const SERIAL: Readonly<Record<string, (p: Props) => Built>> = {
  locate: () => Command.Locate,
  version: () => Command.Version,
  interval: (p) => (isInt(p.seconds, 1, 0xffff) ? `${Command.Interval}${hex4(Number(p.seconds))}0000` : bad('interval needs "seconds" (an integer 1-65535)')),
  tracking_stop: () => `${Command.Interval}00000000`,
  engine_stop: () => `${Command.Oil}0`,
  engine_resume: () => `${Command.Oil}1`,
  output: (p) => (typeof p.on === 'boolean' ? `${Command.Circuit}${p.on ? '1' : '0'}` : bad('output needs "on" (a boolean)')),
  reboot: () => Command.Reboot,
};

/** SMS-style commands of clones that take them over GPRS (sent with `sms2: true`, or the only form). */
const SMS2: Readonly<Record<string, (p: Props) => Built>> = {
  locate: () => '*getposl*',
  version: () => '*about*',
  reboot: () => '88888888',
  tracking_stop: () => '*routetrackoff*',
  tracking_start: () => '*routetrack*99*',
  status: () => '*status*',
  identify: () => '999999',
  power_off: () => '*turnoff*',
  sos_alarm: (p) => (typeof p.enable === 'boolean' ? (p.enable ? '*soson*' : '*sosoff*') : bad('sos_alarm needs "enable" (a boolean)')),
  sleep: (p) => ({ deep: '*sleep*2*', power_saving: '*sleepv*', off: '*sleepoff*' })[String(p.mode)] ?? bad('sleep needs "mode": deep, power_saving or off'),
  server: (p) =>
    typeof p.host === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(p.host) && isInt(p.port, 1, 65535)
      ? `*setip*${p.host.replace(/\./g, '*')}*${p.port}*`
      : bad('server needs "host" (an IPv4 address) and "port" (1-65535)'),
  sos_number: (p) =>
    typeof p.phone === 'string' && /^\+?\d{3,20}$/.test(p.phone)
      ? `*master*${typeof p.password === 'string' ? p.password : DEFAULT_PASSWORD}*${p.phone}*`
      : bad('sos_number needs "phone" (digits, + allowed)'),
};

/**
 * Bytes for a hub command. §3.1 commands go as `(<serial><command>)` to the stored serial; `sms2:
 * true` (or a command only clones know) sends the `[begin]sms2,...,[end]` text instead. `custom`
 * sends `text` after the serial (a text starting with `(` or `[` as is), `sms2` text wrapped, or `hex` bytes.
 */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'ident'>): Buffer | CodecError {
  const p = command.properties;
  if (command.name === 'custom') return custom(p, state.ident);
  const sms2 = SMS2[command.name];
  const serial = SERIAL[command.name];
  if (sms2 && (p.sms2 === true || !serial)) return wrap(sms2(p));
  if (!serial) return bad(`unknown command "${command.name}" for tk103`);
  const text = serial(p);
  if (text instanceof CodecError) return text;
  return state.ident ? frame(state.ident, text) : bad(`${command.name} needs the device serial (no frame identified the device yet)`);
}

function custom(p: Props, serial: string | undefined): Buffer | CodecError {
  if (p.hex !== undefined) return fromHex(String(p.hex)) ?? bad('custom "hex" is not valid hex');
  if (typeof p.text !== 'string' || p.text === '') return bad('custom needs "text" or "hex"');
  if (p.sms2 === true) return wrap(p.text);
  if (p.text.startsWith('(') || p.text.startsWith('[')) return Buffer.from(p.text, 'latin1');
  return serial ? frame(serial, p.text) : bad('custom "text" needs the device serial (no frame identified the device yet)');
}

/** The answer type the device sends back to a §3.1 command (BV01 for AV01...); sms2 answers carry none. */
const ANSWER_OF = new Map(Object.entries(ANSWERS).map(([answer, cmd]) => [cmd, answer]));

export function correlate(command: CommandRequest): string | undefined {
  const p = command.properties;
  if (p.sms2 === true || p.hex !== undefined) return undefined;
  const text = command.name === 'custom' ? (typeof p.text === 'string' ? p.text.replace(/^\([^A-Z]*/, '') : '') : SERIAL[command.name]?.(p);
  return typeof text === 'string' ? ANSWER_OF.get(text.slice(0, 4)) : undefined;
}

function frame(serial: string, text: string): Buffer {
  return Buffer.from(`(${serial}${text})`, 'latin1');
}

function wrap(text: Built): Buffer | CodecError {
  return text instanceof CodecError ? text : Buffer.from(`${SMS2_PREFIX}${text}${SMS2_SUFFIX}`, 'latin1');
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
const isInt = (v: unknown, min: number, max: number): boolean => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
