import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';

/** Concox command text, sent inside a 0x80 packet (the device answers with 0x15 or 0x21). */
const seconds = z.number().int().min(5).max(18000);
const minutes = z.number().int().min(-720).max(840).multipleOf(15);
const phone = z.string().regex(/^\+?\d{3,20}$/);

const COMMANDS = [
  command(
    'custom',
    'Send a command text (or raw bytes as hex) in a 0x80 packet',
    z.union([z.object({ text: z.string().min(1).max(245) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2}){1,245}$/) }).strict()]),
    [{ text: 'STATUS#' }, { hex: '53544154555323' }],
  ),
  command('engine_stop', 'Cut fuel/power: Relay,1#', NO_PROPERTIES),
  command('engine_resume', 'Restore fuel/power: Relay,0#', NO_PROPERTIES),
  command('reboot', 'Restart the device: RESET#', NO_PROPERTIES),
  command('locate', 'Ask for the current position: WHERE#', NO_PROPERTIES),
  command(
    'interval',
    'Upload interval in seconds, ACC on [and off]: TIMER,<s>[,<s>]#',
    z.union([z.object({ seconds, stoppedSeconds: seconds.optional() }).strict(), z.object({ value: seconds }).strict()]),
    [{ seconds: 30 }, { seconds: 10, stoppedSeconds: 300 }],
  ),
  command(
    'timezone',
    'Device time zone, minutes east of UTC: GMT,<E|W>,<h>,<m>#',
    z.union([z.object({ minutes }).strict(), z.object({ value: minutes }).strict()]),
    [{ minutes: 0 }, { minutes: -210 }],
  ),
  command(
    'sos_number',
    'Add SOS numbers: SOS,A,<n1>[,<n2>,<n3>]#',
    z.union([z.object({ number: z.union([phone, z.array(phone).min(1).max(3)]) }).strict(), z.object({ value: phone }).strict()]),
    [{ number: '+15551234567' }],
  ),
  command('get_interval', 'Read the upload interval: TIMER#', NO_PROPERTIES),
  command('get_timezone', 'Read the time zone: GMT#', NO_PROPERTIES),
  command('get_sos_number', 'Read the SOS numbers: SOS#', NO_PROPERTIES),
  command('params', 'Read the parameter summary: PARAM#', NO_PROPERTIES),
  command('status', 'Read the device status: STATUS#', NO_PROPERTIES),
  command('version', 'Read the firmware version: VERSION#', NO_PROPERTIES),
];

const SETTINGS = [
  setting('report_interval', 'Upload interval while moving (s), TIMER', seconds, 'get_interval', 'interval', { writeProperties: (v) => ({ seconds: v }) }),
  setting('timezone', 'Time zone offset (minutes east of UTC), GMT', minutes, 'get_timezone', 'timezone', { writeProperties: (v) => ({ minutes: v }) }),
  setting('sos_number', 'SOS phone number, SOS', phone, 'get_sos_number', 'sos_number', { writeProperties: (v) => ({ number: v }) }),
];

/** How each setting reads in a reply text: the firmware echoes `TIMER:30`, `GMT:E,8,0`, `SOS1:+123...` (separators vary). */
const READERS: readonly (readonly [name: string, pattern: RegExp, value: (m: RegExpExecArray) => unknown])[] = [
  ['report_interval', /TIMER\s*[:=,]\s*(\d+)/i, (m) => Number(m[1])],
  [
    'timezone',
    /GMT\s*[:=,]\s*([EW])\s*,\s*(\d{1,2})(?:\s*[,:]\s*(\d{1,2}))?/i,
    (m) => (m[1].toUpperCase() === 'W' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)),
  ],
  ['sos_number', /SOS\s*\d?\s*[:=,]\s*(?:A\s*,\s*)?(\+?\d{3,20})/i, (m) => m[1]],
];
const REFUSAL = /error|fail|invalid|wrong|not support|unknown|denied/i;
const ACKNOWLEDGED = /\bok\b|success/i;

/** Setting values in a GT06 reply; a write is refused by an error text, confirmed by OK/success or by its echo. */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  const values: Record<string, unknown> = {};
  for (const [name, pattern, read] of READERS) {
    const m = pattern.exec(response);
    if (m) values[name] = read(m);
  }
  const open = pending.filter((n) => !(n in values));
  const refused = REFUSAL.test(response) ? Object.fromEntries(open.map((n) => [n, response.trim()])) : {};
  const confirmed = !REFUSAL.test(response) && ACKNOWLEDGED.test(response) ? open : [];
  return Object.keys(values).length + Object.keys(refused).length + confirmed.length > 0 ? { values, refused, confirmed } : undefined;
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 2, name: 'gt06', commands: COMMANDS, settings: SETTINGS, parseSettings }];
