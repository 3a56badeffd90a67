import { z } from 'zod';
import type { GeofenceService } from '../../registry/geofences.js';
import { GeofenceCreateSchema, GeofenceSchema, GeofenceUpdateSchema } from '../../schemas/geofences.js';
import type { Route } from '../router.js';
import { ListQuerySchema, listResult } from './common.js';

const DeviceInsideSchema = z.object({ geofence_id: z.number(), device_id: z.number() });

export function geofenceRoutes(geofences: GeofenceService): Route[] {
  const tag = 'geofences';
  return [
    {
      method: 'POST',
      path: '/gw/geofences',
      tag,
      summary: 'Create geofences (circle, polygon, corridor; all or none)',
      body: z.array(GeofenceCreateSchema),
      result: GeofenceSchema,
      handler: async (c) => ({ result: await geofences.create(c.body()) }),
    },
    {
      method: 'GET',
      path: '/gw/geofences/{sel}',
      tag,
      summary: 'Get geofences',
      query: ListQuerySchema,
      result: GeofenceSchema,
      handler: async (c) => listResult(await geofences.select(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'PUT',
      path: '/gw/geofences/{sel}',
      tag,
      summary: 'Change geofences',
      body: GeofenceUpdateSchema,
      result: GeofenceSchema,
      handler: async (c) => ({ result: await geofences.update(c.params.sel, c.body(), c.access) }),
    },
    {
      method: 'DELETE',
      path: '/gw/geofences/{sel}',
      tag,
      summary: 'Delete geofences',
      result: GeofenceSchema,
      handler: async (c) => ({ result: await geofences.delete(c.params.sel, c.access) }),
    },
    {
      method: 'GET',
      path: '/gw/geofences/{sel}/devices',
      tag,
      summary: 'The devices inside the geofences now (by their telemetry position)',
      query: ListQuerySchema,
      result: DeviceInsideSchema,
      handler: async (c) => listResult(await geofences.devicesInside(c.params.sel, c.access), c.req.query),
    },
  ];
}
