import type { z } from 'zod';
import { HubError, NotFoundError, PayloadTooLargeError, UnauthorizedError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Access } from '../registry/access.js';
import type { Authenticator, Principal } from '../registry/auth.js';
import { ListQuerySchema, parseOrThrow } from '../schemas/common.js';
import { decide } from './access.js';
import { type ApiRequest, type ApiResponse, errorResponse, json, MAX_BODY_BYTES, tokenFromHeader } from './http.js';

export interface RouteContext {
  readonly req: ApiRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly principal: Principal;
  /** What the request may touch: passed to every registry service call. */
  readonly access: Access;
  /** The JSON body (400 if it is not JSON). */
  body(): unknown;
}

export interface RouteResult {
  readonly result: readonly unknown[];
  readonly next?: string;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with `{name}` parameters, e.g. `/gw/devices/{sel}/messages`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly result?: z.ZodType;
  /** No token needed. */
  readonly public?: boolean;
  handler(ctx: RouteContext): Promise<RouteResult | ApiResponse>;
}

interface Compiled {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const pattern = route.path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${pattern}/?$`), names };
}

/** Routes requests to handlers: authentication, body limits, JSON, and the error envelope. */
export class Router {
  private readonly compiled: Compiled[];

  constructor(
    readonly routes: readonly Route[],
    private readonly auth: Authenticator,
    private readonly logger: Logger,
  ) {
    this.compiled = routes.map(compile);
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    try {
      return await this.dispatch(req);
    } catch (err) {
      if (err instanceof HubError) return errorResponse(err.status, err.message);
      this.logger.error('unhandled API error', {
        error: err instanceof Error ? err.stack : String(err),
        method: req.method,
        path: req.path,
        request_id: req.requestId,
      });
      return errorResponse(500, 'internal error; see the hub logs for the request id');
    }
  }

  private async dispatch(req: ApiRequest): Promise<ApiResponse> {
    const method = req.method.toUpperCase();
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(req.path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        params[n] = safeDecode(m[i + 1]);
      });
      const principal = c.route.public ? { tokenId: 'admin' as const } : (req.principal ?? (await this.authenticate(req)));
      const access = decide(principal, method, c.route.path, c.names.length === 0);
      validateRequest(c.route, req);
      const ctx: RouteContext = { req, params, principal, access, body: () => parseBody(req) };
      const out = await c.route.handler(ctx);
      if ('status' in out) return out;
      return json(200, out.next === undefined ? { result: out.result } : { result: out.result, next: out.next });
    }
    if (pathMatched) {
      const hint =
        method === 'GET' && this.compiled.some((c) => c.route.method === 'GET' && c.regex.test(`${req.path.replace(/\/$/, '')}/all`))
          ? `; GET ${req.path.replace(/\/$/, '')}/all lists them`
          : '';
      return errorResponse(405, `method ${method} is not allowed on ${req.path}${hint}`);
    }
    throw new NotFoundError(`no route ${method} ${req.path}`);
  }

  private async authenticate(req: ApiRequest): Promise<Principal> {
    const token = tokenFromHeader(req.headers.authorization);
    if (!token) throw new UnauthorizedError();
    const principal = await this.auth.authenticate(token);
    if (!principal) throw new UnauthorizedError('the token is unknown or expired');
    return principal;
  }
}

/**
 * The request is checked against the route's schemas before anything is selected (API.md
 * conventions): a bad query or body is a 400 whatever the selector matches. GET routes without
 * their own query schema take the list query (`fields`, `count`, `offset`).
 */
function validateRequest(route: Route, req: ApiRequest): void {
  const query = route.query ?? (route.method === 'GET' ? ListQuerySchema : undefined);
  if (query) parseOrThrow(query, req.query, '', 'query');
  if (route.body && (req.body ?? '').trim() !== '') parseOrThrow(route.body, parseBody(req));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ValidationError(`path segment "${s}" is not valid percent-encoding`);
  }
}

function parseBody(req: ApiRequest): unknown {
  const text = req.body ?? '';
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLargeError(`body: larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === '') throw new ValidationError('body: a JSON body is required');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`body: not valid JSON (${err instanceof Error ? err.message : 'parse error'})`);
  }
}
