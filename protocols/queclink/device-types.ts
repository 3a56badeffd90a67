import { z } from 'zod';
import { command, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/** Every AT command takes the device password (default `gl300`) and an optional 4-hex serial echoed in `+ACK`. */
const password = z.string().regex(/^[0-9A-Za-z]{4,20}$/).default('gl300');
const serial = z.string().regex(/^[0-9A-Fa-f]{4}$/).optional();
const base = { password, serial };
const plain = z.object(base).strict();

const COMMANDS = [
  command('custom', 'Send raw text (an AT+GT… command ending in $) or bytes', z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]), [{ text: 'AT+GTRTO=gl300,1,,,,,,FFFF$' }]),
  command('locate', 'Report the current position now (AT+GTRTO sub-command 1, answered by +RESP:GTRTL)', plain, [{}, { password: 'gv300' }]),
  command('reboot', 'Reboot the device (AT+GTRTO sub-command 3)', plain, [{}]),
  command('get_version', 'Report device type, firmware and hardware versions (AT+GTRTO 8, answered by +RESP:GTVER)', plain, [{}]),
  command('read_config', 'Report the configuration of one command, e.g. FRI (AT+GTRTO 2, answered by +RESP:GTALS), or all of it (+RESP:GTALL)', z.object({ ...base, command: z.string().regex(/^[A-Z]{3}$/).optional() }).strict(), [{ command: 'FRI' }]),
  command('engine_stop', 'Immobilise: digital output 1 on (AT+GTOUT)', plain, [{}]),
  command('engine_resume', 'Release: digital output 1 off (AT+GTOUT)', plain, [{}]),
  command('set_report_interval', 'Fixed timing report every N seconds (AT+GTFRI, GL300-family field layout)', z.object({ ...base, interval: z.number().int().min(5).max(86400) }).strict(), [{ interval: 60 }]),
  command('set_password', 'Change the device password (AT+GTCFG field 2)', z.object({ ...base, new_password: z.string().regex(/^[0-9A-Za-z]{4,20}$/) }).strict(), [{ new_password: 'abc123' }]),
];

const SETTINGS = [
  setting('report_interval', 'Fixed report send interval (s); read with read_config {command: "FRI"} (+RESP:GTALS)', z.number().int().min(5).max(86400), 'read_config', 'set_report_interval'),
  setting('password', 'Device password used by every command; read with read_config {command: "CFG"}', z.string().regex(/^[0-9A-Za-z]{4,20}$/), 'read_config', 'set_password'),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 6, name: 'queclink', commands: COMMANDS, settings: SETTINGS }];
