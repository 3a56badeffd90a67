import { z } from 'zod';
import type { SettingsService } from '../../registry/settings.js';
import { SettingPutSchema } from '../../schemas/settings.js';
import type { Route } from '../router.js';
import { listResult } from './common.js';

const SettingViewSchema = z.object({
  device_id: z.number(),
  name: z.string(),
  desired: z.unknown(),
  reported: z.unknown(),
  desired_at: z.number().nullable(),
  reported_at: z.number().nullable(),
  status: z.enum(['synced', 'pending', 'failed']),
  reason: z.string().optional(),
});

export function settingRoutes(settings: SettingsService): Route[] {
  const tag = 'settings';
  return [
    {
      method: 'GET',
      path: '/gw/devices/{sel}/settings',
      tag,
      summary: 'Desired and reported value of every setting of the device type, with status',
      result: SettingViewSchema,
      handler: async (c) => listResult(await settings.list(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'PUT',
      path: '/gw/devices/{sel}/settings/{name}',
      tag,
      summary: 'Set the desired value (schema-checked); the hub writes it to the device',
      body: SettingPutSchema,
      result: SettingViewSchema,
      handler: async (c) => ({ result: await settings.set(c.params.sel, c.params.name, c.body(), c.access) }),
    },
  ];
}
