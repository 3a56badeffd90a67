import { z } from 'zod';
import { command } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/** Optional data identifier, one character 0x41 ('A') to 0x7A ('z'); when absent it is derived from the hub command id, else `A`. */
const flag = z
  .string()
  .regex(/^[A-z]$/)
  .optional();
const plain = z.object({ flag }).strict();

const COMMANDS = [
  command(
    'custom',
    'Send a raw command (the text after the IMEI, e.g. "A10" or "C01,0,12222")',
    z.union([z.object({ text: z.string().min(1).max(1024), flag }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/), flag }).strict()]),
    [{ text: 'A10' }, { text: 'C01,0,12122' }],
  ),
  command('locate', 'Real-time location query (A10)', plain),
  command('engine_stop', 'Immobilise: output 1 on (C01,0,12222)', plain),
  command('engine_resume', 'Release: output 1 off (C01,0,02222)', plain),
  command('alarm_arm', 'Arm: output 3 on (C01,0,22122)', plain),
  command('alarm_disarm', 'Disarm: output 3 off (C01,0,22022)', plain),
  command('output_control', 'Set outputs 1-5: 0 off, 1 on, 2 unchanged (C01)', z.object({ outputs: z.string().regex(/^[012]{1,5}$/), flag }).strict(), [
    { outputs: '10' },
  ]),
  command(
    'photo',
    'Take a picture (D03); the picture is then downloaded with D00',
    z
      .object({
        camera: z.number().int().min(1).max(255).optional(),
        file: z
          .string()
          .regex(/^[\w.-]{1,64}$/)
          .optional(),
        flag,
      })
      .strict(),
    [{}, { camera: 2, file: 'camera_picture.jpg' }],
  ),
  command(
    'interval',
    'Track by time interval (A12, in tens of seconds; 0 stops)',
    z.object({ seconds: z.number().int().min(0).max(655350).multipleOf(10), flag }).strict(),
    [{ seconds: 60 }],
  ),
  command('heartbeat', 'Heartbeat report interval in minutes (A11; 0 stops)', z.object({ minutes: z.number().int().min(0).max(65535), flag }).strict(), [
    { minutes: 10 },
  ]),
  command(
    'send_sms',
    'Have the device send an SMS (C02)',
    z
      .object({
        phone: z.string().regex(/^\+?\d{3,20}$/),
        message: z
          .string()
          .max(140)
          .regex(/^[^*\r\n]*$/),
        flag,
      })
      .strict(),
    [{ phone: '15360853789', message: 'Meitrack' }],
  ),
  command('reboot', 'Restart the GSM module (F01)', plain),
  command('get_version', 'Read firmware version and serial number (E91)', plain),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 4, name: 'meitrack', commands: COMMANDS, settings: [] }];
