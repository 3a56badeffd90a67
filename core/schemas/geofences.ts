import { z } from 'zod';
import { IdSchema, MetadataSchema } from './common.js';

/** Largest radius, and largest corridor width, in km (half the Earth's circumference). */
export const MAX_GEOFENCE_KM = 20_000;
export const MAX_PATH_POINTS = 1024;

export const LatLonSchema = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  })
  .strict();

const KmSchema = z.number().positive().max(MAX_GEOFENCE_KM);

/** A spherical cap: every point within `radius` km (great-circle distance) of `center`. */
export const CircleSchema = z
  .object({
    type: z.literal('circle'),
    center: LatLonSchema,
    radius: KmSchema,
  })
  .strict();

/** A polygon on the lat/lon plane; the last point joins the first (closed implicitly). */
export const PolygonSchema = z
  .object({
    type: z.literal('polygon'),
    path: z.array(LatLonSchema).min(3).max(MAX_PATH_POINTS),
  })
  .strict();

/** Every point within `width / 2` km of the polyline `path` (`width` is the corridor's total width). */
export const CorridorSchema = z
  .object({
    type: z.literal('corridor'),
    path: z.array(LatLonSchema).min(2).max(MAX_PATH_POINTS),
    width: KmSchema,
  })
  .strict();

export const GeometrySchema = z.discriminatedUnion('type', [CircleSchema, PolygonSchema, CorridorSchema]);

const NameSchema = z.string().min(1).max(255);
const PrioritySchema = z.number().int();

export const GeofenceCreateSchema = z
  .object({
    name: NameSchema,
    geometry: GeometrySchema,
    priority: PrioritySchema.default(0),
    enabled: z.boolean().default(true),
    metadata: MetadataSchema.default({}),
  })
  .strict();

export const GeofenceUpdateSchema = z
  .object({
    name: NameSchema,
    geometry: GeometrySchema,
    priority: PrioritySchema,
    enabled: z.boolean(),
    metadata: MetadataSchema,
  })
  .partial()
  .strict();

export const GeofenceSchema = z.object({
  id: IdSchema,
  name: z.string(),
  geometry: GeometrySchema,
  priority: z.number().int(),
  enabled: z.boolean(),
  metadata: MetadataSchema,
});

export type LatLon = z.infer<typeof LatLonSchema>;
export type Geometry = z.infer<typeof GeometrySchema>;
export type GeofenceCreate = z.infer<typeof GeofenceCreateSchema>;
export type GeofenceUpdate = z.infer<typeof GeofenceUpdateSchema>;
export type Geofence = z.infer<typeof GeofenceSchema>;
