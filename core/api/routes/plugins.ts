import { z } from 'zod';
import type { PluginService } from '../../registry/plugins.js';
import { PluginAssignmentSchema, PluginCreateSchema, PluginSchema, PluginUpdateSchema } from '../../schemas/plugins.js';
import type { Route } from '../router.js';
import { ListQuerySchema, listResult } from './common.js';

export function pluginRoutes(plugins: PluginService): Route[] {
  const tag = 'plugins';
  return [
    {
      method: 'POST',
      path: '/gw/plugins',
      tag,
      summary: 'Create plugins (expression, erase, static, geofence, filter, sanity; all or none)',
      body: z.array(PluginCreateSchema),
      result: PluginSchema,
      handler: async (c) => ({ result: await plugins.create(c.body()) }),
    },
    {
      method: 'GET',
      path: '/gw/plugins/{sel}',
      tag,
      summary: 'Get plugins',
      query: ListQuerySchema,
      result: PluginSchema,
      handler: async (c) => listResult(await plugins.select(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'PUT',
      path: '/gw/plugins/{sel}',
      tag,
      summary: 'Change plugins (a new configuration replaces the old one)',
      body: PluginUpdateSchema,
      result: PluginSchema,
      handler: async (c) => ({ result: await plugins.update(c.params.sel, c.body(), c.access) }),
    },
    {
      method: 'DELETE',
      path: '/gw/plugins/{sel}',
      tag,
      summary: 'Delete plugins and their assignments',
      result: PluginSchema,
      handler: async (c) => ({ result: await plugins.delete(c.params.sel, c.access) }),
    },
    {
      method: 'POST',
      path: '/gw/plugins/{sel}/devices/{target}',
      tag,
      summary: "Assign plugins to devices (a device's plugins apply in assignment order)",
      result: PluginAssignmentSchema,
      handler: async (c) => ({ result: await plugins.assign(c.params.sel, c.params.target, true, c.access) }),
    },
    {
      method: 'DELETE',
      path: '/gw/plugins/{sel}/devices/{target}',
      tag,
      summary: 'Unassign plugins from devices',
      result: PluginAssignmentSchema,
      handler: async (c) => ({ result: await plugins.assign(c.params.sel, c.params.target, false, c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/plugins/{sel}/devices',
      tag,
      summary: 'The devices of plugins, in assignment order',
      query: ListQuerySchema,
      result: PluginAssignmentSchema,
      handler: async (c) => listResult(await plugins.devices(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'GET',
      path: '/gw/devices/{sel}/plugins',
      tag,
      summary: "The plugins of devices, each device's in assignment order (the order they apply in)",
      query: ListQuerySchema,
      result: PluginAssignmentSchema,
      handler: async (c) => listResult(await plugins.ofDevices(c.params.sel, c.access), c.req.query),
    },
  ];
}
