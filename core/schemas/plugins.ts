import { z } from 'zod';
import { IdSchema } from './common.js';

/** Plugin types (API.md, Plugins): each changes or drops a message right after decoding. */
export const PLUGIN_TYPES = ['expression', 'erase', 'static', 'geofence', 'filter', 'sanity'] as const;
export type PluginType = (typeof PLUGIN_TYPES)[number];

/**
 * Parameters every stored message carries and the hub itself relies on (DESIGN §3): plugins may
 * neither set nor erase them (an erased `timestamp` or `device.id` would break storage and queries).
 */
export const RESERVED_PARAMETERS: ReadonlySet<string> = new Set([
  'ident',
  'timestamp',
  'server.timestamp',
  'channel.id',
  'protocol.id',
  'peer',
  'device.id',
  'device.name',
  'device.type.id',
]);

const ParameterName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.#-]+$/, 'names are letters, digits, _ . # -')
  .refine((n) => !RESERVED_PARAMETERS.has(n), 'is set by the hub and cannot be changed by a plugin');
const Expression = z.string().min(1).max(1024);
const Primitive = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]);

export const ExpressionPluginSchema = z.object({ parameter: ParameterName, expression: Expression }).strict();
export const ErasePluginSchema = z
  .object({
    /** Names with `*` wildcards (`gsm.*`). */
    parameters: z
      .array(
        z
          .string()
          .min(1)
          .max(128)
          .regex(/^[A-Za-z0-9_.#*-]+$/, 'names are letters, digits, _ . # - with * wildcards'),
      )
      .min(1)
      .max(100),
  })
  .strict();
export const StaticPluginSchema = z
  .object({
    parameters: z
      .record(ParameterName, z.union([Primitive, z.array(Primitive).max(100)]))
      .refine((p) => Object.keys(p).length > 0 && Object.keys(p).length <= 100, 'between 1 and 100 parameters'),
  })
  .strict();
export const GeofencePluginSchema = z.object({ geofences: z.union([z.literal('all'), z.array(IdSchema).min(1).max(10000)]) }).strict();
export const FilterPluginSchema = z.object({ expression: Expression }).strict();
export const SanityPluginSchema = z
  .object({
    /** km/h; a position implying a faster jump from the previous one is dropped. */
    max_speed: z.number().positive().max(100_000).optional(),
    /** Drop 0/0 positions. */
    drop_zero: z.boolean().default(true),
  })
  .strict();

export const PLUGIN_CONFIG_SCHEMAS = {
  expression: ExpressionPluginSchema,
  erase: ErasePluginSchema,
  static: StaticPluginSchema,
  geofence: GeofencePluginSchema,
  filter: FilterPluginSchema,
  sanity: SanityPluginSchema,
} as const satisfies Record<PluginType, z.ZodType>;

export const PluginSchema = z.object({
  id: IdSchema,
  name: z.string(),
  type: z.enum(PLUGIN_TYPES),
  configuration: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
});
export type Plugin = z.infer<typeof PluginSchema>;

export const PluginCreateSchema = z
  .object({
    name: z.string().min(1).max(255),
    type: z.enum(PLUGIN_TYPES),
    /** Checked against the type's schema (see PLUGIN_CONFIG_SCHEMAS). */
    configuration: z.record(z.string(), z.unknown()),
    enabled: z.boolean().default(true),
  })
  .strict();

export const PluginUpdateSchema = z
  .object({
    name: z.string().min(1).max(255),
    /** Replaces the whole configuration (checked against the plugin's type). */
    configuration: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
  })
  .partial()
  .strict();

/** A device a plugin is assigned to; `GET /gw/plugins/{sel}/devices` lists them in assignment order. */
export const PluginAssignmentSchema = z.object({ plugin_id: IdSchema, device_id: IdSchema });
export type PluginAssignment = z.infer<typeof PluginAssignmentSchema>;
