import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition, SettingsReport } from '../common/types.js';

/**
 * Meiligao commands (GPRS protocol V2.1 §II command list, `@@<L><ID><command><parameter>...`).
 * The tracker answers a set command with its code and a flag byte (01 done, 00 failed; 0x4102 with
 * 0x5100), a read command with its value, and 0x4101 with an ordinary position report.
 */
const seconds = z.number().int().min(0).max(655350).multipleOf(10);

const COMMANDS = [
  command(
    'custom',
    'Send a raw command: the command code (2 bytes) and its parameter, as hex',
    z.object({ hex: z.string().regex(/^[0-9a-fA-F]{4}([0-9a-fA-F]{2})*$/) }).strict(),
    [{ hex: '4101' }, { hex: '4102000a' }],
  ),
  command('locate', 'Track on demand: report the position now (0x4101)', NO_PROPERTIES),
  command('interval', 'Track by interval, in 10 s steps; 0 stops (0x4102)', z.object({ seconds }).strict(), [{ seconds: 60 }]),
  command('get_interval', 'Read the track-by-interval period (0x9002)', NO_PROPERTIES),
  command('movement_alarm', 'Movement alarm beyond a radius in m; 0 cancels (0x4106)', z.object({ radius: z.number().int().min(0).max(65535) }).strict(), [
    { radius: 1000 },
  ]),
  command('engine_stop', 'Immobilise: output A on at once (0x4115 01)', NO_PROPERTIES),
  command('engine_resume', 'Release: output A off at once (0x4115 00)', NO_PROPERTIES),
  command(
    'output_control',
    'Set outputs A-E: 0 off, 1 on, 2 unchanged; at once (0x4115) or when the speed allows (conditional, 0x4114)',
    z
      .object({
        outputs: z.string().regex(/^[012]{1,5}$/),
        conditional: z.boolean().optional(),
      })
      .strict(),
    [{ outputs: '10' }, { outputs: '22222', conditional: true }],
  ),
  command(
    'timezone',
    'Time zone of the SMS and local reports, minutes east of UTC (0x4132)',
    z.object({ minutes: z.number().int().min(-720).max(840) }).strict(),
    [{ minutes: 480 }],
  ),
  command('heartbeat', 'Heartbeat interval in minutes; 0 stops (0x5199)', z.object({ minutes: z.number().int().min(0).max(65535) }).strict(), [{ minutes: 3 }]),
  command('photo', 'Take a picture (0x4151, camera models): the picture arrives as 0x0800, 0x9988 packets and 0x9977', NO_PROPERTIES),
  command('clear_mileage', 'Reset the journey counter (0x4351)', NO_PROPERTIES),
  command('reboot', 'Restart the GPS module (0x4902)', NO_PROPERTIES),
  command('get_info', 'Read the serial number and IMEI (0x9001)', NO_PROPERTIES),
];

/** The track-by-interval period: read with 0x9002, written with 0x4102. */
const SETTINGS = [
  setting('report_interval', 'Track-by-interval period (s, multiple of 10; 0 = off), 0x4102/0x9002', seconds, 'get_interval', 'interval', {
    writeProperties: (v) => ({ seconds: v }),
  }),
];

/**
 * Setting values in a tracker's answer (the `response` of records/reply.ts): `9002,<hex u16>` is
 * the interval in 10 s units; `5100,01` confirms a pending interval write and `5100,00` refuses it.
 */
export function parseSettings(response: string, pending: readonly string[] = []): SettingsReport | undefined {
  const read = /^9002,([0-9a-f]{4})$/i.exec(response);
  if (read) return { values: { report_interval: parseInt(read[1], 16) * 10 } };
  const write = /^5100,(0[01])/i.exec(response);
  if (!write || !pending.includes('report_interval')) return undefined;
  return write[1] === '01'
    ? { values: {}, confirmed: ['report_interval'] }
    : { values: {}, refused: { report_interval: 'the tracker answered 0x5100 with 00 (failed)' } };
}

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 14, name: 'meiligao', commands: COMMANDS, settings: SETTINGS, parseSettings }];
