import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, type HubEnv, hubEnv } from '../../core/env.js';
import type { HubServices } from '../../core/hub.js';
import { LiveFanout } from '../../core/live/fanout.js';
import { LiveService } from '../../core/live/service.js';
import type { Logger } from '../../core/logger.js';
import { currentTelemetry } from '../../core/registry/telemetry.js';
import { createDocumentClient, tableNamesFromEnv } from '../dynamodb/client.js';
import { DynamoLiveStore } from '../dynamodb/live.js';
import { EventBridgeLivePublisher } from './live-publisher.js';
import { ApiGatewayLiveSender } from './live-sender.js';
import { AWS_CLIENT_DEFAULTS } from './timeouts.js';

/** The live route of ingest and of the calculators' tick when the stack has live push (`HUB_LIVE_PUSH=on` and a bus), else undefined. */
export function liveFanoutFromEnv(env: HubEnv, doc: DynamoDBDocumentClient, events: EventBridgeClient, logger: Logger): LiveFanout | undefined {
  const busName = env[ENV.eventBusName];
  if (env[ENV.livePush] !== 'on' || !busName) return undefined;
  return new LiveFanout(new DynamoLiveStore(doc, tableNamesFromEnv(env).registry), new EventBridgeLivePublisher(events, busName), logger);
}

export interface AwsLive {
  readonly service: LiveService;
  readonly sender: ApiGatewayLiveSender;
}

/**
 * Live push wired to AWS for the WebSocket route and push functions: the registry's live items,
 * API Gateway's management API at `HUB_LIVE_ENDPOINT` (or the SDK's
 * `AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI`), and the hub's registry for selectors and telemetry.
 */
export function awsLive(hub: HubServices, logger: Logger, env: HubEnv = hubEnv()): AwsLive {
  const region = process.env.AWS_REGION;
  const doc = createDocumentClient({ region, endpoint: env[ENV.dynamodbEndpoint] });
  const endpoint = env[ENV.liveEndpoint];
  const sender = new ApiGatewayLiveSender(new ApiGatewayManagementApiClient({ region, ...(endpoint ? { endpoint } : {}), ...AWS_CLIENT_DEFAULTS }));
  const service = new LiveService({
    store: new DynamoLiveStore(doc, tableNamesFromEnv(env).registry),
    sender,
    selectDevices: (selector, access) => hub.devices.select(selector, access),
    selectCalcs: (selector, access) => hub.calcs.select(selector, access),
    calcDevices: async (calcId) => (await hub.ports.calcs.statesOf(calcId)).map((r) => r.deviceId),
    telemetry: (deviceId) => currentTelemetry(hub.ports.telemetry, hub.messages, deviceId),
    logger,
  });
  return { service, sender };
}
