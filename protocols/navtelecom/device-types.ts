import { z } from 'zod';
import { command, NO_PROPERTIES } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/**
 * Navtelecom standard commands (§2; the vendor's "standard commands" table): `*!` commands and
 * `*?` queries sent in an NTCB frame to the terminal. It answers `*@<COMMAND> ...` or
 * `*#<QUERY>...`, decoded as command replies correlated by the echoed keyword. Configuration is
 * written with the vendor's configurator (no standard write command), so the type declares no
 * settings; `get_params` reads parameter values (`*?DATA`).
 */
const COMMANDS = [
  command(
    'custom',
    'Send an NTCB command or query: text (the `*!` prefix is added unless it starts with `*`), or the raw data field as hex',
    z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2}){1,1024}$/) }).strict()]),
    [{ text: '*!SETOUT 1Y,2N' }, { text: '*?VGPS' }, { text: 'BEEP 20,3,100,1000' }],
  ),
  command(
    'output_control',
    'Switch one output (*!SETOUT <n>Y on, <n>N off; answered *@SETOUT OK,...)',
    z.object({ output: z.number().int().min(1).max(16), state: z.union([z.boolean(), z.literal(0), z.literal(1)]) }).strict(),
    [{ output: 1, state: true }],
  ),
  command('engine_stop', 'Immobilise: output 1 on (*!SETOUT 1Y)', NO_PROPERTIES),
  command('engine_resume', 'Release: output 1 off (*!SETOUT 1N)', NO_PROPERTIES),
  command('reboot', 'Restart the terminal (*!DEV_RESET)', NO_PROPERTIES),
  command('version', 'Model and firmware version (*?V)', NO_PROPERTIES),
  command('get_imei', 'IMEI (*?S)', NO_PROPERTIES),
  command('get_iccid', 'SIM card ICCID (*?ICCID)', NO_PROPERTIES),
  command(
    'get_params',
    'Read parameter values by number (*?DATA n,m)',
    z.object({ ids: z.array(z.number().int().min(0).max(65535)).min(1).max(32) }).strict(),
    [{ ids: [21, 22] }],
  ),
  command('time_adjust', 'Shift the terminal clock by N seconds (*!SETTIME +N / -N)', z.object({ seconds: z.number().int().min(-86400).max(86400) }).strict(), [
    { seconds: 300 },
  ]),
  command('ussd', 'Run a USSD request, e.g. the SIM balance (*?USSD *100#)', z.object({ code: z.string().regex(/^[*#0-9]{2,32}$/) }).strict(), [
    { code: '*100#' },
  ]),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 15, name: 'navtelecom', commands: COMMANDS, settings: [] }];
