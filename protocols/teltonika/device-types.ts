import { z } from 'zod';
import { command, NO_PROPERTIES, setting } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

const paramId = z.union([z.string().regex(/^\d{1,6}$/), z.number().int().min(0).max(999999)]);

const COMMANDS = [
  command('custom', 'Send a text or binary Codec 12 command', z.union([z.object({ text: z.string().min(1).max(1024) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]), [{ text: 'getver' }, { hex: '03030000000185e8' }]),
  command('getparam', 'Read configuration parameters', z.object({ param: z.union([paramId, z.array(paramId).min(1).max(20)]) }).strict(), [{ param: '10000' }, { param: [2004, 2005] }]),
  command('setparam', 'Write configuration parameters', z.union([z.object({ param: paramId, value: z.union([z.string().max(256), z.number()]) }).strict(), z.object({ params: z.record(z.string().regex(/^\d{1,6}$/), z.union([z.string().max(256), z.number()])) }).strict()]), [{ param: '10000', value: 30 }, { params: { '10000': 30, '10050': 60 } }]),
  command('setdigout', 'Set digital outputs (1 on, 0 off, ? unchanged)', z.object({ outputs: z.string().regex(/^[01?]{1,4}$/) }).strict(), [{ outputs: '1?' }]),
  command('engine_stop', 'Immobilise: digital output 1 on (setdigout 1)', NO_PROPERTIES),
  command('engine_resume', 'Release: digital output 1 off (setdigout 0)', NO_PROPERTIES),
  command('getver', 'Firmware version and device info', NO_PROPERTIES),
  command('getinfo', 'Runtime information', NO_PROPERTIES),
  command('getstatus', 'Modem status', NO_PROPERTIES),
  command('getgps', 'Current GNSS data', NO_PROPERTIES),
  command('getrecord', 'Generate a record now', NO_PROPERTIES),
  command('getio', 'Read inputs and outputs', NO_PROPERTIES),
  command('readio', 'Read one IO element', z.object({ id: paramId }).strict(), [{ id: 239 }]),
  command('cpureset', 'Reboot the device', NO_PROPERTIES),
  command('deleterecords', 'Delete stored records', NO_PROPERTIES),
];

const seconds = z.number().int().min(0).max(2592000);
const SETTINGS = [
  setting('report_interval_stop', 'Record period when stopped (s), param 10000', seconds, 'getparam', 'setparam'),
  setting('report_interval_moving', 'Record period when moving (s), param 10050', seconds, 'getparam', 'setparam'),
  setting('server_domain', 'Server domain, param 2004', z.string().min(1).max(55), 'getparam', 'setparam'),
  setting('server_port', 'Server port, param 2005', z.number().int().min(1).max(65535), 'getparam', 'setparam'),
  setting('apn', 'GPRS APN, param 2001', z.string().max(32), 'getparam', 'setparam'),
  setting('ignition_source', 'Ignition source bitmask, param 101', z.number().int().min(0).max(255), 'getparam', 'setparam'),
];

/** Parameter ids behind the settings above. */
export const SETTING_PARAMS: Readonly<Record<string, number>> = {
  report_interval_stop: 10000,
  report_interval_moving: 10050,
  server_domain: 2004,
  server_port: 2005,
  apn: 2001,
  ignition_source: 101,
};

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 1, name: 'teltonika', commands: COMMANDS, settings: SETTINGS }];
