import { ForbiddenError } from '../errors.js';
import { type Access, principalAccess } from '../registry/access.js';
import type { AclEntry, Principal } from '../registry/auth.js';

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
 * it; the method must be listed by an applying entry. Returns what the request may touch (passed
 * to the registry services explicitly), or throws 403.
 */
export function decide(principal: Principal, method: string, routePath: string, collection: boolean): Access {
  const uri = canonicalUri(routePath);
  const resource = resourceOf(uri);
  if (!principal.acl) return principalAccess(principal);
  const applying = principal.acl.filter((e: AclEntry) => (uri === e.uri || uri.startsWith(`${e.uri}/`)) && e.methods.includes(method));
  if (applying.length === 0) throw new ForbiddenError(`token ${principal.tokenId} may not ${method} /${uri}`);
  const unrestricted = applying.some((e) => e.ids === undefined);
  const ids = unrestricted ? undefined : new Set(applying.flatMap((e) => e.ids ?? []));
  if (ids && collection && method === 'POST')
    throw new ForbiddenError(`token ${principal.tokenId} is limited to ${resource} ${[...ids].join(',')} and cannot create new ones`);
  return principalAccess(principal, resource, ids);
}
