import { z } from 'zod';
import type { CommandService } from '../../registry/commands.js';
import { CommandCreateSchema, CommandSchema, ImmediateCommandSchema } from '../../schemas/commands.js';
import type { Route } from '../router.js';
import { listResult } from './common.js';

const ResultSchema = z.object({
  id: z.number(),
  device_id: z.number(),
  name: z.string(),
  properties: z.record(z.string(), z.unknown()),
  executed: z.boolean(),
  response: z.string(),
  timestamp: z.number(),
  status: z.string(),
});

export function commandRoutes(commands: CommandService): Route[] {
  const tag = 'commands';
  return [
    {
      method: 'POST',
      path: '/gw/devices/{sel}/commands-queue',
      tag,
      summary: 'Queue commands (properties checked against the device type)',
      body: z.array(CommandCreateSchema),
      result: CommandSchema,
      handler: async (c) => ({ result: await commands.queue(c.params.sel, c.body(), c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/devices/{sel}/commands-queue',
      tag,
      summary: 'Commands waiting for delivery',
      result: CommandSchema,
      handler: async (c) => listResult(await commands.listQueue(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'DELETE',
      path: '/gw/devices/{sel}/commands-queue/{cmd}',
      tag,
      summary: 'Cancel queued commands (all or ids)',
      result: CommandSchema,
      handler: async (c) => ({ result: await commands.cancel(c.params.sel, c.params.cmd, c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/devices/{sel}/commands-result',
      tag,
      summary: 'Results of sent commands',
      result: ResultSchema,
      handler: async (c) => listResult(await commands.results(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'POST',
      path: '/gw/devices/{sel}/commands',
      tag,
      summary: 'Send to a connected device now and wait for its answer (timeout s)',
      body: z.array(ImmediateCommandSchema),
      result: ResultSchema,
      handler: async (c) => ({ result: await commands.sendNow(c.params.sel, c.body(), c.access) }),
    },
  ];
}
