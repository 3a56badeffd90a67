/**
 * A REST API (`AWS::ApiGateway::RestApi`) as the template defines it: its stage, resource tree,
 * methods with their authorization and Lambda proxy integrations, authorizers and gateway
 * responses; and how API Gateway picks the resource and method of a request.
 */
import { asArray, isObject, type ResolvedTemplate, TemplateError } from './template.js';

export interface ApiMethod {
  readonly logicalId: string;
  readonly httpMethod: string;
  readonly authorizationType: string;
  readonly authorizerId?: string;
  /** Lambda proxy integration: the function's logical id (other integrations are not supported). */
  readonly functionId?: string;
  readonly integrationType: string;
  readonly timeoutMs: number;
}

export interface ApiResource {
  /** Physical id. */
  readonly id: string;
  /** Path template, e.g. `/{proxy+}` (`/` for the root). */
  readonly path: string;
  readonly part: string;
  readonly children: ApiResource[];
  readonly methods: ApiMethod[];
}

export interface ApiAuthorizer {
  readonly logicalId: string;
  readonly id: string;
  readonly type: string;
  readonly functionId: string;
  /** `method.request.header.Authorization`, ... */
  readonly identitySources: readonly string[];
  readonly ttlS: number;
}

export interface GatewayResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly template?: string;
}

export interface ApiModel {
  readonly logicalId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly root: ApiResource;
  readonly authorizers: ReadonlyMap<string, ApiAuthorizer>;
  readonly responses: ReadonlyMap<string, GatewayResponse>;
}

/** The function an integration or authorizer URI (`…:lambda:path/2015-03-31/functions/<arn>/invocations`) invokes. */
function functionOfUri(t: ResolvedTemplate, uri: string): string | undefined {
  const arn = /functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1];
  return arn ? t.ownerOf(arn) : undefined;
}

export function apiModel(t: ResolvedTemplate, apiLogicalId: string): ApiModel {
  const apiId = t.ref(apiLogicalId);
  const props = (id: string) => (t.resolve(t.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
  const mine = (type: string) => t.ofType(type).filter((id) => props(id).RestApiId === apiId);
  const stageId = mine('AWS::ApiGateway::Stage')[0];
  if (!stageId) throw new TemplateError(`${apiLogicalId} has no stage`);
  const rootId = t.getAtt(apiLogicalId, 'RootResourceId');
  const root: ApiResource = { id: rootId, path: '/', part: '', children: [], methods: [] };
  const byId = new Map<string, ApiResource>([[rootId, root]]);
  const pending = mine('AWS::ApiGateway::Resource').map((id) => ({ id: t.ref(id), ParentId: props(id).ParentId, PathPart: props(id).PathPart }));
  while (pending.length > 0) {
    const i = pending.findIndex((r) => byId.has(String(r.ParentId)));
    if (i < 0) throw new TemplateError(`API resources without a parent: ${pending.map((r) => r.id).join(', ')}`);
    const [r] = pending.splice(i, 1);
    const parent = byId.get(String(r.ParentId)) as ApiResource;
    const part = String(r.PathPart);
    const child: ApiResource = { id: r.id, path: `${parent.path === '/' ? '' : parent.path}/${part}`, part, children: [], methods: [] };
    parent.children.push(child);
    byId.set(r.id, child);
  }
  for (const id of mine('AWS::ApiGateway::Method')) {
    const p = props(id);
    const integration = isObject(p.Integration) ? p.Integration : {};
    const resource = byId.get(String(p.ResourceId));
    if (!resource) throw new TemplateError(`${id}: resource ${String(p.ResourceId)} is not in the API`);
    resource.methods.push({
      logicalId: id,
      httpMethod: String(p.HttpMethod),
      authorizationType: String(p.AuthorizationType ?? 'NONE'),
      authorizerId: p.AuthorizerId === undefined ? undefined : String(p.AuthorizerId),
      integrationType: String(integration.Type ?? ''),
      functionId: integration.Type === 'AWS_PROXY' ? functionOfUri(t, String(integration.Uri ?? '')) : undefined,
      timeoutMs: Math.min(29_000, Number(integration.TimeoutInMillis ?? 29_000)),
    });
  }
  const authorizers = new Map<string, ApiAuthorizer>();
  for (const id of mine('AWS::ApiGateway::Authorizer')) {
    const p = props(id);
    const functionId = functionOfUri(t, String(p.AuthorizerUri ?? ''));
    if (!functionId) throw new TemplateError(`${id}: authorizer URI ${String(p.AuthorizerUri)} names no function of the template`);
    authorizers.set(t.ref(id), {
      logicalId: id,
      id: t.ref(id),
      type: String(p.Type),
      functionId,
      identitySources: String(p.IdentitySource ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      ttlS: Number(p.AuthorizerResultTtlInSeconds ?? 300),
    });
  }
  const responses = new Map<string, GatewayResponse>();
  for (const id of mine('AWS::ApiGateway::GatewayResponse')) {
    const p = props(id);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(isObject(p.ResponseParameters) ? p.ResponseParameters : {}))
      if (k.startsWith('gatewayresponse.header.')) headers[k.slice('gatewayresponse.header.'.length)] = String(v).replace(/^'(.*)'$/, '$1');
    const templates = isObject(p.ResponseTemplates) ? p.ResponseTemplates : {};
    responses.set(String(p.ResponseType), {
      status: Number(p.StatusCode ?? DEFAULT_STATUS[String(p.ResponseType)] ?? 500),
      headers,
      template: templates['application/json'] === undefined ? undefined : String(templates['application/json']),
    });
  }
  return { logicalId: apiLogicalId, apiId, stage: String(props(stageId).StageName), root, authorizers, responses };
}

/** Default status of API Gateway's own responses. */
export const DEFAULT_STATUS: Record<string, number> = {
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  AUTHORIZER_FAILURE: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  BAD_GATEWAY: 502,
  INTEGRATION_TIMEOUT: 504,
  INTEGRATION_FAILURE: 504,
  REQUEST_TOO_LARGE: 413,
  THROTTLED: 429,
};

/** The resource a path selects (exact parts before `{param}` before `{proxy+}`), with the path parameters. */
export function matchResource(root: ApiResource, path: string): { resource: ApiResource; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  const walk = (node: ApiResource, i: number, params: Record<string, string>): { resource: ApiResource; params: Record<string, string> } | undefined => {
    if (i === parts.length) return { resource: node, params };
    const ranked = [
      ...node.children.filter((c) => c.part === parts[i]),
      ...node.children.filter((c) => /^\{[^+]+\}$/.test(c.part)),
      ...node.children.filter((c) => /^\{.+\+\}$/.test(c.part)),
    ];
    for (const c of ranked) {
      if (/^\{.+\+\}$/.test(c.part)) return { resource: c, params: { ...params, [c.part.slice(1, -2)]: parts.slice(i).join('/') } };
      const next = c.part.startsWith('{') ? { ...params, [c.part.slice(1, -1)]: parts[i] } : params;
      const found = walk(c, i + 1, next);
      if (found) return found;
    }
    return undefined;
  };
  return walk(root, 0, {});
}

export function methodFor(resource: ApiResource, httpMethod: string): ApiMethod | undefined {
  return resource.methods.find((m) => m.httpMethod === httpMethod) ?? resource.methods.find((m) => m.httpMethod === 'ANY');
}

/** Whether an authorizer's policy allows `execute-api:Invoke` on a method ARN (explicit Deny wins). */
export function policyAllows(policy: unknown, methodArn: string): 'allow' | 'deny' | 'none' {
  const statements = isObject(policy) ? asArray(policy.Statement) : [];
  const matches = (s: Record<string, unknown>) =>
    asArray(s.Action).some((a) => typeof a === 'string' && /^(execute-api:(Invoke|\*)|\*)$/.test(a)) &&
    asArray(s.Resource).some(
      (r) =>
        typeof r === 'string' &&
        new RegExp(
          `^${r
            .split('*')
            .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ).test(methodArn),
    );
  const applying = statements.filter((s): s is Record<string, unknown> => isObject(s) && matches(s));
  if (applying.some((s) => s.Effect === 'Deny')) return 'deny';
  return applying.some((s) => s.Effect === 'Allow') ? 'allow' : 'none';
}
