import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { SERVER_MAKER } from './constants.js';

/** `*HQ,<id>,V4,<type>,yyyyMMddHHmmss#`: the answer to V1 and NBR reports (time taken from the report). */
export function encodeV4Ack(id: string, type: string, time: string): Buffer {
  return Buffer.from(`*${SERVER_MAKER},${id},V4,${type},${time}#`, 'latin1');
}

/** `*HQ,<id>,R12,hhmmss#`: the optional answer to other position reports (`ack` channel setting). */
export function encodeR12Ack(id: string, time: string): Buffer {
  return Buffer.from(`*${SERVER_MAKER},${id},R12,${time}#`, 'latin1');
}

/** `*<maker>,<id>,HTBT#`: a heartbeat is echoed without its arguments. */
export function encodeHeartbeatEcho(maker: string, id: string, type: string): Buffer {
  return Buffer.from(`*${maker},${id},${type}#`, 'latin1');
}

/** Server command names → H02 command word and fixed parameters. */
const COMMANDS: Readonly<Record<string, readonly [word: string, ...params: string[]]>> = {
  engine_stop: ['S20', '1', '1'],
  engine_resume: ['S20', '1', '0'],
  alarm_arm: ['SCF', '0', '0'],
  alarm_disarm: ['SCF', '1', '1'],
};

const SECONDS_PER_DAY = 86400;

/**
 * Bytes for a hub command: `*HQ,<id>,<word>,hhmmss,<params>#`. The hhmmss is the command's time,
 * echoed by the device in its V4 reply: the `time` property when given (`hhmmss` or `hh:mm:ss`),
 * else derived from the hub command id (id mod 86400 as a time of day, so the echo correlates),
 * else `000000`. The codec never reads the clock.
 */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'ident'>): Buffer | CodecError {
  const p = command.properties;
  if (command.name === 'custom') return custom(p, state.ident);
  const id = state.ident;
  if (!id) return bad(`${command.name} needs the device ident (no frame identified the device yet)`);
  const time = commandTime(p.time, command.id);
  if (time instanceof CodecError) return time;
  const fixed = COMMANDS[command.name];
  if (fixed) return format(id, fixed[0], time, fixed.slice(1));
  if (command.name === 'interval') {
    const seconds = Number(p.seconds);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 65535) return bad('interval needs "seconds" (an integer 0-65535)');
    return p.alternative === true ? format(id, 'D1', time, [String(seconds)]) : format(id, 'S71', time, ['22', String(seconds)]);
  }
  return bad(`unknown command "${command.name}" for h02`);
}

function format(id: string, word: string, time: string, params: readonly string[]): Buffer {
  return Buffer.from(`${[`*${SERVER_MAKER}`, id, word, time, ...params].join(',')}#`, 'latin1');
}

/** `text` starting with `*` is sent as is; other text is wrapped as `*HQ,<id>,<text>#`; `hex` is raw bytes. */
function custom(p: Readonly<Record<string, unknown>>, id: string | undefined): Buffer | CodecError {
  if (p.hex !== undefined) return fromHex(String(p.hex)) ?? bad('custom "hex" is not valid hex');
  if (typeof p.text !== 'string' || p.text === '') return bad('custom needs "text" or "hex"');
  if (p.text.startsWith('*')) return Buffer.from(p.text, 'latin1');
  if (!id) return bad('custom "text" without a leading * needs the device ident');
  return Buffer.from(`*${SERVER_MAKER},${id},${p.text}#`, 'latin1');
}

/** The hhmmss of a command: its `time` property, else its hub command id as a time of day, else `000000`. */
function commandTime(value: unknown, commandId: number | undefined): string | CodecError {
  if (value !== undefined && value !== null) {
    const m = /^([01]\d|2[0-3]):?([0-5]\d):?([0-5]\d)$/.exec(String(value));
    return m ? m[1] + m[2] + m[3] : bad('"time" must be hhmmss or hh:mm:ss');
  }
  if (commandId === undefined || !Number.isInteger(commandId) || commandId < 0) return '000000';
  const s = commandId % SECONDS_PER_DAY;
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((x) => String(x).padStart(2, '0')).join('');
}

/** The device echoes the command's hhmmss in its V4 reply; a custom text carries none of ours. */
export function correlate(command: CommandRequest): string | undefined {
  const time = commandTime(command.properties.time, command.id);
  return time instanceof CodecError || command.name === 'custom' ? undefined : time;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
