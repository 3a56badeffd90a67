import { z } from 'zod';
import { command, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';

/** Every AT command takes the device password (default `gl300`) and an optional 4-hex serial echoed in `+ACK`. */
const password = z
  .string()
  .regex(/^[0-9A-Za-z]{4,20}$/)
  .default('gl300');
const serial = z
  .string()
  .regex(/^[0-9A-Fa-f]{4}$/)
  .optional();
const base = { password, serial };
const plain = z.object(base).strict();

const COMMANDS = [
  command(
    'custom',
    'Send raw text (an AT+GT… command ending in $) or bytes',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: 'AT+GTRTO=gl300,1,,,,,,FFFF$' }],
  ),
  command('locate', 'Report the current position now (AT+GTRTO sub-command 1, answered by +RESP:GTRTL)', plain, [{}, { password: 'gv300' }]),
  command('reboot', 'Reboot the device (AT+GTRTO sub-command 3)', plain, [{}]),
  command('get_version', 'Report device type, firmware and hardware versions (AT+GTRTO 8, answered by +RESP:GTVER)', plain, [{}]),
  command(
    'read_config',
    'Report the configuration of one command, e.g. FRI (AT+GTRTO 2, answered by +RESP:GTALS), or all of it (+RESP:GTALL)',
    z
      .object({
        ...base,
        command: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .optional(),
      })
      .strict(),
    [{ command: 'FRI' }],
  ),
  command('engine_stop', 'Immobilise: digital output 1 on (AT+GTOUT)', plain, [{}]),
  command('engine_resume', 'Release: digital output 1 off (AT+GTOUT)', plain, [{}]),
  command(
    'set_report_interval',
    'Fixed timing report every N seconds (AT+GTFRI, GL300-family field layout)',
    z.object({ ...base, interval: z.number().int().min(5).max(86400) }).strict(),
    [{ interval: 60 }],
  ),
  command(
    'set_password',
    'Change the device password (AT+GTCFG field 2)',
    z.object({ ...base, new_password: z.string().regex(/^[0-9A-Za-z]{4,20}$/) }).strict(),
    [{ new_password: 'abc123' }],
  ),
];

const SETTINGS = [
  setting(
    'report_interval',
    'Fixed report send interval (s); read with read_config {command: "FRI"} (+RESP:GTALS)',
    z.number().int().min(5).max(86400),
    'read_config',
    'set_report_interval',
    {
      readProperties: { command: 'FRI' },
      writeProperties: (v) => ({ interval: v }),
    },
  ),
  setting(
    'password',
    'Device password used by every command; read with read_config {command: "CFG"}',
    z.string().regex(/^[0-9A-Za-z]{4,20}$/),
    'read_config',
    'set_password',
    {
      readProperties: { command: 'CFG' },
      writeProperties: (v) => ({ new_password: v }),
    },
  ),
];

/** The setting each configuration command writes (its `+ACK:GT<cmd>` confirms the write). */
const WRITTEN_BY: Readonly<Record<string, string>> = { FRI: 'report_interval', CFG: 'password' };

/**
 * Setting values in a Queclink reply: `+RESP:GTALS,…,FRI,<mode>,…` reports the AT+GTFRI fields
 * (the send interval is the 8th after the mode; GL300 family), `+RESP:GTALS,…,CFG,<password>,…`
 * the password; `+ACK:GTFRI` / `+ACK:GTCFG` confirm a pending write (Queclink devices do not echo
 * the value and answer nothing to a value they refuse, so a refused write ends unanswered).
 */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  const fields = response.replace(/\$$/, '').split(',');
  const values: Record<string, unknown> = {};
  if (fields[0].endsWith('GTALS')) {
    const fri = fields.indexOf('FRI');
    if (fri > 0 && /^\d+$/.test(fields[fri + 8] ?? '')) values.report_interval = Number(fields[fri + 8]);
    const cfg = fields.indexOf('CFG');
    if (cfg > 0 && /^[0-9A-Za-z]{4,20}$/.test(fields[cfg + 1] ?? '')) values.password = fields[cfg + 1];
  }
  const ack = /^\+ACK:GT([A-Z]{3})/.exec(response);
  const written = ack ? WRITTEN_BY[ack[1]] : undefined;
  const confirmed = written && pending.includes(written) ? [written] : [];
  return Object.keys(values).length + confirmed.length > 0 ? { values, confirmed } : undefined;
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 6, name: 'queclink', commands: COMMANDS, settings: SETTINGS, parseSettings }];
