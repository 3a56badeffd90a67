import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { awsHub } from '../../adapters/aws/hub.js';
import { awsLive } from '../../adapters/aws/live.js';
import type { LiveService } from '../../core/live/service.js';
import { coreLogger, logger } from '../shared/powertools.js';
import { type AuthorizerContext, principalFromAuthorizer } from '../shared/principal.js';

/** The parts of an API Gateway WebSocket route event this handler reads. */
export interface WebSocketRouteEvent {
  readonly requestContext: {
    readonly routeKey: string;
    readonly connectionId: string;
    readonly requestId?: string;
    /** Set on `$connect` by the hub authorizer. */
    readonly authorizer?: AuthorizerContext | null;
  };
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

/**
 * The live WebSocket API's routes (`$connect` after the hub authorizer, `$disconnect`,
 * `subscribe`, `unsubscribe`, `$default`): each a call into core/live. Answers to the client
 * (acks, current telemetry, error frames) go through the management API, so every route returns 200.
 */
export function makeLiveRouteHandler(getLive: () => Promise<LiveService>) {
  return middy(async (event: WebSocketRouteEvent): Promise<{ statusCode: number }> => {
    const { routeKey, connectionId, requestId } = event.requestContext;
    logger.appendKeys({ correlation_id: requestId, connection_id: connectionId });
    const live = await getLive();
    if (routeKey === '$connect') {
      const principal = principalFromAuthorizer(event.requestContext.authorizer);
      if (!principal) return { statusCode: 401 };
      await live.connect(connectionId, principal);
    } else if (routeKey === '$disconnect') await live.disconnect(connectionId);
    else {
      const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
      await live.receive(connectionId, body);
    }
    return { statusCode: 200 };
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

let live: Promise<LiveService> | undefined;

export const handler = makeLiveRouteHandler(() => {
  live ??= awsHub(coreLogger).then((hub) => awsLive(hub, coreLogger).service);
  live.catch(() => (live = undefined));
  return live;
});
