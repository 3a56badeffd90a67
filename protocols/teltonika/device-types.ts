import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';

const paramId = z.union([z.string().regex(/^\d{1,6}$/), z.number().int().min(0).max(999999)]);

const COMMANDS = [
  command(
    'custom',
    'Send a text or binary Codec 12 command',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: 'getver' }, { hex: '03030000000185e8' }],
  ),
  command('getparam', 'Read configuration parameters', z.object({ param: z.union([paramId, z.array(paramId).min(1).max(20)]) }).strict(), [
    { param: '10000' },
    { param: [2004, 2005] },
  ]),
  command(
    'setparam',
    'Write configuration parameters',
    z.union([
      z.object({ param: paramId, value: z.union([z.string().max(256), z.number()]) }).strict(),
      z.object({ params: z.record(z.string().regex(/^\d{1,6}$/), z.union([z.string().max(256), z.number()])) }).strict(),
    ]),
    [{ param: '10000', value: 30 }, { params: { '10000': 30, '10050': 60 } }],
  ),
  command('setdigout', 'Set digital outputs (1 on, 0 off, ? unchanged)', z.object({ outputs: z.string().regex(/^[01?]{1,4}$/) }).strict(), [{ outputs: '1?' }]),
  command('engine_stop', 'Immobilise: digital output 1 on (setdigout 1)', NO_PROPERTIES),
  command('engine_resume', 'Release: digital output 1 off (setdigout 0)', NO_PROPERTIES),
  command('getver', 'Firmware version and device info', NO_PROPERTIES),
  command('getinfo', 'Runtime information', NO_PROPERTIES),
  command('getstatus', 'Modem status', NO_PROPERTIES),
  command('getgps', 'Current GNSS data', NO_PROPERTIES),
  command('getrecord', 'Generate a record now', NO_PROPERTIES),
  command('getio', 'Read inputs and outputs', NO_PROPERTIES),
  command('readio', 'Read one IO element', z.object({ id: paramId }).strict(), [{ id: 239 }]),
  command('cpureset', 'Reboot the device', NO_PROPERTIES),
  command('deleterecords', 'Delete stored records', NO_PROPERTIES),
];

const seconds = z.number().int().min(0).max(2592000);

/** Settings: name, title, value schema, configuration parameter id (read with getparam, written with setparam). */
const SETTING_TABLE: readonly (readonly [name: string, title: string, schema: z.ZodType, param: number])[] = [
  ['report_interval_stop', 'Record period when stopped (s), param 10000', seconds, 10000],
  ['report_interval_moving', 'Record period when moving (s), param 10050', seconds, 10050],
  ['server_domain', 'Server domain, param 2004', z.string().min(1).max(55), 2004],
  ['server_port', 'Server port, param 2005', z.number().int().min(1).max(65535), 2005],
  ['apn', 'GPRS APN, param 2001', z.string().max(32), 2001],
  ['ignition_source', 'Ignition source bitmask, param 101', z.number().int().min(0).max(255), 101],
];

const SETTINGS = SETTING_TABLE.map(([name, title, schema, param]) =>
  setting(name, title, schema, 'getparam', 'setparam', {
    readProperties: { param: String(param) },
    writeProperties: (value) => ({ param: String(param), value: value as string | number }),
  }),
);

/** Parameter ids behind the settings above. */
const NAME_BY_PARAM = new Map(SETTING_TABLE.map(([name, , schema, param]) => [String(param), { name, numeric: schema instanceof z.ZodNumber }]));

/** Words of a firmware answer that refuses a write. */
const REFUSAL = /error|invalid|not allowed|fail|wrong|denied/i;

/**
 * Setting values in a Teltonika reply: `Param ID:10000 Value:30` (getparam, several joined by `;`)
 * and `New value 10000:30;` (setparam confirms). A reply to a write that does not confirm the
 * pending settings refuses them, with the reply text as the reason.
 */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  if (pending.length > 0 && REFUSAL.test(response)) return { values: {}, refused: Object.fromEntries(pending.map((n) => [n, response.trim()])) };
  const values: Record<string, unknown> = {};
  const put = (param: string, raw: string) => {
    const s = NAME_BY_PARAM.get(param);
    if (s) values[s.name] = s.numeric && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw.trim();
  };
  for (const m of response.matchAll(/Param ID:\s*(\d+)\s+Value:\s*([^;\r\n]*)/gi)) put(m[1], m[2]);
  const confirm = /New value\s+(.*)/i.exec(response);
  if (confirm) for (const m of confirm[1].matchAll(/(\d+):([^;\r\n]*)/g)) put(m[1], m[2]);
  const refused: Record<string, string> = {};
  for (const name of pending) if (!(name in values)) refused[name] = response.trim() || 'empty reply';
  return Object.keys(values).length > 0 || Object.keys(refused).length > 0 ? { values, refused } : undefined;
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 1, name: 'teltonika', commands: COMMANDS, settings: SETTINGS, parseSettings }];
