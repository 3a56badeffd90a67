import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

const seconds = z.number().int().min(1).max(86400);

/** Galileosky terminals take text commands (the same as by SMS) inside a command packet. */
const COMMANDS = [
  command(
    'custom',
    'Send a text command (or raw bytes for tag E1)',
    z.union([z.object({ text: z.string().min(1).max(255) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2}){1,255}$/) }).strict()]),
    [{ text: 'Status' }, { text: 'insys' }],
  ),
  command('status', 'Terminal status: firmware, packet number, time, fix, coordinates (Status)', NO_PROPERTIES),
  command('engine_stop', 'Immobilise: output 0 on (Out 0,1)', NO_PROPERTIES),
  command('engine_resume', 'Release: output 0 off (Out 0,0)', NO_PROPERTIES),
  command(
    'output_control',
    'Switch one output (Out n,s)',
    z.object({ output: z.number().int().min(0).max(15), state: z.union([z.boolean(), z.literal(0), z.literal(1)]) }).strict(),
    [{ output: 1, state: true }],
  ),
  command('reboot', 'Restart the terminal (Reset)', NO_PROPERTIES),
  command('get_interval', 'Read the record periods when moving and stopped (WrPeriod)', NO_PROPERTIES),
  command('set_interval', 'Record period when moving and when stopped, seconds (WrPeriod m,s)', z.object({ moving: seconds, stopped: seconds }).strict(), [
    { moving: 60, stopped: 180 },
  ]),
];

const SETTINGS = [
  setting(
    'record_period',
    'Record periods in seconds when moving and when stopped (WrPeriod)',
    z.object({ moving: seconds, stopped: seconds }).strict(),
    'get_interval',
    'set_interval',
  ),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 9, name: 'galileosky', commands: COMMANDS, settings: SETTINGS }];
