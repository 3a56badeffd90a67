import { z } from 'zod';
import { command, NO_PROPERTIES } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/**
 * Navtelecom NTCB commands (§2): text after `*!`, sent in an NTCB frame to the terminal; the
 * terminal answers `*@...` (a command reply, matched to the oldest command: no correlation id).
 * The protocol's configuration is written with the vendor's configurator, not read back with a
 * standard command here, so the type declares no settings.
 */
const COMMANDS = [
  command(
    'custom',
    'Send an NTCB command: text (the `*!` prefix is added unless it starts with `*`), or the raw data field as hex',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2}){1,1024}$/) }).strict()]),
    [{ text: '*!SETOUT 1Y' }, { text: 'SETOUT 2N' }],
  ),
  command(
    'output_control',
    'Switch one output (§2.2: *!SETOUT <n>Y on, <n>N off)',
    z.object({ output: z.number().int().min(1).max(16), state: z.union([z.boolean(), z.literal(0), z.literal(1)]) }).strict(),
    [{ output: 1, state: true }],
  ),
  command('engine_stop', 'Immobilise: output 1 on (*!SETOUT 1Y)', NO_PROPERTIES),
  command('engine_resume', 'Release: output 1 off (*!SETOUT 1N)', NO_PROPERTIES),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 15, name: 'navtelecom', commands: COMMANDS, settings: [] }];
