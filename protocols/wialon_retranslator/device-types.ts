import type { DeviceTypeDefinition } from '../common/types.js';

/**
 * The generic device type (id = protocol id 21): a unit retranslated by a Wialon server. The
 * protocol has no commands and no settings (encoder.ts: the sender reads only the 0x11 ack);
 * commands and configuration of these units go through Wialon.
 */
export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 21, name: 'wialon_retranslator', commands: [], settings: [] }];
