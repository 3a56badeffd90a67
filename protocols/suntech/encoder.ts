import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { COMMAND_VERSION, DEFAULT_PREFIX, UNIVERSAL_ACTIONS, ZipType } from './constants.js';

/**
 * UDP acknowledgement (ST300 manual, ADP notes "ACK in case of UDP"; ST600 §4-6): a unit set with
 * UDP_ACK resends a report after 2 minutes until the server answers `<hdr>ACK;<id>`
 * (`ST300ACK;100850000`), or `15 | id BCD[5]` for a zip report. Universal units get `ACK;<id>`.
 */
export function encodeUdpAck(ident: string, prefix: string | undefined): Buffer {
  return Buffer.from(`${prefix ?? ''}ACK;${ident}`, 'latin1');
}

/** Zip form of the UDP ack: `15` and the 9-digit id in BCD, padded with a 0 nibble (`15 10 08 50 00 00`). */
export function encodeZipAck(ident: string): Buffer {
  return Buffer.concat([Buffer.from([ZipType.Ack]), Buffer.from(ident.padEnd(10, '0').slice(0, 10), 'hex')]);
}

/** The legacy CMD_ID (`Enable1`, `Reboot`…) or other command type (`RPT`) a hub command sends: the device echoes it in its answer. */
function commandId(command: CommandRequest): string | CodecError | undefined {
  const p = command.properties;
  switch (command.name) {
    case 'locate':
      return 'StatusReq';
    case 'reboot':
      return 'Reboot';
    case 'engine_stop':
      return 'Enable1';
    case 'engine_resume':
      return 'Disable1';
    case 'output': {
      const index = Number(p.index);
      if (!Number.isInteger(index) || index < 1 || index > 3) return bad('"index" must be an output from 1 to 3');
      if (typeof p.on !== 'boolean') return bad('"on" must be true or false');
      return `${p.on ? 'Enable' : 'Disable'}${index}`;
    }
    case 'read_config':
      return 'Preset';
    case 'set_report_parameters':
      return 'RPT';
    default:
      return undefined;
  }
}

/** RPT (ST310U §4-2): T1 parking, T2 driving, T3 emergency (s), A1 attempts, SND_DIST (m), T4 keep-alive (s); SMS fields 0. */
const RPT_FIELDS = ['parking', 'driving', 'emergency', 'attempts', 'distance', 'keep_alive'] as const;
const RPT_LIMITS: Readonly<Record<(typeof RPT_FIELDS)[number], number>> = {
  parking: 86400,
  driving: 60000,
  emergency: 9999,
  attempts: 99,
  distance: 60000,
  keep_alive: 65500,
};

function reportParameters(p: Readonly<Record<string, unknown>>): string | CodecError {
  const values: number[] = [];
  for (const f of RPT_FIELDS) {
    const v = p[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > RPT_LIMITS[f]) return bad(`"${f}" must be a whole number from 0 to ${RPT_LIMITS[f]}`);
    values.push(v);
  }
  return [...values, 0, 0, 0].join(';');
}

/**
 * Bytes on the wire for a hub command, in the form of the device's last report: legacy
 * `<hdr>CMD;<id>;02;<CMD_ID>\r` (§7-1; `<hdr>` is the header the unit reports with, `SA200` until
 * one is seen) or universal `CMD;<id>;<group>;<action>\r`. `custom` sends its text (a `\r` is added
 * when missing) or its hex bytes as they are.
 */
export function encodeCommand(command: CommandRequest, state: SessionState): Buffer | CodecError {
  if (command.name === 'custom') return custom(command.properties);
  const ident = state.ident;
  if (!ident) return new CodecError(CodecErrorCode.Command, 'the device id is not known yet: the device has sent no report on this connection');
  const id = commandId(command);
  if (id === undefined) return new CodecError(CodecErrorCode.Command, `unknown command "${command.name}" for suntech`);
  if (id instanceof CodecError) return id;
  if (state.vars.universal === true) {
    const action = UNIVERSAL_ACTIONS[id];
    return action ? text(`CMD;${ident};${action}`) : bad(`"${command.name}" has no universal-protocol form: send it with custom`);
  }
  const prefix = typeof state.vars.prefix === 'string' ? state.vars.prefix : DEFAULT_PREFIX;
  if (id === 'RPT') {
    const values = reportParameters(command.properties);
    return values instanceof CodecError ? values : text(`${prefix}RPT;${ident};${COMMAND_VERSION};${values}`);
  }
  return text(`${prefix}CMD;${ident};${COMMAND_VERSION};${id}`);
}

/** The correlation a device echoes: the CMD_ID (`Disable1`) or command type (`RPT`); universal replies are mapped back to it. */
export function correlate(command: CommandRequest): string | undefined {
  const id = command.name === 'custom' ? undefined : commandId(command);
  return typeof id === 'string' ? id : undefined;
}

function custom(p: Readonly<Record<string, unknown>>): Buffer | CodecError {
  if (p.hex !== undefined) return fromHex(String(p.hex)) ?? bad('custom "hex" is not valid hex');
  if (typeof p.text !== 'string' || p.text.length === 0) return bad('custom needs "text" or "hex"');
  return text(p.text.replace(/\r$/, ''));
}

function text(s: string): Buffer {
  return Buffer.from(`${s}\r`, 'latin1');
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
