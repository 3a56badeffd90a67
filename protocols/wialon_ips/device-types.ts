import { z } from 'zod';
import { command } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/**
 * Wialon IPS defines no configuration commands (its `#UC#` packet uploads a vendor-specific
 * configuration file, `#US#` a firmware image), so there are no settings, and no report interval:
 * devices are configured with their vendor's tools or SMS. Commands: a text message to the driver
 * (`#M#`) and `custom` for anything else (raw text lines or bytes, e.g. a vendor's own command).
 */
const COMMANDS = [
  command(
    'custom',
    'Send raw text (CR LF added when missing) or raw bytes',
    z.union([z.object({ text: z.string().min(1).max(4096) }).strict(), z.object({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }).strict()]),
    [{ text: '#M#Hello' }, { hex: '2350230d0a' }],
  ),
  command(
    'message',
    'Send a text message to the driver (#M#)',
    z
      .object({
        text: z
          .string()
          .min(1)
          .max(1024)
          .regex(/^[^\r\n]+$/),
      })
      .strict(),
    [{ text: 'Return to base' }],
  ),
];

export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 8, name: 'wialon_ips', commands: COMMANDS, settings: [] }];
