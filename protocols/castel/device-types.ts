import { z } from 'zod';
import { command, NO_PROPERTIES } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

const hex = z.string().regex(/^([0-9a-fA-F]{2})*$/);

/**
 * Commands in the Castel envelope. The fuel control (0x4583, CC trackers and IDD units that honour
 * it) is the one command of Traccar's encoder; anything else goes as `custom`: a message type
 * with its content in the envelope (with the device's protocol version), or whole bytes. The
 * answer to a parameter query (custom type 0x2002) is 0xA002, which echoes the index u16 LE the
 * query content starts with: that correlates the reply. The layouts of the configuration messages
 * are not in the material the codec was built from, so the type declares no settings.
 */
const COMMANDS = [
  command(
    'custom',
    'Send a message: type (u16) and content (hex) in the @@ envelope, or whole bytes (hex)',
    z.union([z.object({ type: z.number().int().min(0).max(0xffff), data: hex.max(1900).optional() }).strict(), z.object({ hex: hex.min(2) }).strict()]),
    [{ type: 0x4583, data: '01' }, { hex: '40402000013132333435363738393031323334350000000000458301a94a0d0a' }],
  ),
  command('engine_stop', 'Cut the fuel supply: petrol control 0x4583, content 01', NO_PROPERTIES),
  command('engine_resume', 'Restore the fuel supply: petrol control 0x4583, content 00', NO_PROPERTIES),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 17, name: 'castel', commands: COMMANDS, settings: [] }];
