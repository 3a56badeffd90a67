import { z } from 'zod';
import { command, NO_PROPERTIES } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/**
 * TK103 / GT02 commands: §3.1 frames `(<serial><command>)` and, with `sms2: true` (or for commands
 * only SMS-style clones know), `[begin]sms2,<text>,[end]`. §3.1 answers come back as §3.2 answer
 * types (BP04, BS08, BV01, BT00...), sms2 answers as ZC03 text. The spec has no command that reads
 * a configuration value back in a documented form (AP03's BP02 answer is firmware-specific), so
 * the type declares no settings.
 */
const sms2 = z.object({ sms2: z.boolean().optional() }).strict();

const COMMANDS = [
  command(
    'custom',
    'Send a raw command: text after `(<serial>` (e.g. `AP00`), a full `(...)` or `[begin]...` text, sms2 text, or hex bytes',
    z.union([
      z.object({ text: z.string().min(1).max(1024), sms2: z.boolean().optional() }).strict(),
      z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict(),
    ]),
    [{ text: 'AP00' }, { text: '*status*', sms2: true }],
  ),
  command('locate', 'Report the position now (§3.1.5 AP00, answered BP04; sms2: *getposl*)', sms2, [{}, { sms2: true }]),
  command(
    'interval',
    'Report every N seconds (§3.1.3 AR00: interval and duration as 4 hex digits each, duration 0000; answered BS08)',
    z.object({ seconds: z.number().int().min(1).max(65535) }).strict(),
    [{ seconds: 60 }],
  ),
  command('tracking_stop', 'Stop the periodic reports (§3.1.3 AR0000000000; sms2: *routetrackoff*)', sms2, [{}]),
  command('tracking_start', 'Start periodic reports at the unit interval (sms2 only: *routetrack*99*)', NO_PROPERTIES),
  command('engine_stop', 'Cut the oil/fuel line (§3.1.10 AV010, answered BV01)', NO_PROPERTIES),
  command('engine_resume', 'Restore the oil/fuel line (§3.1.10 AV011, answered BV01)', NO_PROPERTIES),
  command('output', 'Switch the circuit output (§3.1.9 AV00 + 1|0, answered BV00)', z.object({ on: z.boolean() }).strict(), [{ on: true }]),
  command('reboot', 'Restart the device (§3.1.11 AT00, answered BT00; sms2: 88888888)', sms2, [{}]),
  command('version', 'Firmware version (AP07; sms2: *about*)', sms2, [{}]),
  command('status', 'Device status text (sms2 only: *status*)', NO_PROPERTIES),
  command('identify', 'Device identification (sms2 only: 999999)', NO_PROPERTIES),
  command('power_off', 'Switch the device off (sms2 only: *turnoff*)', NO_PROPERTIES),
  command('sos_alarm', 'SOS alarm on or off (sms2 only: *soson* / *sosoff*)', z.object({ enable: z.boolean() }).strict(), [{ enable: true }]),
  command('sleep', 'Sleep mode (sms2 only: *sleep*2*, *sleepv*, *sleepoff*)', z.object({ mode: z.enum(['deep', 'power_saving', 'off']) }).strict(), [
    { mode: 'off' },
  ]),
  command('server', 'Server address (sms2 only: *setip*a*b*c*d*port*)', z.object({ host: z.ipv4(), port: z.number().int().min(1).max(65535) }).strict(), [
    { host: '1.2.3.4', port: 5002 },
  ]),
  command(
    'sos_number',
    'SOS phone number (sms2 only: *master*<password>*<phone>*, password 123456 unless given)',
    z
      .object({
        phone: z.string().regex(/^\+?\d{3,20}$/),
        password: z
          .string()
          .regex(/^\d{4,8}$/)
          .optional(),
      })
      .strict(),
    [{ phone: '+15551234567' }],
  ),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 13, name: 'tk103', commands: COMMANDS, settings: [] }];
