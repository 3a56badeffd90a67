import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';

/** RPT fields (ST310U §4-2): T1 parking, T2 driving, T3 emergency (s), A1 emergency attempts, SND_DIST (m), T4 keep-alive (s). */
const reportParameters = z
  .object({
    parking: z.number().int().min(0).max(86400),
    driving: z.number().int().min(0).max(60000),
    emergency: z.number().int().min(0).max(9999),
    attempts: z.number().int().min(0).max(99),
    distance: z.number().int().min(0).max(60000),
    keep_alive: z.number().int().min(0).max(65500),
  })
  .strict();

const COMMANDS = [
  command(
    'custom',
    'Send raw text (a `\\r` is added when missing) or bytes',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: 'ST300CMD;100850000;02;StatusReq' }, { hex: '53543330304d43443b' }],
  ),
  command('locate', 'Report the status (position) now: StatusReq (§7-2), universal 03;01; answered by a status report', NO_PROPERTIES),
  command('reboot', 'Reboot the unit: Reboot (ST310U §7-9), universal 03;03', NO_PROPERTIES),
  command('engine_stop', 'Immobilise: output 1 on (Enable1), universal 04;01', NO_PROPERTIES),
  command('engine_resume', 'Release: output 1 off (Disable1), universal 04;02', NO_PROPERTIES),
  command(
    'output',
    'Switch an output: Enable<n> / Disable<n>; universal 04;01-04, 04;09/10',
    z.object({ index: z.number().int().min(1).max(3), on: z.boolean() }).strict(),
    [
      { index: 2, on: true },
      { index: 1, on: false },
    ],
  ),
  command('read_config', 'Report the parameter settings and the device status: Preset (§7-4; legacy units)', NO_PROPERTIES),
  command('set_report_parameters', 'Report intervals, emergency attempts, distance and keep-alive: RPT (ST310U §4-2; legacy units)', reportParameters, [
    { parking: 1800, driving: 60, emergency: 60, attempts: 3, distance: 0, keep_alive: 1200 },
  ]),
];

const SETTINGS = [
  setting(
    'report_parameters',
    'RPT: parking/driving/emergency report intervals (s), emergency attempts, distance interval (m), keep-alive interval (s)',
    reportParameters,
    'read_config',
    'set_report_parameters',
    { writeProperties: (v) => ({ ...(v as Record<string, unknown>) }) },
  ),
];

/** `RPT;T1;T2;T3;A1;SND_DIST;T4;…` in a Preset answer, or the values after `<hdr>RPT;Res;<id>;<sw>;` in a write's echo. */
function rptValues(fields: readonly string[], at: number): Record<string, number> | undefined {
  const v = fields.slice(at, at + 6);
  if (v.length < 6 || !v.every((x) => /^\d+$/.test(x))) return undefined;
  const [parking, driving, emergency, attempts, distance, keep_alive] = v.map(Number);
  return { parking, driving, emergency, attempts, distance, keep_alive };
}

/**
 * Setting values in a Suntech answer: the RPT group of a `Preset` answer
 * (`ST300CMD;Res;<id>;<sw>;Preset;NTW;…;RPT;1800;80;80;3;1200;0;…`), or the echo of an RPT write
 * (`ST300RPT;Res;<id>;<sw>;180;120;60;3;0;0;…`, which confirms it). `-Error` refuses a pending write.
 */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  const text = response.trim();
  if (text.startsWith('-') && pending.length > 0) return { values: {}, refused: Object.fromEntries(pending.map((n) => [n, text])) };
  const fields = text.split(';');
  const echo = /^[A-Z]{2}\d{3,4}[A-Z]?RPT$/.test(fields[0]) && fields[1] === 'Res';
  const rpt = echo ? rptValues(fields, 4) : fields.indexOf('RPT') > 0 ? rptValues(fields, fields.indexOf('RPT') + 1) : undefined;
  if (!rpt) return undefined;
  const confirmed = echo && pending.includes('report_parameters') ? ['report_parameters'] : [];
  return { values: { report_parameters: rpt }, confirmed };
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 12, name: 'suntech', commands: COMMANDS, settings: SETTINGS, parseSettings }];
