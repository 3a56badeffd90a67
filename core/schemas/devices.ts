import { z } from 'zod';
import { IdentSchema, IdSchema, MetadataSchema, TtlSchema } from './common.js';

export const DEFAULT_DEVICE_MESSAGES_TTL = 365 * 86400;

export const DeviceConfigurationSchema = z
  .object({
    ident: IdentSchema,
    phone: z.string().max(32).optional(),
    password: z.string().max(64).optional(),
  })
  .strict();

export const DeviceCreateSchema = z
  .object({
    name: z.string().min(1).max(255),
    configuration: DeviceConfigurationSchema,
    device_type_id: IdSchema.nullish(),
    /** Default: the hub's default (one year unless the deployment sets HUB_DEFAULT_DEVICE_MESSAGES_TTL). */
    messages_ttl: TtlSchema.optional(),
    enabled: z.boolean().default(true),
    metadata: MetadataSchema.default({}),
  })
  .strict();

export const DeviceUpdateSchema = z
  .object({
    name: z.string().min(1).max(255),
    configuration: DeviceConfigurationSchema.partial().strict(),
    device_type_id: IdSchema.nullable(),
    messages_ttl: TtlSchema,
    enabled: z.boolean(),
    metadata: MetadataSchema,
  })
  .partial()
  .strict();

export const DeviceSchema = z.object({
  id: IdSchema,
  name: z.string(),
  configuration: DeviceConfigurationSchema,
  device_type_id: IdSchema.nullable(),
  protocol_id: IdSchema.nullable(),
  messages_ttl: z.number().int(),
  enabled: z.boolean(),
  metadata: MetadataSchema,
});

export type Device = z.infer<typeof DeviceSchema>;
