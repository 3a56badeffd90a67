import { z } from 'zod';
import { command } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/** The command's own time (hhmmss), echoed by the device in its V4 reply. */
const time = z.string().regex(/^([01]\d|2[0-3]):?[0-5]\d:?[0-5]\d$/);
const timed = z.object({ time: time.optional() }).strict();

const COMMANDS = [
  command(
    'custom',
    'Send a raw command: full `*HQ,...#` text, text wrapped as `*HQ,<id>,<text>#`, or hex bytes',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: 'S20,000000,1,1' }, { text: '*HQ,4106012736,S71,000000,22,30#' }],
  ),
  command('engine_stop', 'Cut fuel/ignition (S20,1,1)', timed, [{}, { time: '010203' }]),
  command('engine_resume', 'Restore fuel/ignition (S20,1,0)', timed, [{}]),
  command('alarm_arm', 'Arm the alarm (SCF,0,0)', timed, [{}]),
  command('alarm_disarm', 'Disarm the alarm (SCF,1,1)', timed, [{}]),
  command(
    'interval',
    'Report interval in seconds (S71,22,<s>; D1,<s> with alternative)',
    z.object({ seconds: z.number().int().min(0).max(65535), alternative: z.boolean().optional(), time: time.optional() }).strict(),
    [{ seconds: 30 }, { seconds: 10, alternative: true }],
  ),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 3, name: 'h02', commands: COMMANDS, settings: [] }];
