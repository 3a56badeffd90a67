import { Duration, Stack, Token } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnApi, LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../core/env.js';
import { acknowledgeSyncOnly, HubFunction } from './function.js';
import { grantTableRead, grantTableReadWrite } from './grants.js';
import { acknowledge } from './nag.js';
import { handlerEntry } from './paths.js';
import type { HubStorage } from './storage.js';

/** `source` and `detail-type` of the events ingest publishes for live push (adapters/aws/live-publisher.ts). */
export const LIVE_EVENT_SOURCE = 'telematics-hub';
export const LIVE_EVENT_DETAIL_TYPE = 'live';

export interface HubLiveProps {
  readonly storage: HubStorage;
  /** The hub bus: ingest puts one `live` event per batch of watched devices on it (messages and interval events), the calculators' tick one per run. */
  readonly eventBus: IEventBus;
  /** The hub's REQUEST authorizer function (the registry API's), reused for `$connect` with `?access_token=`. */
  readonly authorizerFunction: IFunction;
  /** The ingest function, told to publish live events (HUB_LIVE_PUSH=on). */
  readonly ingestFunction: HubFunction;
  /**
   * The calculators' tick function, told to publish the interval events of its runs as live events
   * (HUB_LIVE_PUSH=on; it already reads the registry, where the live index is, and puts events on the bus).
   */
  readonly calcsFunction?: HubFunction;
  /** Where failed push events go (EventBridge target DLQ). */
  readonly deadLetterQueue: Queue;
  /** Stage name, the last path segment of the URL (`wss://…/live`). @default 'live' */
  readonly stageName?: string;
  /** Steady-state messages per second from clients, per route. @default 50 */
  readonly throttleRateLimit?: number;
  /** @default 100 */
  readonly throttleBurstLimit?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** The WebSocket stage's access log line: who, which route, connection, status, latencies. */
export function liveAccessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      ip: AccessLogField.contextIdentitySourceIp(),
      requestTime: AccessLogField.contextRequestTime(),
      eventType: AccessLogField.contextEventType(),
      routeKey: AccessLogField.contextRouteKey(),
      connectionId: AccessLogField.contextConnectionId(),
      status: AccessLogField.contextStatus(),
      integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
      tokenId: AccessLogField.contextAuthorizerPrincipalId(),
      authorizerError: AccessLogField.contextAuthorizerError(),
      errorType: '$context.error.responseType',
    }),
  );
}

/**
 * Live push (docs/api.md, "Live push"): an API Gateway WebSocket API whose `$connect` is
 * authorized by the hub's own authorizer (`?access_token=`), routes `subscribe`, `unsubscribe`,
 * `$default` and `$disconnect` to one function (core/live: the ACL per subscription,
 * subscriptions in the registry), and a push function fed by the bus rule on `live` events that
 * posts frames to the watching connections through the stage's management API.
 */
export class HubLive extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly routesFunction: HubFunction;
  readonly pushFunction: HubFunction;
  readonly rule: Rule;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: HubLiveProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const stageName = props.stageName ?? 'live';
    this.api = new WebSocketApi(this, 'Api', { description: 'Telematics Hub live push (JSON frames: subscribe/unsubscribe to topics)' });
    // the management endpoint is built from the API id and stage name, so the functions can refer to it before the stage exists
    const tables = { [ENV.tableRegistry]: props.storage.registry.tableName, [ENV.tableMessages]: props.storage.messages.tableName };
    const endpoint = { [ENV.liveEndpoint]: `https://${this.api.apiId}.execute-api.${this.api.stack.region}.${this.api.stack.urlSuffix}/${stageName}` };
    this.routesFunction = new HubFunction(this, 'RoutesFunction', {
      entry: handlerEntry('live'),
      description: 'Telematics Hub live push: WebSocket $connect, $disconnect, subscribe, unsubscribe',
      memorySize: 512,
      timeout: Duration.seconds(29),
      serviceName: 'hub-live',
      logRetention: retention,
      environment: { ...tables, ...endpoint },
    });
    this.pushFunction = new HubFunction(this, 'PushFunction', {
      entry: handlerEntry('live-push'),
      description: 'Telematics Hub live push: live events -> frames posted to the watching connections',
      memorySize: 256,
      timeout: Duration.seconds(30),
      serviceName: 'hub-live-push',
      logRetention: retention,
      environment: { ...tables, ...endpoint },
    });
    const integration = new WebSocketLambdaIntegration('Routes', this.routesFunction);
    this.api.addRoute('$connect', {
      integration,
      authorizer: new WebSocketLambdaAuthorizer('Authorizer', props.authorizerFunction, { identitySource: ['route.request.querystring.access_token'] }),
    });
    for (const key of ['$disconnect', '$default', 'subscribe', 'unsubscribe']) this.api.addRoute(key, { integration });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName,
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 50, burstLimit: props.throttleBurstLimit ?? 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: liveAccessLogFormat() },
    });

    // subscriptions and connections live in the registry; the routes read devices and fold telemetry from history
    grantTableReadWrite(props.storage.registry, this.routesFunction);
    grantTableRead(props.storage.messages, this.routesFunction);
    grantTableReadWrite(props.storage.registry, this.pushFunction);
    // execute-api:ManageConnections on this stage's @connections only
    for (const fn of [this.routesFunction, this.pushFunction]) {
      this.stage.grantManagementApiAccess(fn);
      if (fn.role) acknowledge(fn.role, { id: `AwsSolutions-IAM5[Resource::${connectionsArnForNag(this.api, stageName)}]`, reason: CONNECTIONS_REASON });
    }
    acknowledgeSyncOnly(this.routesFunction, 'API Gateway WebSocket routes');

    this.rule = new Rule(this, 'PushRule', {
      eventBus: props.eventBus,
      description: 'live events (messages and interval events of watched devices, one per ingest batch or tick) -> the live push function',
      eventPattern: { source: [LIVE_EVENT_SOURCE], detailType: [LIVE_EVENT_DETAIL_TYPE] },
      // a late push is worth little: a few retries within a minute, then the DLQ
      targets: [new LambdaFunction(this.pushFunction, { deadLetterQueue: props.deadLetterQueue, maxEventAge: Duration.minutes(1), retryAttempts: 2 })],
    });
    this.pushFunction.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    acknowledge(
      this.pushFunction,
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Live pushes are ephemeral (a client that missed frames reads the history); the EventBridge target has the streams DLQ, and a failed asynchronous invocation is not retried (retryAttempts 0) rather than delivered late.',
      },
      {
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason:
          'Live pushes are ephemeral: a failed push is not worth keeping (the client reads the history when it reconnects); EventBridge target failures go to the streams DLQ.',
      },
    );
    props.ingestFunction.addEnvironment(ENV.livePush, 'on');
    props.calcsFunction?.addEnvironment(ENV.livePush, 'on');
    acknowledgeLiveApi(this.api);
  }

  /** The URL clients connect to (`wss://{api}.execute-api.{region}.amazonaws.com/live`). */
  get url(): string {
    return this.stage.url;
  }
}

const CONNECTIONS_REASON =
  "execute-api:ManageConnections on this stage's @connections only: connection ids are made by API Gateway at run time (one per client), so no narrower ARN exists.";

/** The management API ARN of a stage as cdk-nag prints it in an IAM5 finding. */
function connectionsArnForNag(api: WebSocketApi, stageName: string): string {
  const stack = Stack.of(api);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:execute-api:${region}:${account}:<${stack.getLogicalId(api.node.defaultChild as CfnApi)}>/${stageName}/*/@connections/*`;
}

function acknowledgeLiveApi(api: WebSocketApi): void {
  acknowledge(
    api,
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'WebSocket APIs authorize only $connect (the hub REQUEST authorizer checks ?access_token=); the other routes belong to that authorized connection, and each subscription is checked against the token ACL by the routes function.',
    },
    {
      id: 'AwsSolutions-COG4',
      reason:
        'Clients authenticate with flespi-style hub tokens, checked by the hub REQUEST authorizer on $connect; a Cognito user pool would break token compatibility.',
    },
  );
}
