import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { awsHub } from '../../adapters/aws/hub.js';
import type { ApiRequest } from '../../core/api/http.js';
import type { Router } from '../../core/api/router.js';
import type { LiveFanout } from '../../core/live/fanout.js';
import { coreLogger, logger } from '../shared/powertools.js';
import { type AuthorizerContext, principalFromAuthorizer } from '../shared/principal.js';

/** API Gateway (REST, proxy integration) event → the core router's request. */
export function toApiRequest(event: APIGatewayProxyEvent): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
  const body =
    event.body === null || event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const principal = principalFromAuthorizer(event.requestContext?.authorizer as AuthorizerContext | null | undefined);
  return { method: event.httpMethod, path: event.path, query, headers, body, requestId: event.requestContext?.requestId, principal };
}

/** What a request needs: the router and, with live push on (AWS), the fan-out holding the request's interval events. */
interface ApiHandlerHub {
  readonly router: Router;
  readonly liveFanout?: Pick<LiveFanout, 'flush'>;
}

/**
 * The API function: the router's answer, after the interval events the request made (a deleted
 * interval, a changed definition's `deleted` events) went to live push as one `live` event, so a
 * client that made them sees them on the socket. Nothing is read or published when none were made
 * or none of their devices is watched (core/live/fanout.ts); a failed publish is logged, never
 * fails the request.
 */
export function makeApiHandler(getHub: () => Promise<ApiHandlerHub>) {
  return middy(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    logger.appendKeys({ correlation_id: event.requestContext?.requestId });
    const hub = await getHub();
    try {
      const res = await hub.router.handle(toApiRequest(event));
      return { statusCode: res.status, headers: res.headers, body: res.body };
    } finally {
      await hub.liveFanout?.flush();
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = makeApiHandler(() => awsHub(coreLogger));
