import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';
import { TERMINAL_PARAMS } from './params.js';

/** JT/T 808 commands (JT/T 808-2019 §8.12–§8.27, §8.60); the device answers with §8.1 (correlated by serial), 0x0104, 0x0107 or 0x0201. */
const seconds = z.number().int().min(1).max(86400);
const paramKey = z.string().regex(/^(0x[0-9a-fA-F]{1,8}|\d{1,10})$/);
const paramValue = z.union([z.number().int().min(0).max(0xffffffff), z.string().max(255)]);

const COMMANDS = [
  command(
    'custom',
    'Send a §8.27 text message (0x8300, flag default 1), or a whole frame given as hex',
    z.union([
      z.object({ text: z.string().min(1).max(1000), flag: z.number().int().min(0).max(255).optional() }).strict(),
      z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict(),
    ]),
    [{ text: 'STATUS#' }, { text: 'Return to base', flag: 0x0c }, { hex: '7e8201000001390000000000004b7e' }],
  ),
  command(
    'passthrough',
    'Downlink pass-through 0x8900: type (default 0xF0, vendor) and text or hex data',
    z.union([
      z.object({ text: z.string().min(1).max(1000), type: z.number().int().min(0).max(255).optional() }).strict(),
      z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/), type: z.number().int().min(0).max(255).optional() }).strict(),
    ]),
    [{ text: 'STATUS#' }, { hex: '0102', type: 0x41 }],
  ),
  command('locate', 'Ask for the current location (0x8201); answered with 0x0201', NO_PROPERTIES),
  command(
    'tracking',
    'Temporary tracking (0x8202): report every `interval` s (0 stops) for `duration` s',
    z.object({ interval: z.number().int().min(0).max(65535), duration: z.number().int().min(0).max(0xffffffff) }).strict(),
    [{ interval: 10, duration: 600 }],
  ),
  command(
    'interval',
    'Default report interval (0x8103, parameter 0x0029), seconds',
    z.union([z.object({ seconds }).strict(), z.object({ value: seconds }).strict()]),
    [{ seconds: 30 }],
  ),
  command(
    'heartbeat_interval',
    'Heartbeat interval (0x8103, parameter 0x0001), seconds',
    z.union([z.object({ seconds }).strict(), z.object({ value: seconds }).strict()]),
    [{ seconds: 60 }],
  ),
  command(
    'set_parameters',
    'Set terminal parameters (0x8103): id (0x-hex or decimal) → number or text',
    z.object({ params: z.record(paramKey, paramValue) }).strict(),
    [{ params: { '0x0029': 30, '0x0010': 'cmnet' } }],
  ),
  command(
    'get_parameters',
    'Read terminal parameters: all (0x8104) or the listed ids (0x8106); answered with 0x0104',
    z
      .object({
        ids: z
          .array(z.union([paramKey, z.number().int().min(0).max(0xffffffff)]))
          .min(1)
          .max(255)
          .optional(),
      })
      .strict(),
    [{}, { ids: ['0x0029', '0x0001'] }],
  ),
  command('engine_stop', 'Cut fuel/power: terminal control 0x8105 with vendor command word F0', NO_PROPERTIES),
  command('engine_resume', 'Restore fuel/power: terminal control 0x8105 with vendor command word F1', NO_PROPERTIES),
  command('reboot', 'Terminal reset: 0x8105 command word 4', NO_PROPERTIES),
  command('factory_reset', 'Factory reset: 0x8105 command word 5', NO_PROPERTIES),
  command(
    'terminal_control',
    'Terminal control 0x8105 with any command word (e.g. 0x64/0x65 cut/restore on many OEM units) and `;`-separated parameters',
    z.object({ command: z.number().int().min(1).max(255), params: z.string().max(500).optional() }).strict(),
    [{ command: 0x64 }, { command: 1, params: 'ftp://upgrade.example.com;;;;;;' }],
  ),
  command('attributes', 'Ask for the terminal attributes (0x8107): model, ICCID, versions; answered with 0x0107', NO_PROPERTIES),
];

/** Settings backed by §8.12 terminal parameters: read with get_parameters, written with set_parameters. */
const SETTING_PARAMS = TERMINAL_PARAMS.filter((row): row is readonly [number, (typeof row)[1], string] => row[2] !== undefined);
const SETTING_TITLES: Readonly<Record<string, string>> = {
  heartbeat_interval: 'Heartbeat interval (s), parameter 0x0001',
  apn: 'APN, parameter 0x0010',
  server_address: 'Main server address, parameter 0x0013',
  server_port: 'Server TCP port, parameter 0x0018',
  sleep_report_interval: 'Report interval while asleep (s), parameter 0x0027',
  report_interval: 'Default report interval (s), parameter 0x0029',
  report_distance: 'Default report distance (m), parameter 0x002C',
  overspeed_limit: 'Overspeed limit (km/h), parameter 0x0055',
};

const hexId = (id: number) => `0x${id.toString(16).padStart(4, '0')}`;

const SETTINGS = SETTING_PARAMS.map(([id, type, name]) =>
  setting(
    name,
    SETTING_TITLES[name] ?? name,
    type === 'string' ? z.string().min(1).max(255) : z.number().int().min(0).max(0xffffffff),
    'get_parameters',
    'set_parameters',
    {
      readProperties: { ids: [hexId(id)] },
      writeProperties: (value) => ({ params: { [hexId(id)]: value as string | number } }),
    },
  ),
);

const BY_ID = new Map(SETTING_PARAMS.map(([id, type, name]) => [hexId(id), { name, numeric: type !== 'string' }]));

/**
 * Settings in a device's answer: a 0x0104 parameter list (`0x0029=30;0x0010=cmnet`, decoder.ts
 * formats it) gives values; a §8.1 general response to 0x8103 (`0x8103 ok` / `0x8103 failed`)
 * confirms or refuses the pending writes.
 */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  const ack = /^0x8103 (.+)$/.exec(response.trim());
  if (ack) return ack[1] === 'ok' ? { values: {}, confirmed: pending } : { values: {}, refused: Object.fromEntries(pending.map((n) => [n, response.trim()])) };
  const values: Record<string, unknown> = {};
  for (const m of response.matchAll(/(0x[0-9a-f]{4,8})=([^;]*)/g)) {
    const s = BY_ID.get(m[1]);
    if (s) values[s.name] = s.numeric && /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
  }
  return Object.keys(values).length > 0 ? { values } : undefined;
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 10, name: 'jt808', commands: COMMANDS, settings: SETTINGS, parseSettings }];
