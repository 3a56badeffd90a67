import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { CANCEL_ALARM, COMMAND_PREFIX } from './constants.js';

/**
 * Server → device sentences (Coban "GPRS protocol" §3): `**,imei:<IMEI>,<code>[,<args>]`, sent
 * without a terminator (as the vendor's own server software and Traccar send them).
 */

/** §3.1 E, the answer to a `help me` report: `**,imei:<IMEI>,E;` (stops the repeated SOS). */
export function encodeAlarmAck(imei: string): Buffer {
  return Buffer.from(`${COMMAND_PREFIX}${imei},${CANCEL_ALARM};`, 'latin1');
}

/** Commands without properties → their §3 code. */
const CODES: Readonly<Record<string, string>> = {
  locate: 'B', // one position now
  tracking_stop: 'D', // cancel the periodic reports of C
  alarm_cancel: CANCEL_ALARM,
  engine_stop: 'J', // cut oil and power
  engine_resume: 'K',
  alarm_arm: 'L',
  alarm_disarm: 'M',
  photo: '160', // take a picture (camera models): vt<n> and vr parts follow
};

/**
 * The text after `**,imei:<IMEI>,` for a hub command, or an error naming the property. `custom`
 * text is sent as given (a full `**,…` sentence stays as is).
 */
export function commandText(command: CommandRequest): string | CodecError {
  const p = command.properties;
  const code = CODES[command.name];
  if (code) return code;
  switch (command.name) {
    case 'custom':
      return typeof p.text === 'string' && p.text !== '' ? p.text : bad('custom needs "text" or "hex"');
    case 'interval':
      return frequency(p.seconds);
    case 'overspeed': {
      const kmh = Number(p.kmh);
      return Number.isInteger(kmh) && kmh >= 1 && kmh <= 999 ? `H,${String(kmh).padStart(3, '0')}` : bad('overspeed needs "kmh" (an integer 1-999)');
    }
    default:
      return bad(`unknown command "${command.name}" for gps103`);
  }
}

/** §3 C: `C,<NN>s|m|h` (01-99 of one unit): 300 s → `C,05m`. */
function frequency(value: unknown): string | CodecError {
  const s = Number(value);
  if (!Number.isInteger(s) || s < 1) return bad('interval needs "seconds" (a positive integer)');
  const two = (n: number) => String(n).padStart(2, '0');
  if (s % 3600 === 0 && s / 3600 <= 99) return `C,${two(s / 3600)}h`;
  if (s % 60 === 0 && s / 60 <= 99) return `C,${two(s / 60)}m`;
  if (s <= 99) return `C,${two(s)}s`;
  return bad('interval "seconds" must be 1-99 s, whole minutes up to 99 min or whole hours up to 99 h');
}

/** Bytes for a hub command; every command but a full `**` custom sentence or hex needs the IMEI. */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'ident'>): Buffer | CodecError {
  if (command.name === 'custom' && command.properties.hex !== undefined) return fromHex(String(command.properties.hex)) ?? bad('custom "hex" is not valid hex');
  const text = commandText(command);
  if (text instanceof CodecError) return text;
  if (text.startsWith('**')) return Buffer.from(text, 'latin1');
  if (!state.ident) return bad(`${command.name} needs the device IMEI (no frame identified the device yet)`);
  return Buffer.from(`${COMMAND_PREFIX}${state.ident},${text}`, 'latin1');
}

/**
 * The code the device echoes in the keyword of its answer (`J` → `jt`, `111` → `111` or `511`):
 * letter codes upper-case, numeric codes 1xx. Undefined for hex and codes it does not echo.
 */
export function correlate(command: CommandRequest): string | undefined {
  if (command.name === 'custom' && command.properties.hex !== undefined) return undefined;
  const text = commandText(command);
  if (text instanceof CodecError) return undefined;
  const code = (text.startsWith('**') ? (text.split(',')[2] ?? '') : text.split(',')[0]).trim();
  return /^[A-Z]$/.test(code) || /^1\d\d$/.test(code) ? code : undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
