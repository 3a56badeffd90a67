import { z } from 'zod';
import type { Message } from '../../../protocols/common/types.js';
import { ValidationError } from '../../errors.js';
import type { IngestService } from '../../ingest.js';
import type { DeviceService } from '../../registry/devices.js';
import { parseOrThrow, QueryNumber } from '../../schemas/common.js';
import { DeviceCreateSchema, DeviceSchema, DeviceUpdateSchema } from '../../schemas/devices.js';
import { MessagesQuerySchema, parseMessagesQuery } from '../../schemas/messages.js';
import type { Route } from '../router.js';
import { ListQuerySchema, listResult } from './common.js';

const TelemetrySchema = z.object({ id: z.number(), telemetry: z.record(z.string(), z.object({ value: z.unknown(), ts: z.number() })) });

const Primitive = z.union([z.string().max(65536), z.number(), z.boolean(), z.null()]);
/** A message to inject: flat JSON, dotted names. */
const InjectSchema = z
  .array(
    z
      .record(
        z
          .string()
          .min(1)
          .max(128)
          .regex(/^[A-Za-z0-9_.#-]+$/, 'names are letters, digits, _ . # -'),
        z.union([Primitive, z.array(Primitive).max(1000)]),
      )
      .refine((m) => m.timestamp === undefined || typeof m.timestamp === 'number', {
        message: 'timestamp must be a number (Unix seconds)',
        path: ['timestamp'],
      }),
  )
  .min(1)
  .max(1000);
const RangeSchema = z.object({ from: QueryNumber, to: QueryNumber }).strict();

const tag = 'devices';

export function deviceRoutes(devices: DeviceService, ingest: Pick<IngestService, 'inject'>): Route[] {
  return [...crudRoutes(devices), ...historyRoutes(devices, ingest), ...telemetryRoutes(devices)];
}

/** The devices themselves. */
function crudRoutes(devices: DeviceService): Route[] {
  return [
    {
      method: 'POST',
      path: '/gw/devices',
      tag,
      summary: 'Create devices (all or none)',
      body: z.array(DeviceCreateSchema),
      result: DeviceSchema,
      handler: async (c) => ({ result: await devices.create(c.body()) }),
    },
    {
      method: 'GET',
      path: '/gw/devices/{sel}',
      tag,
      summary: 'Get devices',
      query: ListQuerySchema,
      result: DeviceSchema,
      handler: async (c) => listResult(await devices.select(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'PUT',
      path: '/gw/devices/{sel}',
      tag,
      summary: 'Change devices; a new configuration.ident swaps the hardware',
      body: DeviceUpdateSchema,
      result: DeviceSchema,
      handler: async (c) => ({ result: await devices.update(c.params.sel, c.body(), c.access) }),
    },
    {
      method: 'DELETE',
      path: '/gw/devices/{sel}',
      tag,
      summary: 'Delete devices with their history and telemetry',
      result: DeviceSchema,
      handler: async (c) => ({ result: await devices.delete(c.params.sel, c.access) }),
    },
  ];
}

/** Their message history: read, inject, delete. */
function historyRoutes(devices: DeviceService, ingest: Pick<IngestService, 'inject'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/gw/devices/{sel}/messages',
      tag,
      summary: 'Message history (from, to, count, reverse, fields, filter, cursor)',
      query: MessagesQuerySchema,
      handler: async (c) => {
        const page = await devices.messages(c.params.sel, parseMessagesQuery(c.req.query), c.access);
        return { result: page.messages, next: page.next };
      },
    },
    {
      method: 'POST',
      path: '/gw/devices/{sel}/messages',
      tag,
      summary: 'Inject messages into the history of devices (as if the devices had sent them)',
      body: InjectSchema,
      handler: async (c) => {
        const messages = parseOrThrow(InjectSchema, c.body());
        const out: { device_id: number; stored: number }[] = [];
        for (const d of await devices.select(c.params.sel, c.access)) out.push({ device_id: d.id, stored: await ingest.inject(d, messages as Message[]) });
        return { result: out };
      },
    },
    {
      method: 'DELETE',
      path: '/gw/devices/{sel}/messages',
      tag,
      summary: 'Delete the messages with from <= timestamp <= to',
      query: RangeSchema,
      handler: async (c) => {
        const q = parseOrThrow(RangeSchema, c.req.query);
        if (q.from > q.to) throw new ValidationError(`from: ${q.from} is after to (${q.to})`);
        return { result: await devices.deleteMessages(c.params.sel, q.from, q.to, c.access) };
      },
    },
  ];
}

/** The latest value of every parameter. */
function telemetryRoutes(devices: DeviceService): Route[] {
  return [
    {
      method: 'GET',
      path: '/gw/devices/{sel}/telemetry',
      tag,
      summary: 'Latest value and time of every parameter',
      result: TelemetrySchema,
      handler: async (c) => ({ result: await devices.telemetry(c.params.sel, c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/devices/{sel}/telemetry/{names}',
      tag,
      summary: 'Telemetry narrowed to parameter prefixes (comma list)',
      result: TelemetrySchema,
      handler: async (c) => ({
        result: await devices.telemetry(
          c.params.sel,
          c.access,
          c.params.names
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      }),
    },
  ];
}
