import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';
import { SETTING_PARAMS } from './params.js';

/**
 * EGTS commands: EGTS_SR_COMMAND_DATA CT_COM in the commands service (GOST 33465-2015 §6.7.3;
 * EGTS_FLEET_* codes of Order No. 285). The unit answers with CT_COMCONF carrying the command's CID.
 */
const code = z.number().int().min(0).max(0xffff);

const COMMANDS = [
  command(
    'custom',
    'EGTS_RAW_DATA (0x0000): text (CP-1251/ASCII) or bytes for the unit',
    z.union([z.object({ text: z.string().min(1).max(1000) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2}){1,1000}$/) }).strict()]),
    [{ text: 'STATUS' }, { hex: '0102' }],
  ),
  command(
    'terminal_command',
    'Any command (ACT 0) or parameter (ACT 1 read, 2 write) code, with text or hex data and a module address',
    z
      .object({
        code,
        action: z.number().int().min(0).max(4).optional(),
        address: code.optional(),
        text: z.string().max(1000).optional(),
        hex: z
          .string()
          .regex(/^([0-9a-fA-F]{2}){1,1000}$/)
          .optional(),
      })
      .strict(),
    [{ code: 0x0008 }, { code: 0x0203, action: 2, text: 'internet' }],
  ),
  command('locate', 'Ask for the current position: EGTS_FLEET_GET_POS_DATA (0x000C)', NO_PROPERTIES),
  command('engine_stop', 'Immobilise: output 1 on, EGTS_FLEET_DOUT_ON (0x0009)', NO_PROPERTIES),
  command('engine_resume', 'Release: output 1 off, EGTS_FLEET_DOUT_OFF (0x000A)', NO_PROPERTIES),
  command(
    'output_control',
    'Switch one output: EGTS_FLEET_DOUT_ON / DOUT_OFF with its bit',
    z.object({ output: z.number().int().min(1).max(16), state: z.union([z.boolean(), z.literal(0), z.literal(1)]) }).strict(),
    [{ output: 2, state: true }],
  ),
  command('reboot', 'Restart the unit: EGTS_RESTART (0x0008)', NO_PROPERTIES),
  command('factory_reset', 'Back to factory settings: EGTS_CONFIG_RESET (0x0006)', NO_PROPERTIES),
  command('get_state', 'Ask for the unit state: EGTS_FLEET_GET_STATE (0x0010)', NO_PROPERTIES),
  command('get_sensors', 'Ask for the inputs: EGTS_FLEET_GET_SENSORS_DATA (0x000D)', NO_PROPERTIES),
  command('get_outputs', 'Ask for the outputs: EGTS_FLEET_GET_DOUT_DATA (0x000B)', NO_PROPERTIES),
  command('odometer_reset', 'Clear the odometer: EGTS_FLEET_ODOM_CLEAR (0x0011)', NO_PROPERTIES),
  command('get_parameter', 'Read a terminal parameter (ACT 1)', z.object({ code }).strict(), [{ code: 0x0203 }]),
  command(
    'set_parameter',
    'Write a terminal parameter (ACT 2): text, or an integer sent as INT (u32)',
    z.object({ code, value: z.union([z.string().max(1000), z.number().int().min(0).max(0xffffffff)]) }).strict(),
    [{ code: 0x0203, value: 'internet' }],
  ),
];

const SETTINGS = SETTING_PARAMS.map(([name, paramCode, type, title]) =>
  setting(name, title, type === 'text' ? z.string().min(1).max(255) : z.number().int().min(0).max(0xffffffff), 'get_parameter', 'set_parameter', {
    readProperties: { code: paramCode },
    writeProperties: (value) => ({ code: paramCode, value: value as string | number }),
  }),
);

const BY_CODE = new Map(SETTING_PARAMS.map(([name, paramCode, type]) => [paramCode, { name, numeric: type === 'int' }]));

/**
 * Settings in a CT_COMCONF reply text (records/commands.ts): `ok: 0x0203=internet` gives a value;
 * `ok: 0x0203` (a write confirmed without an echo) confirms the pending writes; any other result
 * (`error`, `illegal`, `negative`…) refuses them.
 */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  const m = /^([a-z ]+?)(?:: 0x([0-9a-f]{4})(?:=(.*))?)?$/s.exec(response.trim());
  if (!m) return undefined;
  if (m[1] !== 'ok') return pending.length > 0 ? { values: {}, refused: Object.fromEntries(pending.map((n) => [n, response.trim()])) } : undefined;
  const s = m[2] === undefined ? undefined : BY_CODE.get(Number.parseInt(m[2], 16));
  if (s && m[3] !== undefined) return { values: { [s.name]: s.numeric && /^\d+$/.test(m[3]) ? Number(m[3]) : m[3] } };
  return pending.length > 0 ? { values: {}, confirmed: pending } : undefined;
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 20, name: 'egts', commands: COMMANDS, settings: SETTINGS, parseSettings }];
