import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';

/** AT$ commands (Protocol Document §2.1: `AT$<CMD>=<params>` sets, `AT$<CMD>=?` reads; answered `$OK`, `$ERROR=<code>` or `$<CMD>=…`). */
const seconds = z.number().int().min(1).max(65535);

const COMMANDS = [
  command(
    'custom',
    'Send a raw AT$ command (CR LF is added) or bytes as hex',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: 'AT$INFO=?' }, { hex: '41542447504f533d300d0a' }],
  ),
  command('locate', 'Report the current position now: AT$GPOS=0', NO_PROPERTIES),
  command('interval', 'Time-based tracking every N seconds: AT$TRAC=1,<s>', z.object({ seconds }).strict(), [{ seconds: 60 }]),
  command('get_interval', 'Read the tracking settings: AT$TRAC=? (answered $TRAC=<mode>,<s>,…)', NO_PROPERTIES),
  command('engine_stop', 'Immobilise: output 1 on, AT$OUTC=1,1', NO_PROPERTIES),
  command('engine_resume', 'Release: output 1 off, AT$OUTC=1,0', NO_PROPERTIES),
  command('output', 'Switch an output: AT$OUTC=<n>,<1|0>', z.object({ index: z.number().int().min(1).max(8), on: z.boolean() }).strict(), [
    { index: 2, on: true },
  ]),
  command('info', 'Unit id, model, firmware, IMEI, IMSI, ICCID, power, battery and GSM status: AT$INFO=?', NO_PROPERTIES),
];

const SETTINGS = [
  setting('report_interval', 'Time-based tracking interval (s), AT$TRAC', seconds, 'get_interval', 'interval', { writeProperties: (v) => ({ seconds: v }) }),
];

/**
 * Setting values in an ATrack answer: `$TRAC=<mode>,<seconds>,…` (the answer to AT$TRAC=?) gives
 * the interval; `$OK` confirms a pending write, `$ERROR=<code>` refuses it.
 */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  const text = response.trim();
  if (text.startsWith('$ERROR') && pending.length > 0) return { values: {}, refused: Object.fromEntries(pending.map((n) => [n, text])) };
  if (text === '$OK' && pending.length > 0) return { values: {}, confirmed: [...pending] };
  const trac = /^\$TRAC=\d+,(\d+)/.exec(text);
  return trac ? { values: { report_interval: Number(trac[1]) } } : undefined;
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 18, name: 'atrack', commands: COMMANDS, settings: SETTINGS, parseSettings }];
