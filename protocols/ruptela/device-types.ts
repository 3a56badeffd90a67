import { z } from 'zod';
import { command, NO_PROPERTIES } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

const ascii = z.string().regex(/^[\x20-\x7e]*$/);
/** SMS password put before SMS-style commands (Ruptela SMS syntax `<password> <command>`). */
const password = z.object({ password: ascii.max(32).optional() }).strict();
const u32 = z.number().int().min(0).max(0xffffffff);
const seconds = z.number().int().min(0).max(0x7fffffff);

const COMMANDS = [
  command(
    'custom',
    'Send an SMS-style command over GPRS (text), or a complete packet (hex)',
    z.union([z.object({ text: ascii.min(1).max(1000) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: ' Setio 2,1' }, { hex: '000b890100000000007fffffff89f0' }],
  ),
  command('engine_stop', 'Immobilise (SMS "immobilizer 10"; password defaults to "pass")', password, [{}, { password: '1234' }]),
  command('engine_resume', 'Release the immobiliser (SMS "resetimmob")', password, [{}]),
  command(
    'request_photo',
    'Ask a camera for photos taken in a period (Unix seconds; defaults: source 0, the whole time range)',
    z.object({ source: z.number().int().min(0).max(255).optional(), from: seconds.optional(), to: seconds.optional() }).strict(),
    [{}, { source: 0, from: 1700000000, to: 1700003600 }],
  ),
  command('configuration', 'Send a configuration line (followed by CR LF)', z.object({ data: ascii.min(1).max(1000) }).strict()),
  command('get_version', 'Read the firmware version', NO_PROPERTIES),
  command('firmware_update', 'Start a firmware update (|FU_STRT*)', NO_PROPERTIES),
  command('output_control', 'Set a digital output (index, value as u32)', z.object({ index: u32, value: u32 }).strict(), [{ index: 1, value: 1 }]),
  command(
    'set_connection',
    'Point the device at a server over TCP',
    z.object({ server: ascii.min(1).max(64), port: z.number().int().min(1).max(65535) }).strict(),
    [{ server: 'hub.example.com', port: 5046 }],
  ),
  command('set_odometer', 'Set the virtual odometer (raw u32 in the device unit)', z.object({ value: u32 }).strict(), [{ value: 0 }]),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 7, name: 'ruptela', commands: COMMANDS, settings: [] }];
