import { z } from 'zod';
import type { CommandDefinition, JsonSchema, SettingDefinition } from './types.js';

/** JSON Schema (2020-12) of a zod schema, without the `$schema` key (embedded in larger documents). */
export function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

/** A validator from a zod schema: undefined when valid, else `<path>: <reason>` of the first issue. */
export function validator(schema: z.ZodType): (value: unknown) => string | undefined {
  return (value) => {
    const r = schema.safeParse(value);
    if (r.success) return undefined;
    const issue = r.error.issues[0];
    const path = issue.path.map(String).join('.');
    const reason = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    return path ? `${path}: ${reason}` : reason;
  };
}

export function command(
  name: string,
  title: string,
  properties: z.ZodType,
  examples: readonly Record<string, unknown>[] = [],
  address: 'connection' | 'sms' = 'connection',
): CommandDefinition {
  return { name, title, address, schema: jsonSchema(properties), examples, validate: validator(properties) };
}

export function setting(
  name: string,
  title: string,
  value: z.ZodType,
  read: string,
  write: string,
  io: Pick<SettingDefinition, 'readProperties' | 'writeProperties'> = {},
): SettingDefinition {
  return { name, title, schema: jsonSchema(value), read, write, validate: validator(value), ...io };
}

/** A command without properties. */
export const NO_PROPERTIES = z.object({}).strict();
