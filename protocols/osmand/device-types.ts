import { z } from 'zod';
import { command } from '../common/device-type.js';
import type { DeviceTypeDefinition } from '../common/types.js';

/** The response body is the only way back to the device: only free text (or bytes) can be sent. */
const COMMANDS = [
  command(
    'custom',
    'Text (or hex bytes) returned as the body of the 200 response to the next request',
    z.union([
      z.object({ text: z.string().min(1).max(4096) }).strict(),
      z
        .object({
          hex: z
            .string()
            .regex(/^([0-9a-fA-F]{2})+$/)
            .max(8192),
        })
        .strict(),
    ]),
    [{ text: 'hello' }, { hex: '48656c6c6f' }],
  ),
];

/** Generic OsmAnd / Traccar Client device type (id = protocol id 5). No device settings are readable or writable over HTTP. */
export const DEVICE_TYPES: readonly DeviceTypeDefinition[] = [{ id: 5, name: 'osmand', commands: COMMANDS, settings: [] }];
