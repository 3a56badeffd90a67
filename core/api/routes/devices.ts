import { z } from 'zod';
import type { DeviceService } from '../../registry/devices.js';
import { DeviceCreateSchema, DeviceSchema, DeviceUpdateSchema } from '../../schemas/devices.js';
import { MessagesQuerySchema, parseMessagesQuery } from '../../schemas/messages.js';
import type { Route } from '../router.js';
import { ListQuerySchema, listResult } from './common.js';

const TelemetrySchema = z.object({ id: z.number(), telemetry: z.record(z.string(), z.object({ value: z.unknown(), ts: z.number() })) });

export function deviceRoutes(devices: DeviceService): Route[] {
  const tag = 'devices';
  return [
    { method: 'POST', path: '/gw/devices', tag, summary: 'Create devices (all or none)', body: z.array(DeviceCreateSchema), result: DeviceSchema, handler: async (c) => ({ result: await devices.create(c.body()) }) },
    { method: 'GET', path: '/gw/devices/{sel}', tag, summary: 'Get devices', query: ListQuerySchema, result: DeviceSchema, handler: async (c) => listResult(await devices.select(c.params.sel), c.req.query) },
    { method: 'PUT', path: '/gw/devices/{sel}', tag, summary: 'Change devices; a new configuration.ident swaps the hardware', body: DeviceUpdateSchema, result: DeviceSchema, handler: async (c) => ({ result: await devices.update(c.params.sel, c.body(), c.principal) }) },
    { method: 'DELETE', path: '/gw/devices/{sel}', tag, summary: 'Delete devices with their history and telemetry', result: DeviceSchema, handler: async (c) => ({ result: await devices.delete(c.params.sel) }) },
    {
      method: 'GET',
      path: '/gw/devices/{sel}/messages',
      tag,
      summary: 'Message history (from, to, count, reverse, fields, filter, cursor)',
      query: MessagesQuerySchema,
      handler: async (c) => {
        const page = await devices.messages(c.params.sel, parseMessagesQuery(c.req.query));
        return { result: page.messages, next: page.next };
      },
    },
    { method: 'GET', path: '/gw/devices/{sel}/telemetry', tag, summary: 'Latest value and time of every parameter', result: TelemetrySchema, handler: async (c) => ({ result: await devices.telemetry(c.params.sel) }) },
    {
      method: 'GET',
      path: '/gw/devices/{sel}/telemetry/{names}',
      tag,
      summary: 'Telemetry narrowed to parameter prefixes (comma list)',
      result: TelemetrySchema,
      handler: async (c) => ({ result: await devices.telemetry(c.params.sel, c.params.names.split(',').map((s) => s.trim()).filter(Boolean)) }),
    },
  ];
}
