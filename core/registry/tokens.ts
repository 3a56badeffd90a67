import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { TtlCache } from '../cache.js';
import type { Clock, IdGenerator, TokenRepository } from '../ports.js';
import { parseOrThrow } from '../schemas/common.js';
import { type StoredToken, type Token, TokenCreateSchema, TokenUpdateSchema } from '../schemas/tokens.js';
import type { Access } from './access.js';
import { type Authenticator, adminAuthenticator, type Principal, sha256 } from './auth.js';
import { select } from './selectors.js';

/** Platform tokens: keys are shown once at creation and stored only as SHA-256 hashes. */
export class TokenService {
  constructor(
    private readonly repo: TokenRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async create(body: unknown): Promise<(Token & { key: string })[]> {
    const items = parseOrThrow(z.array(TokenCreateSchema).min(1).max(100), body);
    const out: (Token & { key: string })[] = [];
    for (const item of items) {
      const key = randomBytes(32).toString('base64url');
      const token: StoredToken = {
        id: await this.ids.next('token'),
        info: item.info,
        expire: item.expire,
        ...(item.acl ? { acl: item.acl } : {}),
        created: this.clock.now(),
        hash: sha256(key).toString('hex'),
      };
      await this.repo.create(token);
      out.push({ ...publicView(token), key });
    }
    return out;
  }

  async select(selector: string, access: Access): Promise<Token[]> {
    const found = await select({
      text: selector,
      what: 'token',
      resource: 'platform/tokens',
      access,
      list: () => this.repo.list(),
      get: (id) => this.repo.get(id),
    });
    return found.map(publicView);
  }

  async update(selector: string, body: unknown, access: Access): Promise<Token[]> {
    const patch = parseOrThrow(TokenUpdateSchema, body);
    const out: Token[] = [];
    for (const t of await this.select(selector, access)) {
      const stored = await this.repo.get(t.id);
      if (!stored) continue; // deleted since it was selected
      const { acl, ...rest } = patch;
      const next: StoredToken = { ...stored, ...rest };
      if (acl === null) delete (next as { acl?: unknown }).acl;
      else if (acl !== undefined) (next as { acl?: unknown }).acl = acl;
      await this.repo.update(next);
      out.push(publicView(next));
    }
    return out;
  }

  async delete(selector: string, access: Access): Promise<Token[]> {
    const targets = await this.select(selector, access);
    for (const t of targets) {
      const stored = await this.repo.get(t.id);
      if (stored) await this.repo.delete(stored);
    }
    return targets;
  }

  /** A principal for a key, if it names a token that has not expired. */
  async principalFor(key: string): Promise<Principal | undefined> {
    const token = await this.repo.findByHash(sha256(key).toString('hex'));
    if (!token || (token.expire > 0 && token.expire <= this.clock.now())) return undefined;
    return { tokenId: token.id, ...(token.acl ? { acl: token.acl } : {}) };
  }
}

function publicView(t: StoredToken): Token {
  const { hash: _hash, ...rest } = t;
  return rest;
}

/**
 * The admin token (full access, from configuration) or a platform token. Lookups are cached for
 * `cacheMs` (a deleted token may keep working that long; API Gateway's authorizer cache adds its TTL).
 */
export function tokenAuthenticator(admin: string | (() => Promise<string>), tokens: TokenService, cacheMs = 10_000): Authenticator {
  const adminAuth = adminAuthenticator(admin);
  const cache = new TtlCache<string, Principal | undefined>(cacheMs, 10_000);
  return {
    async authenticate(key) {
      return (await adminAuth.authenticate(key)) ?? (await cache.get(key, (k) => tokens.principalFor(k)));
    },
  };
}
