import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest } from '../common/types.js';
import { COMMAND_END, KEEPALIVE_LENGTH, KEEPALIVE_MARKER } from './constants.js';

/**
 * The server side of ATrack: the acknowledgement of a report (Protocol Document §3) and AT$
 * commands (§2.1 syntax: `AT$<CMD>=<params>` to set, `AT$<CMD>=?` to read, ended by CR LF).
 */

/** `FE 02` + the report's unit id u64 + its sequence u16: the same 12 bytes as the unit's keep-alive. */
export function encodeAck(unitId: bigint, seq: number): Buffer {
  const b = Buffer.alloc(KEEPALIVE_LENGTH);
  b.writeUInt16BE(KEEPALIVE_MARKER, 0);
  b.writeBigUInt64BE(unitId, 2);
  b.writeUInt16BE(seq, 10);
  return b;
}

/** Commands without properties → their AT$ text. */
const FIXED: Readonly<Record<string, string>> = {
  locate: 'AT$GPOS=0', // report the current position now
  engine_stop: 'AT$OUTC=1,1', // output 1 on (the immobiliser relay)
  engine_resume: 'AT$OUTC=1,0', // output 1 off
  info: 'AT$INFO=?', // unit id, model, firmware, IMEI, IMSI, ICCID, power, battery, GSM: answered $INFO=…
  get_interval: 'AT$TRAC=?', // the tracking settings: answered $TRAC=…
};

/** The AT$ text of a hub command (without CR LF), or an error naming the property. */
export function commandText(command: CommandRequest): string | CodecError {
  const p = command.properties;
  const fixed = FIXED[command.name];
  if (fixed) return fixed;
  switch (command.name) {
    case 'custom':
      return typeof p.text === 'string' && p.text.trim() !== '' ? p.text.replace(/\r?\n$/, '') : bad('custom needs "text" or "hex"');
    case 'interval': {
      const s = Number(p.seconds);
      return Number.isInteger(s) && s >= 1 && s <= 65535 ? `AT$TRAC=1,${s}` : bad('interval needs "seconds" (an integer 1-65535)');
    }
    case 'output': {
      const index = Number(p.index);
      if (!Number.isInteger(index) || index < 1 || index > 8) return bad('output needs "index" (1-8)');
      return typeof p.on === 'boolean' ? `AT$OUTC=${index},${p.on ? 1 : 0}` : bad('output needs "on" (true or false)');
    }
    default:
      return bad(`unknown command "${command.name}" for atrack`);
  }
}

/** Bytes on the wire: the text + CR LF; `custom` hex as given. */
export function encodeCommand(command: CommandRequest): Buffer | CodecError {
  if (command.name === 'custom' && command.properties.hex !== undefined) return fromHex(String(command.properties.hex)) ?? bad('custom "hex" is not valid hex');
  const text = commandText(command);
  return text instanceof CodecError ? text : Buffer.from(`${text}${COMMAND_END}`, 'latin1');
}

/**
 * What a read's answer echoes: `AT$INFO=?` is answered `$INFO=…` (correlation `INFO`). Writes are
 * answered `$OK` / `$ERROR=<code>`, which name no command: undefined (oldest command first).
 */
export function correlate(command: CommandRequest): string | undefined {
  if (command.name === 'custom' && command.properties.hex !== undefined) return undefined;
  const text = commandText(command);
  if (text instanceof CodecError) return undefined;
  const read = /^AT\$([A-Z0-9]+)=\?$/i.exec(text.trim());
  return read ? read[1].toUpperCase() : undefined;
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
