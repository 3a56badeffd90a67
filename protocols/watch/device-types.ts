import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';

/**
 * SeTracker Part II server commands, sent in the watch's own envelope. The watch answers each with
 * the command's word (decoded as a command reply correlated by the word). `status` (TS, §14) reads
 * the upload interval and time zone back; UPLOAD (§2) and LZ (§10) write them.
 */
const phone = z.string().regex(/^\+?\d{1,20}$/);
const minutes = z.number().int().min(-720).max(840);
const seconds = z.number().int().min(60).max(65535);
const enable = z.object({ enable: z.boolean() }).strict();

const COMMANDS = [
  command(
    'custom',
    'Send a command: content wrapped in the watch envelope (e.g. `WORKTIME,180`), a whole `[...]` frame, or hex bytes',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: 'WORK,6-9,11-13,13-15,17-19' }, { text: '[SG*8800000015*0002*CR]' }],
  ),
  command('locate', 'Position now, then every 20 s for 3 minutes (CR, §16)', NO_PROPERTIES),
  command('interval', 'Upload interval in seconds, 60-65535 (UPLOAD, §2)', z.object({ seconds }).strict(), [{ seconds: 600 }]),
  command('reboot', 'Restart the watch (RESET, §15)', NO_PROPERTIES),
  command('power_off', 'Switch the watch off (POWEROFF, §17)', NO_PROPERTIES),
  command('factory_reset', 'Restore the factory settings (FACTORY, §9)', NO_PROPERTIES),
  command('find', 'Ring the watch for a minute (FIND, §22)', NO_PROPERTIES),
  command('status', 'Read version, server, intervals and time zone (TS, §14)', NO_PROPERTIES),
  command('version', 'Read the firmware version (VERNO, §13)', NO_PROPERTIES),
  command('photo', 'Take a picture; it arrives as an img frame (rcapture, Part IV)', NO_PROPERTIES),
  command('sos_number', 'Set SOS number 1-3 (SOS<n>, §7)', z.object({ index: z.number().int().min(1).max(3).optional(), number: phone }).strict(), [
    { index: 1, number: '123456789' },
  ]),
  command('center_number', 'Set the center number (CENTER, §5)', z.object({ number: phone }).strict(), [{ number: '13800138000' }]),
  command('monitor', 'The watch calls the number silently (MONITOR, §6)', z.object({ number: phone }).strict(), [{ number: '13800138000' }]),
  command('call', 'The watch dials the number (CALL, §4)', z.object({ number: phone }).strict(), [{ number: '13800138000' }]),
  command(
    'timezone',
    'Time zone in minutes east of UTC, and the language code (LZ, §10)',
    z.object({ minutes, language: z.number().int().min(0).max(99).optional() }).strict(),
    [{ minutes: 60 }, { minutes: 345, language: 0 }],
  ),
  command('message', 'Show a text on the watch (MESSAGE, §27)', z.object({ text: z.string().min(1).max(100) }).strict(), [{ text: 'Come home' }]),
  command('voice_message', 'Play an AMR voice message (TK, §25)', z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict(), [
    { hex: '2321414d520a' },
  ]),
  command('sos_sms', 'SMS to the SOS numbers on an SOS alarm (SOSSMS, §11)', enable, [{ enable: true }]),
  command('low_battery_sms', 'SMS to the center number on low battery (LOWBAT, §12)', enable, [{ enable: false }]),
  command('remove_alarm', 'Alarm when the watch is taken off (REMOVE, §18)', enable, [{ enable: true }]),
  command(
    'fall_alarm',
    'Fall-down alarm, and whether the watch then calls the center number (FALLDOWN, Part V)',
    z.object({ enable: z.boolean(), call: z.boolean().optional() }).strict(),
    [{ enable: true, call: true }],
  ),
];

const SETTINGS = [
  setting('report_interval', 'Upload interval (s), UPLOAD', seconds, 'status', 'interval', { writeProperties: (v) => ({ seconds: v }) }),
  setting('timezone', 'Time zone offset (minutes east of UTC), LZ', minutes, 'status', 'timezone', { writeProperties: (v) => ({ minutes: v }) }),
];

/** The words that confirm a write: the watch echoes the command's word (UPLOAD, LZ). */
const CONFIRMS: Readonly<Record<string, string>> = { UPLOAD: 'report_interval', LZ: 'timezone' };

/**
 * Setting values in a watch answer: the TS status text (`upload:600;`, `zone:+01:00;`, §14), the
 * CONFIG report (`UL:600`, Part I §5), and the UPLOAD / LZ echoes that confirm a write.
 */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  const values: Record<string, unknown> = {};
  const upload = /(?:\bupload|\bUL)\s*:\s*(\d+)/.exec(response);
  if (upload) values.report_interval = Number(upload[1]);
  const zone = /\bzone\s*:\s*([+-]?)(\d{1,2})(?::(\d\d))?/i.exec(response);
  if (zone) values.timezone = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3] ?? 0));
  const word = response.split(/[,\s]/)[0].toUpperCase();
  const confirmed = pending.filter((n) => CONFIRMS[word] === n && !(n in values));
  return Object.keys(values).length + confirmed.length > 0 ? { values, confirmed } : undefined;
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 16, name: 'watch', commands: COMMANDS, settings: SETTINGS, parseSettings }];
