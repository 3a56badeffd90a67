import { z } from 'zod';
import { command, NO_PROPERTIES } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/**
 * Coban GPRS commands (§3, `**,imei:<IMEI>,<code>`). The device answers a command with a report
 * whose keyword echoes the code (`jt`, `lf`, `511`...), decoded as a command reply. The protocol
 * has no command that reads a configuration value back, so the type declares no settings.
 */
const COMMANDS = [
  command(
    'custom',
    'Send a raw command: text after `**,imei:<IMEI>,` (e.g. `H,080`), a full `**,imei:...` sentence, or hex bytes',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: 'H,080' }, { text: '**,imei:359586015829802,B' }],
  ),
  command('locate', 'Report one position now (B)', NO_PROPERTIES),
  command(
    'interval',
    'Report every N seconds (C,<NN>s|m|h: 1-99 s, whole minutes or whole hours)',
    z.object({ seconds: z.number().int().min(1).max(356400) }).strict(),
    [{ seconds: 30 }, { seconds: 300 }],
  ),
  command('tracking_stop', 'Stop the periodic reports (D)', NO_PROPERTIES),
  command('engine_stop', 'Cut oil and power (J; the device answers jt)', NO_PROPERTIES),
  command('engine_resume', 'Restore oil and power (K; the device answers kt)', NO_PROPERTIES),
  command('alarm_arm', 'Arm (L; the device answers lt, or lf when it refuses)', NO_PROPERTIES),
  command('alarm_disarm', 'Disarm (M; the device answers mt)', NO_PROPERTIES),
  command('alarm_cancel', 'Cancel the alarm (E)', NO_PROPERTIES),
  command('overspeed', 'Overspeed alarm above N km/h (H,<NNN>; the device answers ht)', z.object({ kmh: z.number().int().min(1).max(999) }).strict(), [
    { kmh: 80 },
  ]),
  command('photo', 'Take a picture (160, camera models): the parts arrive as vr reports', NO_PROPERTIES),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 11, name: 'gps103', commands: COMMANDS, settings: [] }];
