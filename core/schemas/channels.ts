import { z } from 'zod';
import type { ProtocolName } from '../../protocols/common/types.js';
import { protocols } from '../../protocols/index.js';
import { IdSchema, TtlSchema } from './common.js';

/** The protocols this build speaks (channels can be created for these). */
const ProtocolNameSchema = z.enum(protocols as [ProtocolName, ...ProtocolName[]]);

export const DEFAULT_CHANNEL_MESSAGES_TTL = 7 * 86400;

export const ChannelConfigurationSchema = z
  .object({
    port: z.number().int().min(1).max(65535).optional(),
    transport: z.enum(['tcp', 'udp', 'http']).optional(),
    crc: z.enum(['strict', 'lenient']).default('strict'),
    max_frame_size: z
      .number()
      .int()
      .min(64)
      .max(4 * 1024 * 1024)
      .default(65536),
    idle_timeout: z.number().int().min(10).max(86400).optional(),
    /** Protocol switches, e.g. `{"extended": true}` (Teltonika 16-byte IO) or `{"speed": "kmh"}` (OsmAnd). */
    settings: z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])).optional(),
  })
  .strict();

export const ChannelCreateSchema = z
  .object({
    name: z.string().min(1).max(255),
    protocol_name: ProtocolNameSchema.optional(),
    protocol_id: IdSchema.optional(),
    configuration: ChannelConfigurationSchema.default({ crc: 'strict', max_frame_size: 65536 }),
    /** Default: the hub's default (a week unless the deployment sets HUB_DEFAULT_CHANNEL_MESSAGES_TTL). */
    messages_ttl: TtlSchema.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((c) => c.protocol_name !== undefined || c.protocol_id !== undefined, {
    message: 'protocol_name or protocol_id is required',
    path: ['protocol_name'],
  });

export const ChannelUpdateSchema = z
  .object({
    name: z.string().min(1).max(255),
    configuration: ChannelConfigurationSchema.partial().strict(),
    messages_ttl: TtlSchema,
    enabled: z.boolean(),
  })
  .partial()
  .strict();

export const ChannelSchema = z.object({
  id: IdSchema,
  name: z.string(),
  protocol_id: IdSchema,
  protocol_name: ProtocolNameSchema,
  uri: z.string(),
  configuration: z.object({
    port: z.number().int(),
    transport: z.enum(['tcp', 'udp', 'http']),
    crc: z.enum(['strict', 'lenient']),
    max_frame_size: z.number().int(),
    idle_timeout: z.number().int().optional(),
    settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }),
  messages_ttl: z.number().int(),
  enabled: z.boolean(),
});

export type Channel = z.infer<typeof ChannelSchema>;

/** A channel as `GET /gw/channels/{sel}` answers it: with whether its listeners serve it. */
export const ChannelViewSchema = ChannelSchema.extend({
  status: z.object({ listening: z.boolean(), error: z.string().optional(), since: z.number().nullable() }),
});
