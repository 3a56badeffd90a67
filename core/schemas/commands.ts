import { z } from 'zod';
import { IdSchema } from './common.js';

export const CommandStatus = ['queued', 'sent', 'replied', 'expired', 'failed', 'cancelled'] as const;

export const CommandCreateSchema = z
  .object({
    name: z.string().min(1).max(64),
    properties: z.record(z.string(), z.unknown()).default({}),
    /** Seconds the command may wait for the device. */
    ttl: z
      .number()
      .int()
      .min(1)
      .max(30 * 86400)
      .default(86400),
    /** Higher goes first. */
    priority: z.number().int().min(0).max(100).default(0),
  })
  .strict();

export const ImmediateCommandSchema = z
  .object({
    name: z.string().min(1).max(64),
    properties: z.record(z.string(), z.unknown()).default({}),
    /** Seconds to wait for the device's answer. */
    timeout: z.number().min(1).max(120).default(10),
  })
  .strict();

export const CommandSchema = z.object({
  id: IdSchema,
  device_id: IdSchema,
  name: z.string(),
  properties: z.record(z.string(), z.unknown()),
  priority: z.number().int(),
  status: z.enum(CommandStatus),
  /** Unix seconds */
  created: z.number(),
  expire: z.number(),
  sent: z.number().optional(),
  /** When the result came (Unix seconds). */
  timestamp: z.number().optional(),
  executed: z.boolean().optional(),
  response: z.string().optional(),
  /** Who queued it: a token id, `admin`, or `stream:<id>`. */
  origin: z.string().optional(),
});

export type Command = z.infer<typeof CommandSchema>;

/** The flespi-shaped command result. */
export interface CommandResult {
  readonly id: number;
  readonly device_id: number;
  readonly name: string;
  readonly properties: Record<string, unknown>;
  readonly executed: boolean;
  readonly response: string;
  readonly timestamp: number;
  readonly status: Command['status'];
}

export function toResult(c: Command): CommandResult {
  return {
    id: c.id,
    device_id: c.device_id,
    name: c.name,
    properties: c.properties,
    executed: c.executed ?? false,
    response: c.response ?? '',
    timestamp: c.timestamp ?? c.sent ?? c.created,
    status: c.status,
  };
}
