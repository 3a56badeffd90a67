import { z } from 'zod';
import type { ChannelService } from '../../registry/channels.js';
import { ChannelCreateSchema, ChannelSchema, ChannelUpdateSchema, ChannelViewSchema } from '../../schemas/channels.js';
import { MessagesQuerySchema, parseMessagesQuery } from '../../schemas/messages.js';
import type { Route } from '../router.js';
import { ListQuerySchema, listResult } from './common.js';

export function channelRoutes(channels: ChannelService): Route[] {
  const tag = 'channels';
  return [
    {
      method: 'POST',
      path: '/gw/channels',
      tag,
      summary: 'Create channels (a free port is chosen when none is given)',
      body: z.array(ChannelCreateSchema),
      result: ChannelSchema,
      handler: async (c) => ({ result: await channels.create(c.body()) }),
    },
    {
      method: 'GET',
      path: '/gw/channels/{sel}',
      tag,
      summary: 'Get channels, with whether their listeners serve them (`status`)',
      query: ListQuerySchema,
      result: ChannelViewSchema,
      handler: async (c) => listResult(await channels.view(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'PUT',
      path: '/gw/channels/{sel}',
      tag,
      summary: 'Change channels',
      body: ChannelUpdateSchema,
      result: ChannelSchema,
      handler: async (c) => ({ result: await channels.update(c.params.sel, c.body(), c.access) }),
    },
    {
      method: 'DELETE',
      path: '/gw/channels/{sel}',
      tag,
      summary: 'Delete channels (their listeners stop)',
      result: ChannelSchema,
      handler: async (c) => ({ result: await channels.delete(c.params.sel, c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/channels/{sel}/messages',
      tag,
      summary: 'Every decoded message of the channel, registered or not',
      query: MessagesQuerySchema,
      handler: async (c) => {
        const page = await channels.messages(c.params.sel, parseMessagesQuery(c.req.query), c.access);
        return { result: page.messages, next: page.next };
      },
    },
  ];
}
