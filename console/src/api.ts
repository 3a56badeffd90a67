import type { Session } from './session.js';

/** A failed API call: the HTTP status (0 = unreachable) and the hub's reason. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The hub has no such route (a feature this deployment does not have yet). */
  get noRoute(): boolean {
    return this.status === 404 && /^no route\b/.test(this.message);
  }

  /** The token may not do this (ACL). */
  get forbidden(): boolean {
    return this.status === 403;
  }
}

export interface Page<T> {
  readonly result: T[];
  readonly next?: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

/** The REST client: `{"result": [...]}` answers, `{"errors": [{code, reason}]}` failures. */
export class Api {
  constructor(
    readonly session: Session,
    private readonly onUnauthorized: (reason: string) => void = () => undefined,
  ) {}

  url(path: string, query?: Query): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    return `${this.session.apiUrl}${path}${s ? `?${s}` : ''}`;
  }

  private async send(method: string, path: string, body?: unknown, query?: Query): Promise<Response> {
    try {
      return await fetch(this.url(path, query), {
        method,
        headers: { authorization: `FlespiToken ${this.session.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (err) {
      throw new ApiError(0, `the hub cannot be reached at ${this.session.apiUrl || location.origin} (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  /** The failure of an answer that is not OK, with the hub's reason. */
  private failure(res: Response, json: unknown): ApiError {
    const reason = (json as { errors?: { reason?: string }[] } | undefined)?.errors?.[0]?.reason ?? `HTTP ${res.status} ${res.statusText}`;
    if (res.status === 401) this.onUnauthorized(reason);
    return new ApiError(res.status, reason);
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<Page<T>> {
    const res = await this.send(method, path, body, query);
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw this.failure(res, json);
    const page = json as Page<T> | undefined;
    if (!page || !Array.isArray(page.result)) throw new ApiError(res.status, `unexpected answer from ${path}`);
    return page;
  }

  /** A GET whose answer is a file (an export such as `?format=csv`), with the token in the header. */
  async file(path: string, query?: Query): Promise<Blob> {
    const res = await this.send('GET', path, undefined, query);
    if (res.ok) return res.blob();
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = undefined;
    }
    throw this.failure(res, json);
  }

  async get<T>(path: string, query?: Query): Promise<T[]> {
    return (await this.request<T>('GET', path, undefined, query)).result;
  }

  /** A list read where "the selector matched nothing this token may access" (404) means empty. */
  async list<T>(path: string, query?: Query): Promise<T[]> {
    try {
      return await this.get<T>(path, query);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && !err.noRoute) return [];
      throw err;
    }
  }

  /** Follows `next` cursors up to `maxPages`. */
  async all<T>(path: string, query: Query, maxPages = 20): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < maxPages; i++) {
      const page = await this.request<T>('GET', path, undefined, { ...query, cursor });
      items.push(...page.result);
      if (!page.next) return { items, truncated: false };
      cursor = page.next;
    }
    return { items, truncated: true };
  }

  async post<T>(path: string, body?: unknown): Promise<T[]> {
    return (await this.request<T>('POST', path, body)).result;
  }

  async put<T>(path: string, body: unknown): Promise<T[]> {
    return (await this.request<T>('PUT', path, body)).result;
  }

  async del<T>(path: string): Promise<T[]> {
    return (await this.request<T>('DELETE', path)).result;
  }

  /**
   * The live push socket's URL with the token (browsers cannot set headers on WebSockets): an
   * absolute `ws(s)://` URL as configured, or a path on the API's host (`/live` locally).
   * Undefined when the deployment has no push.
   */
  liveSocketUrl(liveUrl: string): string | undefined {
    if (!liveUrl) return undefined;
    const base = new URL(this.session.apiUrl || location.origin, location.href);
    const url = new URL(liveUrl, `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}`);
    url.searchParams.set('access_token', this.session.token);
    return url.toString();
  }
}

/** A short text for an error shown to the user. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return `Not allowed for this token: ${err.message}`;
    if (err.status === 0) return err.message;
    return `${err.status}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
