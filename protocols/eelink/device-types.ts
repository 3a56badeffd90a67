import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';

/** Eelink command texts (§6), sent in a §5.13 instruction package; the device answers with 0x80. */
const seconds = z.number().int().min(0).max(86400);
const minutes = z.number().int().min(-720).max(840).multipleOf(15);
const phone = z.string().regex(/^\+?\d{3,20}$/);

const COMMANDS = [
  command(
    'custom',
    'Send a command text (or raw bytes as hex) in a 0x80 instruction',
    z.union([z.object({ text: z.string().min(1).max(512) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2}){1,512}$/) }).strict()]),
    [{ text: 'STATUS#' }, { hex: '56455253494f4e23' }],
  ),
  command('locate', 'Ask for the current position: WHERE# (§6.4.6)', NO_PROPERTIES),
  command('engine_stop', 'Cut fuel/power with the relay: RELAY,1# (§6.2.7)', NO_PROPERTIES),
  command('engine_resume', 'Release the relay: RELAY,0# (§6.2.7)', NO_PROPERTIES),
  command('reboot', 'Restart the device: RESET# (§6.2.2)', NO_PROPERTIES),
  command('version', 'Read the firmware version: VERSION# (§6.4.1)', NO_PROPERTIES),
  command('params', 'Read the parameters: PARAM# (§6.4.2)', NO_PROPERTIES),
  command('status', 'Read the device status: STATUS# (§6.4.3)', NO_PROPERTIES),
  command(
    'interval',
    'Upload interval in seconds while moving [and stopped]: TIMER,<s>,<s>#; 0 stops',
    z.union([z.object({ seconds, stoppedSeconds: seconds.optional() }).strict(), z.object({ value: seconds }).strict()]),
    [{ seconds: 30 }, { seconds: 10, stoppedSeconds: 300 }],
  ),
  command(
    'timezone',
    'Device time zone, minutes east of UTC: GMT,<E|W>,<h>,<m># (§6.3.3)',
    z.union([z.object({ minutes }).strict(), z.object({ value: minutes }).strict()]),
    [{ minutes: 0 }, { minutes: 330 }],
  ),
  command(
    'sos_number',
    'Set SOS numbers: SOS,A,<n1>[,<n2>,<n3>]#; an empty list deletes them: SOS,D#',
    z.union([z.object({ number: z.union([phone, z.array(phone).max(3)]) }).strict(), z.object({ value: phone }).strict()]),
    [{ number: '+15551234567' }, { number: [] }],
  ),
  command('output', 'Set output N on or off: PORT,<state>,<mask># (§6.5.2)', z.object({ index: z.number().int().min(1).max(4), on: z.boolean() }).strict(), [
    { index: 1, on: true },
  ]),
];

const SETTINGS = [
  setting('report_interval', 'Upload interval while moving (s), TIMER', seconds, 'params', 'interval', { writeProperties: (v) => ({ seconds: v }) }),
  setting('timezone', 'Time zone offset (minutes east of UTC), GMT', minutes, 'params', 'timezone', { writeProperties: (v) => ({ minutes: v }) }),
  setting('sos_number', 'SOS phone number, SOS', phone, 'params', 'sos_number', { writeProperties: (v) => ({ number: v }) }),
];

/** How each setting reads in an answer text (`TIMER:30,300`, `GMT:E,8,0`, `SOS1:+123...`; separators vary by firmware). */
const READERS: readonly (readonly [name: string, pattern: RegExp, value: (m: RegExpExecArray) => unknown])[] = [
  ['report_interval', /TIMER\s*[:=,]\s*(\d{1,5})/i, (m) => Number(m[1])],
  [
    'timezone',
    /GMT\s*[:=,]\s*([EW])\s*,\s*(\d{1,2})(?:\s*[,:]\s*(\d{1,2}))?/i,
    (m) => (m[1].toUpperCase() === 'W' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)),
  ],
  ['sos_number', /SOS\s*\d?\s*[:=,]\s*(?:A\s*,\s*)?(\+?\d{3,20})/i, (m) => m[1]],
];
const REFUSAL = /error|fail|invalid|wrong|not support|unknown|denied/i;
const ACKNOWLEDGED = /\bok\b|success/i;

/** Setting values in an Eelink answer; a write is refused by an error text, confirmed by OK/success or by its echo. */
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

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 19, name: 'eelink', commands: COMMANDS, settings: SETTINGS, parseSettings }];
