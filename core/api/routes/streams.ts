import { z } from 'zod';
import type { StreamService } from '../../registry/streams.js';
import { parseOrThrow, QueryInt } from '../../schemas/common.js';
import { StreamCreateSchema, StreamSchema, StreamUpdateSchema } from '../../schemas/streams.js';
import type { Route } from '../router.js';
import { listResult } from './common.js';

const SubscriptionSchema = z.object({ stream_id: z.number(), id: z.number() });
const LogsQuery = z.object({ count: QueryInt.pipe(z.number().int().min(1).max(10000)).optional() }).strict();
const ReplayBody = z.object({ batches: z.array(z.string().min(1).max(64)).min(1).max(10000).optional() }).strict();

const tag = 'streams';

export function streamRoutes(streams: StreamService): Route[] {
  return [
    ...crudRoutes(streams),
    ...subscriptionRoutes(streams, 'device', 'devices'),
    ...subscriptionRoutes(streams, 'channel', 'channels'),
    ...deliveryRoutes(streams),
  ];
}

/** Subscriptions of streams to devices or channels. */
function subscriptionRoutes(streams: StreamService, kind: 'device' | 'channel', path: 'devices' | 'channels'): Route[] {
  return [
    {
      method: 'POST',
      path: `/gw/streams/{sel}/${path}/{target}`,
      tag,
      summary: `Subscribe streams to ${path}`,
      result: SubscriptionSchema,
      handler: async (c) => ({ result: await streams.subscribe(c.params.sel, kind, c.params.target, true, c.access) }),
    },
    {
      method: 'DELETE',
      path: `/gw/streams/{sel}/${path}/{target}`,
      tag,
      summary: `Unsubscribe streams from ${path}`,
      result: SubscriptionSchema,
      handler: async (c) => ({ result: await streams.subscribe(c.params.sel, kind, c.params.target, false, c.access) }),
    },
    {
      method: 'GET',
      path: `/gw/streams/{sel}/${path}`,
      tag,
      summary: `The ${path} streams are subscribed to`,
      result: SubscriptionSchema,
      handler: async (c) => listResult(await streams.subscribers(c.params.sel, kind, c.access), c.req.query),
    },
  ];
}

/** The streams themselves. */
function crudRoutes(streams: StreamService): Route[] {
  return [
    {
      method: 'POST',
      path: '/gw/streams',
      tag,
      summary: 'Create streams (configuration checked per type)',
      body: z.array(StreamCreateSchema),
      result: StreamSchema,
      handler: async (c) => ({ result: await streams.create(c.body()) }),
    },
    {
      method: 'GET',
      path: '/gw/streams/{sel}',
      tag,
      summary: 'Get streams with their status (last delivery, lag, buffered, errors)',
      handler: async (c) => listResult(await streams.view(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'PUT',
      path: '/gw/streams/{sel}',
      tag,
      summary: 'Change streams',
      body: StreamUpdateSchema,
      result: StreamSchema,
      handler: async (c) => ({ result: await streams.update(c.params.sel, c.body(), c.access) }),
    },
    {
      method: 'DELETE',
      path: '/gw/streams/{sel}',
      tag,
      summary: 'Delete streams, their subscriptions and buffers',
      result: StreamSchema,
      handler: async (c) => ({ result: await streams.delete(c.params.sel, c.access) }),
    },
  ];
}

/** What was delivered, and what was dropped and can be sent again. */
function deliveryRoutes(streams: StreamService): Route[] {
  return [
    {
      method: 'GET',
      path: '/gw/streams/{sel}/logs',
      tag,
      summary: 'Per-batch delivery log (read, skipped, accepted, rejected, ack_latency)',
      query: LogsQuery,
      handler: async (c) => ({ result: await streams.logs(c.params.sel, parseOrThrow(LogsQuery, c.req.query).count ?? 1000, c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/streams/{sel}/dropped',
      tag,
      summary: 'Batches dropped after queue_ttl, kept for inspection and replay',
      handler: async (c) => listResult(await streams.dropped(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'POST',
      path: '/gw/streams/{sel}/dropped/replay',
      tag,
      summary: 'Send dropped batches again (all, or {"batches": [batch ids]})',
      body: ReplayBody,
      handler: async (c) => {
        const body = c.req.body && c.req.body.trim() !== '' ? parseOrThrow(ReplayBody, c.body()) : {};
        return { result: await streams.replay(c.params.sel, body.batches, c.access) };
      },
    },
    {
      method: 'DELETE',
      path: '/gw/streams/{sel}/dropped',
      tag,
      summary: 'Discard dropped batches',
      handler: async (c) => ({ result: await streams.discardDropped(c.params.sel, c.access) }),
    },
  ];
}
