import { z } from 'zod';
import { IdSchema } from './common.js';

export const AclEntrySchema = z
  .object({
    /** Route prefix without the leading slash: `gw/devices`, `gw/devices/messages`, `gw/channels`, `gw/streams`, `platform/tokens`. */
    uri: z.string().regex(/^(gw|platform)(\/[a-z-]+)*$/, 'must look like gw/devices or gw/devices/messages'),
    methods: z.array(z.enum(['GET', 'POST', 'PUT', 'DELETE'])).min(1),
    /** Limit the entry to these item ids (devices, channels or streams). */
    ids: z.array(IdSchema).min(1).max(10000).optional(),
  })
  .strict();

export const TokenCreateSchema = z
  .object({
    info: z.string().max(1024).default(''),
    /** Unix seconds after which the token is refused; 0 or absent = never. */
    expire: z.number().int().min(0).default(0),
    /** No ACL = full access. */
    acl: z.array(AclEntrySchema).max(100).optional(),
  })
  .strict();

export const TokenUpdateSchema = z
  .object({ info: z.string().max(1024), expire: z.number().int().min(0), acl: z.array(AclEntrySchema).max(100).nullable() })
  .partial()
  .strict();

export const TokenSchema = z.object({
  id: IdSchema,
  info: z.string(),
  expire: z.number(),
  acl: z.array(AclEntrySchema).optional(),
  created: z.number(),
});

export type AclEntryInput = z.infer<typeof AclEntrySchema>;
export type Token = z.infer<typeof TokenSchema>;
/** The stored token: its SHA-256 hash, never the key. */
export type StoredToken = Token & { readonly hash: string };
