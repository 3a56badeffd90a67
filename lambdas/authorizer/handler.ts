import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { awsHub } from '../../adapters/aws/hub.js';
import { tokenFromHeader } from '../../core/api/http.js';
import type { Authenticator } from '../../core/registry/auth.js';
import { coreLogger, logger } from '../shared/powertools.js';

/**
 * API Gateway REQUEST authorizer, for the REST API and for the live WebSocket API's `$connect`:
 * `Authorization: FlespiToken|Bearer <token>` or, for WebSockets (browsers cannot set headers on
 * them), `?access_token=<token>` → the token's id and ACL in the request context (the functions
 * behind trust them). REST results are cached by API Gateway per header value (see the stack's
 * TTL), so a revoked token can live that long; a WebSocket connection keeps the principal it
 * connected with (at most 2 hours).
 */
export function makeAuthorizer(getAuth: () => Promise<Authenticator>) {
  return middy(async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    const token = tokenFromHeader(header) ?? event.queryStringParameters?.access_token ?? undefined;
    const principal = token ? await (await getAuth()).authenticate(token) : undefined;
    if (!principal) throw new Error('Unauthorized');
    // allow every route of this API stage (REST: arn:…:api-id/stage/GET/path; WebSocket: arn:…:api-id/stage/$connect):
    // the functions behind apply the ACL per route or per subscription
    const [apiArn, stage] = event.methodArn.split('/');
    const resource = `${apiArn}/${stage}/*`;
    return {
      principalId: String(principal.tokenId),
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] },
      context: { tokenId: String(principal.tokenId), acl: principal.acl ? JSON.stringify(principal.acl) : '' },
    };
  }).use(injectLambdaContext(logger));
}

export const handler = makeAuthorizer(async () => (await awsHub(coreLogger)).auth);
