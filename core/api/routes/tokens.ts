import { z } from 'zod';
import type { TokenService } from '../../registry/tokens.js';
import { TokenCreateSchema, TokenSchema, TokenUpdateSchema } from '../../schemas/tokens.js';
import type { Route } from '../router.js';
import { listResult } from './common.js';

export function tokenRoutes(tokens: TokenService): Route[] {
  const tag = 'tokens';
  return [
    {
      method: 'POST',
      path: '/platform/tokens',
      tag,
      summary: 'Create tokens; the key is shown only in this answer',
      body: z.array(TokenCreateSchema),
      result: TokenSchema.extend({ key: z.string() }),
      handler: async (c) => ({ result: await tokens.create(c.body()) }),
    },
    {
      method: 'GET',
      path: '/platform/tokens/{sel}',
      tag,
      summary: 'Get tokens (never their keys)',
      result: TokenSchema,
      handler: async (c) => listResult(await tokens.select(c.params.sel, c.access), c.req.query),
    },
    {
      method: 'PUT',
      path: '/platform/tokens/{sel}',
      tag,
      summary: 'Change info, expiry or ACL',
      body: TokenUpdateSchema,
      result: TokenSchema,
      handler: async (c) => ({ result: await tokens.update(c.params.sel, c.body(), c.access) }),
    },
    {
      method: 'DELETE',
      path: '/platform/tokens/{sel}',
      tag,
      summary: 'Revoke tokens',
      result: TokenSchema,
      handler: async (c) => ({ result: await tokens.delete(c.params.sel, c.access) }),
    },
  ];
}
