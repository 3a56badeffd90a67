import { z } from 'zod';
import type { ConnectionService, DeviceLogService } from '../../registry/connections.js';
import { parseOrThrow, QueryInt, QueryNumber } from '../../schemas/common.js';
import type { Route } from '../router.js';
import { listResult } from './common.js';

const ConnectionSchema = z.object({
  id: z.string(),
  channel_id: z.number(),
  ident: z.string().nullable(),
  peer: z.string(),
  established: z.number(),
  last_active: z.number(),
  bytes_in: z.number(),
  bytes_out: z.number(),
  frames_in: z.number(),
});
const LogsQuerySchema = z
  .object({ from: QueryNumber.optional(), to: QueryNumber.optional(), count: QueryInt.pipe(z.number().int().min(1).max(10000)).optional() })
  .strict();

export function activityRoutes(connections: ConnectionService, logs: DeviceLogService): Route[] {
  return [
    {
      method: 'GET',
      path: '/gw/channels/{sel}/connections',
      tag: 'channels',
      summary: 'Open connections of channels (ident, peer, since, traffic)',
      result: ConnectionSchema,
      handler: async (c) => listResult(await connections.list(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'DELETE',
      path: '/gw/channels/{sel}/connections/{conn}',
      tag: 'channels',
      summary: 'Close connections (all or ids)',
      result: ConnectionSchema,
      handler: async (c) => ({ result: await connections.close(c.params.sel, c.params.conn, c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/devices/{sel}/logs',
      tag: 'devices',
      summary: 'Device log: ident changes, connects, disconnects, errors, setting changes',
      query: LogsQuerySchema,
      handler: async (c) => {
        const q = parseOrThrow(LogsQuerySchema, c.req.query);
        return { result: await logs.list(c.params.sel, q.from ?? 0, q.to ?? 9999999999, q.count ?? 1000, c.access) };
      },
    },
  ];
}
