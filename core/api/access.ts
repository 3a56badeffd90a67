import { AsyncLocalStorage } from 'node:async_hooks';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { AclEntry, Principal } from './auth.js';

/** What the current request may touch: per resource (`gw/devices`...), the allowed ids (undefined = any). */
export interface RequestAccess {
  readonly principal: Principal;
  readonly ids: ReadonlyMap<string, ReadonlySet<number> | undefined>;
}

const storage = new AsyncLocalStorage<RequestAccess>();

/** Runs a handler with its access in scope (services read it through `allowedIds`). */
export function withAccess<T>(access: RequestAccess, fn: () => Promise<T>): Promise<T> {
  return storage.run(access, fn);
}

export function currentAccess(): RequestAccess | undefined {
  return storage.getStore();
}

/** `/gw/devices/{sel}/messages` → `gw/devices/messages`. */
export function canonicalUri(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '' && !p.startsWith('{'))
    .join('/');
}

/** The resource a route acts on (`gw/devices`, `platform/tokens`...): its first two segments. */
export function resourceOf(uri: string): string {
  return uri.split('/').slice(0, 2).join('/');
}

/**
 * Checks a token's ACL for a route: an entry applies when its uri is the route's or a prefix of
 * it; the method must be listed by an applying entry. Returns the allowed ids for the resource
 * (undefined when unrestricted), or throws 403.
 */
export function decide(principal: Principal, method: string, routePath: string, collection: boolean): RequestAccess {
  const uri = canonicalUri(routePath);
  const resource = resourceOf(uri);
  if (!principal.acl) return { principal, ids: new Map([[resource, undefined]]) };
  const applying = principal.acl.filter((e: AclEntry) => (uri === e.uri || uri.startsWith(`${e.uri}/`)) && e.methods.includes(method));
  if (applying.length === 0) throw new ForbiddenError(`token ${principal.tokenId} may not ${method} /${uri}`);
  const unrestricted = applying.some((e) => e.ids === undefined);
  const ids = unrestricted ? undefined : new Set(applying.flatMap((e) => e.ids ?? []));
  if (ids && collection && method === 'POST')
    throw new ForbiddenError(`token ${principal.tokenId} is limited to ${resource} ${[...ids].join(',')} and cannot create new ones`);
  return { principal, ids: new Map([[resource, ids]]) };
}

/** Ids of a resource a token may touch through any of its entries (undefined = any; empty = none). */
function idsFromAcl(principal: Principal, resource: string): ReadonlySet<number> | undefined {
  if (!principal.acl) return undefined;
  const entries = principal.acl.filter((e) => e.uri === resource || e.uri.startsWith(`${resource}/`));
  if (entries.some((e) => e.ids === undefined)) return entries.length > 0 ? undefined : new Set();
  return new Set(entries.flatMap((e) => e.ids ?? []));
}

/**
 * Narrows selected items to what the current request may touch: items named explicitly by id
 * outside the ACL are a 403; `all` and expressions are filtered (404 when nothing is left).
 */
export function scope<T extends { id: number }>(resource: string, items: readonly T[], explicitIds: readonly number[] | undefined, selector: string): T[] {
  const access = currentAccess();
  if (!access) return [...items];
  const allowed = access.ids.has(resource) ? access.ids.get(resource) : idsFromAcl(access.principal, resource);
  if (allowed === undefined) return [...items];
  if (explicitIds) {
    const denied = explicitIds.filter((id) => !allowed.has(id));
    if (denied.length > 0) throw new ForbiddenError(`token ${access.principal.tokenId} may not access ${resource} ${denied.join(',')}`);
    return [...items];
  }
  const kept = items.filter((i) => allowed.has(i.id));
  if (kept.length === 0) throw new NotFoundError(`${resource.split('/')[1]} selector "${selector}" matched nothing this token may access`);
  return kept;
}
