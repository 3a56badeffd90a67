/**
 * A local API Gateway for one REST API of the template, at `http://127.0.0.1:<port>/<stage>`:
 * resource and method selection, the method's authorizer (REQUEST: invoked with the identity
 * sources the template names, its answer cached per identity for the template's TTL and its policy
 * evaluated against each method ARN), the Lambda proxy integration (REST proxy event with the
 * authorizer's context in `requestContext.authorizer`), the API's gateway responses, and the
 * functions' resource policies (`AWS::Lambda::Permission`) checked before each invocation.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiAuthorizer, type ApiMethod, type ApiModel, DEFAULT_STATUS, matchResource, methodFor, policyAllows } from './api-model.js';
import type { InvokeOutcome } from './lambda-host.js';
import { ACCOUNT, isObject, REGION } from './template.js';

export interface GatewayDeps {
  readonly invoke: (functionId: string, event: unknown) => Promise<InvokeOutcome>;
  /** Why `principal` may not invoke the function from `sourceArn` (no matching Lambda permission), or undefined. */
  readonly forbidden: (functionId: string, principal: string, sourceArn: string) => string | undefined;
  readonly problem: (text: string) => void;
}

interface Incoming {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly query: Record<string, string> | null;
  readonly multiQuery: Record<string, string[]> | null;
  readonly body: string | null;
  readonly requestId: string;
}

interface Authorized {
  readonly principalId: string;
  readonly context: Record<string, unknown>;
  readonly policy: unknown;
  readonly expires: number;
}

class GatewayAnswer extends Error {
  constructor(
    readonly type: string,
    readonly text: string,
  ) {
    super(text);
    this.name = 'GatewayAnswer';
  }
}

/** Headers as the client sent them (names as written; the last of repeated values, and all of them). */
function headerMaps(raw: readonly string[]): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [name, value] = [raw[i], raw[i + 1]];
    if (name.toLowerCase() === 'connection') continue;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  return { headers, multiValueHeaders };
}

export class LocalApiGateway {
  private readonly cache = new Map<string, Authorized>();
  /** Authorizer invocations (a cached answer is not one). */
  authorizerCalls = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly api: ApiModel,
    private readonly deps: GatewayDeps,
  ) {}

  static async start(api: ApiModel, deps: GatewayDeps): Promise<LocalApiGateway> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gw = new LocalApiGateway(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/${api.stage}`, api, deps);
    server.on('request', (req, res) => void gw.handle(req, res));
    return gw;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requestId = randomUUID();
    const stagePrefix = `/${this.api.stage}`;
    if (url.pathname !== stagePrefix && !url.pathname.startsWith(`${stagePrefix}/`))
      return this.gatewayResponse(res, 'MISSING_AUTHENTICATION_TOKEN', 'Forbidden', requestId);
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) {
      query[k] = v;
      multiQuery[k] = [...(multiQuery[k] ?? []), v];
    }
    const body = Buffer.concat(chunks);
    const incoming: Incoming = {
      method: req.method ?? 'GET',
      path: url.pathname.slice(stagePrefix.length) || '/',
      ...headerMaps(req.rawHeaders),
      query: Object.keys(query).length > 0 ? query : null,
      multiQuery: Object.keys(multiQuery).length > 0 ? multiQuery : null,
      body: body.length > 0 ? body.toString('utf8') : null,
      requestId,
    };
    try {
      if (body.length > 10 * 1024 * 1024) throw new GatewayAnswer('REQUEST_TOO_LARGE', 'Request Too Long');
      await this.route(incoming, res);
    } catch (err) {
      if (err instanceof GatewayAnswer) return this.gatewayResponse(res, err.type, err.text, requestId);
      this.deps.problem(`API Gateway ${this.api.logicalId}: ${incoming.method} ${incoming.path}: ${String(err)}`);
      this.gatewayResponse(res, 'DEFAULT_5XX', 'Internal server error', requestId);
    }
  }

  private async route(r: Incoming, res: ServerResponse): Promise<void> {
    const match = matchResource(this.api.root, r.path);
    const method = match ? methodFor(match.resource, r.method) : undefined;
    if (!match || !method) throw new GatewayAnswer('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
    const arnPath = r.path.replace(/^\//, '');
    const methodArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${this.api.apiId}/${this.api.stage}/${r.method}/${arnPath}`;
    const authorizer = method.authorizationType === 'CUSTOM' ? this.api.authorizers.get(method.authorizerId ?? '') : undefined;
    if (method.authorizationType === 'CUSTOM' && !authorizer) throw new Error(`${method.logicalId}: authorizer ${method.authorizerId} is not in the API`);
    const auth = authorizer ? await this.authorize(authorizer, r, match.resource.path, match.params, methodArn) : undefined;
    if (!method.functionId) throw new Error(`${method.logicalId}: integration ${method.integrationType} is not a Lambda proxy to a function of the template`);
    const sourceArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${this.api.apiId}/${this.api.stage}/${r.method}/${match.resource.path.replace(/^\//, '')}`;
    const why = this.deps.forbidden(method.functionId, 'apigateway.amazonaws.com', sourceArn);
    if (why) {
      this.deps.problem(why);
      throw new GatewayAnswer('DEFAULT_5XX', 'Internal server error');
    }
    const event = {
      resource: match.resource.path,
      path: r.path,
      httpMethod: r.method,
      headers: r.headers,
      multiValueHeaders: r.multiValueHeaders,
      queryStringParameters: r.query,
      multiValueQueryStringParameters: r.multiQuery,
      pathParameters: Object.keys(match.params).length > 0 ? match.params : null,
      stageVariables: null,
      requestContext: this.requestContext(r, match.resource.path, auth ? { ...auth.context, principalId: auth.principalId } : undefined),
      body: r.body,
      isBase64Encoded: false,
    };
    const outcome = await Promise.race([
      this.deps.invoke(method.functionId, event),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), method.timeoutMs).unref()),
    ]);
    if (outcome === 'timeout') throw new GatewayAnswer('INTEGRATION_TIMEOUT', 'Endpoint request timed out');
    this.proxyAnswer(method, outcome, res);
  }

  private proxyAnswer(method: ApiMethod, outcome: InvokeOutcome, res: ServerResponse): void {
    const result = outcome.ok ? outcome.result : undefined;
    if (!outcome.ok || !isObject(result) || typeof result.statusCode !== 'number') {
      this.deps.problem(
        `${method.functionId} (${method.logicalId}): ${outcome.ok ? `malformed Lambda proxy response ${JSON.stringify(result)}` : `${outcome.errorType}: ${outcome.errorMessage}`}`,
      );
      throw new GatewayAnswer('DEFAULT_5XX', 'Internal server error');
    }
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(isObject(result.headers) ? result.headers : {})) headers[k] = String(v);
    for (const [k, v] of Object.entries(isObject(result.multiValueHeaders) ? result.multiValueHeaders : {})) headers[k] = (v as unknown[]).map(String);
    const body = typeof result.body === 'string' ? (result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body)) : Buffer.alloc(0);
    res.writeHead(result.statusCode, headers);
    res.end(body);
  }

  private requestContext(r: Incoming, resourcePath: string, authorizer: Record<string, unknown> | undefined) {
    return {
      accountId: ACCOUNT,
      apiId: this.api.apiId,
      stage: this.api.stage,
      requestId: r.requestId,
      resourcePath,
      httpMethod: r.method,
      path: `/${this.api.stage}${r.path}`,
      protocol: 'HTTP/1.1',
      requestTimeEpoch: Date.now(),
      identity: { sourceIp: '127.0.0.1', userAgent: Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'user-agent')?.[1] ?? null },
      ...(authorizer ? { authorizer } : {}),
    };
  }

  /** The authorizer's verdict for a request: cached per identity, its policy evaluated per method ARN. */
  private async authorize(a: ApiAuthorizer, r: Incoming, resourcePath: string, params: Record<string, string>, methodArn: string): Promise<Authorized> {
    const lower = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const identity = a.identitySources.map((s) => {
      const header = /^method\.request\.header\.(.+)$/.exec(s)?.[1];
      const query = /^method\.request\.querystring\.(.+)$/.exec(s)?.[1];
      return header ? lower[header.toLowerCase()] : query ? r.query?.[query] : undefined;
    });
    if (identity.some((v) => v === undefined || v === '')) throw new GatewayAnswer('UNAUTHORIZED', 'Unauthorized');
    const key = identity.join(',');
    let verdict = this.cache.get(key);
    if (!verdict || verdict.expires <= Date.now()) {
      verdict = await this.invokeAuthorizer(a, r, resourcePath, params, methodArn, String(identity[0]));
      if (a.ttlS > 0) this.cache.set(key, verdict);
    }
    const allowed = policyAllows(verdict.policy, methodArn);
    if (allowed === 'deny') throw new GatewayAnswer('ACCESS_DENIED', 'User is not authorized to access this resource with an explicit deny');
    if (allowed === 'none') throw new GatewayAnswer('ACCESS_DENIED', 'User is not authorized to access this resource');
    return verdict;
  }

  private async invokeAuthorizer(
    a: ApiAuthorizer,
    r: Incoming,
    resource: string,
    params: Record<string, string>,
    methodArn: string,
    token: string,
  ): Promise<Authorized> {
    const why = this.deps.forbidden(a.functionId, 'apigateway.amazonaws.com', `arn:aws:execute-api:${REGION}:${ACCOUNT}:${this.api.apiId}/authorizers/${a.id}`);
    if (why) {
      this.deps.problem(why);
      throw new GatewayAnswer('AUTHORIZER_CONFIGURATION_ERROR', 'Authorizer error');
    }
    this.authorizerCalls++;
    const event =
      a.type === 'TOKEN'
        ? { type: 'TOKEN', authorizationToken: token, methodArn }
        : {
            type: 'REQUEST',
            methodArn,
            resource,
            path: r.path,
            httpMethod: r.method,
            headers: r.headers,
            multiValueHeaders: r.multiValueHeaders,
            queryStringParameters: r.query ?? {},
            multiValueQueryStringParameters: r.multiQuery ?? {},
            pathParameters: params,
            stageVariables: {},
            requestContext: this.requestContext(r, resource, undefined),
          };
    const outcome = await this.deps.invoke(a.functionId, event);
    if (!outcome.ok && outcome.errorMessage === 'Unauthorized') throw new GatewayAnswer('UNAUTHORIZED', 'Unauthorized');
    if (!outcome.ok) {
      this.deps.problem(`authorizer ${a.functionId} failed: ${outcome.errorType}: ${outcome.errorMessage}`);
      throw new GatewayAnswer('AUTHORIZER_FAILURE', 'Authorizer error');
    }
    const result = outcome.result;
    const context = isObject(result) && isObject(result.context) ? result.context : {};
    const malformed = !isObject(result) || typeof result.principalId !== 'string' || !isObject(result.policyDocument);
    const nested = Object.entries(context).filter(([, v]) => v !== null && typeof v === 'object');
    if (malformed || nested.length > 0) {
      this.deps.problem(
        `authorizer ${a.functionId}: ${malformed ? 'no principalId or policyDocument' : `context values must be strings, numbers or booleans (${nested.map(([k]) => k).join(', ')})`}`,
      );
      throw new GatewayAnswer('AUTHORIZER_CONFIGURATION_ERROR', 'Authorizer error');
    }
    return { principalId: String(result.principalId), context, policy: result.policyDocument, expires: Date.now() + a.ttlS * 1000 };
  }

  private gatewayResponse(res: ServerResponse, type: string, message: string, requestId: string): void {
    const family = (DEFAULT_STATUS[type] ?? 500) >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const custom = this.api.responses.get(type) ?? this.api.responses.get(family);
    const status = custom?.status ?? DEFAULT_STATUS[type] ?? 500;
    const body = custom?.template
      ? custom.template
          .replaceAll('$context.error.messageString', JSON.stringify(message))
          .replaceAll('$context.error.message', message)
          .replaceAll('$context.requestId', requestId)
      : JSON.stringify({ message });
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': type, ...(custom?.headers ?? {}) });
    res.end(body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
