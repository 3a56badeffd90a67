import { ForbiddenError } from '../errors.js';
import type { AclEntry, Principal } from './auth.js';

/**
 * What a caller may touch, passed explicitly to every registry service call that selects items.
 * The API builds it from the request's token (core/api/access.ts); the hub's own work (ingest,
 * listeners, stream delivery, the local runtime) passes `SYSTEM_ACCESS`. A service never guesses:
 * there is no ambient "current request".
 */
export interface Access {
  /** Who acts, as device logs record it: a token id, `admin`, or `system` for the hub itself. */
  readonly actor: number | 'admin' | 'system';
  /** Ids of a resource (`gw/devices`, `gw/channels`...) the caller may touch; undefined: any. */
  ids(resource: string): ReadonlySet<number> | undefined;
}

/** The hub's own work: everything, recorded as `system`. */
export const SYSTEM_ACCESS: Access = { actor: 'system', ids: () => undefined };

/** Full access on behalf of a principal without an ACL (the admin token). */
export function principalAccess(principal: Principal, routeResource?: string, routeIds?: ReadonlySet<number>): Access {
  return {
    actor: principal.tokenId,
    ids: (resource) => (resource === routeResource ? routeIds : idsFromAcl(principal, resource)),
  };
}

/** Ids of a resource a token may touch through any of its entries (undefined = any; empty = none). */
function idsFromAcl(principal: Principal, resource: string): ReadonlySet<number> | undefined {
  if (!principal.acl) return undefined;
  const entries = principal.acl.filter((e: AclEntry) => e.uri === resource || e.uri.startsWith(`${resource}/`));
  if (entries.some((e) => e.ids === undefined)) return entries.length > 0 ? undefined : new Set();
  return new Set(entries.flatMap((e) => e.ids ?? []));
}

/**
 * Narrows selected items to what the caller may touch: items named explicitly by id outside its
 * ACL are a 403; `all` and patterns are filtered (possibly to nothing).
 */
export function scope<T extends { id: number }>(access: Access, resource: string, items: readonly T[], explicitIds: readonly number[] | undefined): T[] {
  const allowed = access.ids(resource);
  if (allowed === undefined) return [...items];
  if (explicitIds) {
    const denied = explicitIds.filter((id) => !allowed.has(id));
    if (denied.length > 0) throw new ForbiddenError(`token ${String(access.actor)} may not access ${resource} ${denied.join(',')}`);
    return [...items];
  }
  return items.filter((i) => allowed.has(i.id));
}
