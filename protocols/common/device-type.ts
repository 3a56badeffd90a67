import { z } from 'zod';
import type { CommandDefinition, JsonSchema, SettingDefinition } from './types.js';

/** JSON Schema (2020-12) of a zod schema, without the `$schema` key (embedded in larger documents). */
export function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

export function command(
  name: string,
  title: string,
  properties: z.ZodType,
  examples: readonly Record<string, unknown>[] = [],
  address: 'connection' | 'sms' = 'connection',
): CommandDefinition {
  return { name, title, address, schema: jsonSchema(properties), examples };
}

export function setting(name: string, title: string, value: z.ZodType, read: string, write: string): SettingDefinition {
  return { name, title, schema: jsonSchema(value), read, write };
}

/** A command without properties. */
export const NO_PROPERTIES = z.object({}).strict();
