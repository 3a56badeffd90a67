import { createHash, timingSafeEqual } from 'node:crypto';

/** Who is calling: a token id and what its ACL allows (no ACL = everything). */
export interface Principal {
  readonly tokenId: number | 'admin';
  readonly acl?: readonly AclEntry[];
}

export interface AclEntry {
  /** Route prefix without the leading slash, e.g. `gw/devices`. */
  readonly uri: string;
  readonly methods: readonly string[];
  readonly ids?: readonly number[];
}

export interface Authenticator {
  authenticate(token: string): Promise<Principal | undefined>;
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * The admin token from configuration: full access. Compared in constant time. The token may be
 * given as a loader (read once, on the first request).
 */
export function adminAuthenticator(adminToken: string | (() => Promise<string>)): Authenticator {
  let expected: Promise<Buffer> | undefined;
  const load = () => (expected ??= (typeof adminToken === 'string' ? Promise.resolve(adminToken) : adminToken()).then(sha256));
  return {
    async authenticate(token) {
      const want = await load().catch((err) => {
        expected = undefined;
        throw err;
      });
      return timingSafeEqual(sha256(token), want) ? { tokenId: 'admin' } : undefined;
    },
  };
}
