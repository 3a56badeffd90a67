import type { Principal } from '../../core/registry/auth.js';

/** What the hub authorizer puts into API Gateway's request context (lambdas/authorizer/handler.ts). */
export interface AuthorizerContext {
  readonly tokenId?: string;
  readonly acl?: string;
}

/** The principal the authorizer approved, from the request context; undefined without one. */
export function principalFromAuthorizer(ctx: AuthorizerContext | null | undefined): Principal | undefined {
  if (!ctx?.tokenId) return undefined;
  const tokenId = ctx.tokenId === 'admin' ? ('admin' as const) : Number(ctx.tokenId);
  return { tokenId, ...(ctx.acl ? { acl: JSON.parse(ctx.acl) } : {}) };
}
