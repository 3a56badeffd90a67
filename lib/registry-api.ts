import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  type CfnRestApi,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../core/env.js';
import { acknowledgeSyncOnly, HubFunction } from './function.js';
import { grantTableRead, grantTableReadWrite } from './grants.js';
import { acknowledge } from './nag.js';
import { handlerEntry } from './paths.js';
import type { HubStorage } from './storage.js';

export interface HubRegistryApiProps {
  readonly storage: HubStorage;
  /** Host name devices connect to (the NLB's DNS name), shown in channel URIs. */
  readonly publicHost: string;
  /** First and last port of the channel range. */
  readonly portRange: readonly [number, number];
  /** @default 100 */
  readonly throttleRateLimit?: number;
  /** @default 200 */
  readonly throttleBurstLimit?: number;
  /**
   * How long API Gateway caches the authorizer's answer per Authorization header. A revoked or
   * expired token keeps working for up to this long.
   * @default Duration.seconds(300)
   */
  readonly authorizerCacheTtl?: Duration;
  /**
   * TLS policy of the API endpoint (an enhanced `SecurityPolicy_*` policy, with the STRICT
   * endpoint access mode).
   * @default 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09' (TLS 1.2 and 1.3 only, forward secrecy)
   */
  readonly securityPolicy?: string;
  /** Message TTL of devices created without one (s): passed to the API as HUB_DEFAULT_DEVICE_MESSAGES_TTL. @default 365 days */
  readonly defaultDeviceMessagesTtl?: Duration;
  /** Message TTL of channels created without one (s): HUB_DEFAULT_CHANNEL_MESSAGES_TTL. @default 7 days */
  readonly defaultChannelMessagesTtl?: Duration;
  /**
   * The ingest queue and its DLQ, for `/platform/dead-letters` (list, replay into the queue,
   * discard): the API function may consume the DLQ and send to the queue.
   * @default no dead-letter routes on AWS
   */
  readonly deadLetters?: { readonly queue: IQueue; readonly deadLetterQueue: IQueue };
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export const DEFAULT_API_SECURITY_POLICY = 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09';

/** The access log line: API Gateway's standard JSON fields plus who called, TLS version and latencies. */
export function apiAccessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      ip: AccessLogField.contextIdentitySourceIp(),
      requestTime: AccessLogField.contextRequestTime(),
      httpMethod: AccessLogField.contextHttpMethod(),
      resourcePath: AccessLogField.contextResourcePath(),
      path: AccessLogField.contextPath(),
      status: AccessLogField.contextStatus(),
      protocol: AccessLogField.contextProtocol(),
      responseLength: AccessLogField.contextResponseLength(),
      latencyMs: AccessLogField.contextResponseLatency(),
      integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
      tokenId: AccessLogField.contextAuthorizerPrincipalId(),
      authorizerError: AccessLogField.contextAuthorizerError(),
      errorType: AccessLogField.contextErrorResponseType(),
      tlsVersion: '$context.tlsVersion',
      userAgent: AccessLogField.contextIdentityUserAgent(),
    }),
  );
}

/**
 * The registry REST API: API Gateway (regional, TLS 1.2+ only, access and execution logs, X-Ray,
 * throttling) with a REQUEST authorizer (Lambda; `Authorization` header; cached) on every route
 * but `GET /openapi.json`, proxying to the API Lambda. The admin token lives in Secrets Manager.
 * Errors API Gateway answers itself (401, 403, 429, 504) use the hub's `{"errors": [...]}` shape.
 */
export class HubRegistryApi extends Construct {
  readonly api: RestApi;
  readonly function: HubFunction;
  readonly authorizerFunction: HubFunction;
  readonly authorizer: RequestAuthorizer;
  readonly adminSecret: Secret;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: HubRegistryApiProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;
    this.adminSecret = new Secret(this, 'AdminToken', {
      description: 'Telematics Hub admin token (Authorization: FlespiToken <token>)',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.adminSecret, {
      id: 'AwsSolutions-SMG4',
      reason:
        'The admin token is a bearer credential held by people and scripts, not a database password; automatic rotation would lock them out. It is rotated by an operator (docs/operations.md, "Rotate tokens").',
    });
    const tables = {
      [ENV.tableRegistry]: props.storage.registry.tableName,
      [ENV.tableMessages]: props.storage.messages.tableName,
      [ENV.adminSecretArn]: this.adminSecret.secretArn,
    };

    this.function = this.apiFunction(props, tables, retention);
    this.authorizerFunction = this.authorizerFunctionOf(props, tables, retention);
    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: this.authorizerFunction,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: props.authorizerCacheTtl ?? Duration.seconds(300),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention });
    this.api = this.restApi(props);
    this.routes();
    this.acknowledgeApi();
  }

  /** The API Lambda: the registry tables, the admin secret and, when given, the dead-letter queues. */
  private apiFunction(props: HubRegistryApiProps, tables: Record<string, string>, retention: RetentionDays): HubFunction {
    const fn = new HubFunction(this, 'Function', {
      entry: handlerEntry('api'),
      description: 'Telematics Hub registry API',
      memorySize: 512,
      timeout: Duration.seconds(29),
      serviceName: 'hub-api',
      logRetention: retention,
      environment: {
        ...tables,
        [ENV.publicHost]: props.publicHost,
        [ENV.portRange]: `${props.portRange[0]}-${props.portRange[1]}`,
        [ENV.defaultDeviceMessagesTtl]: String((props.defaultDeviceMessagesTtl ?? Duration.days(365)).toSeconds()),
        [ENV.defaultChannelMessagesTtl]: String((props.defaultChannelMessagesTtl ?? Duration.days(7)).toSeconds()),
        ...(props.deadLetters
          ? { [ENV.ingestQueueUrl]: props.deadLetters.queue.queueUrl, [ENV.ingestDlqUrl]: props.deadLetters.deadLetterQueue.queueUrl }
          : {}),
      },
    });
    if (props.deadLetters) {
      // /platform/dead-letters: list (receive with a short visibility), replay (send + delete), discard (delete)
      props.deadLetters.deadLetterQueue.grantConsumeMessages(fn);
      props.deadLetters.queue.grantSendMessages(fn);
    }
    grantTableReadWrite(props.storage.registry, fn);
    grantTableReadWrite(props.storage.messages, fn);
    this.adminSecret.grantRead(fn);
    acknowledgeSyncOnly(fn, 'API Gateway proxy integration');

    return fn;
  }

  /**
   * The interval events API requests make (a deleted interval, a changed definition's `deleted`
   * events) go to the streams with `"source": "intervals"` through the hub bus, like ingest's and the
   * tick's: PutEvents on that bus only. Without it such a request failed on AWS when a stream was
   * subscribed to the device ("no event bus is configured").
   */
  publishEvents(eventBus: IEventBus): void {
    this.function.addEnvironment(ENV.eventBusName, eventBus.eventBusName);
    eventBus.grantPutEventsTo(this.function);
  }

  /**
   * Live push (HubLive): the same events, and the messages injected through the API, as `live`
   * events on the hub bus for watched devices only (the live index is read from the registry,
   * which the API already reads and writes). Needs `publishEvents`.
   */
  pushLive(): void {
    this.function.addEnvironment(ENV.livePush, 'on');
  }

  /** The REQUEST authorizer's Lambda: token hashes from the registry, the admin token from the secret. */
  private authorizerFunctionOf(props: HubRegistryApiProps, tables: Record<string, string>, retention: RetentionDays): HubFunction {
    const fn = new HubFunction(this, 'AuthorizerFunction', {
      entry: handlerEntry('authorizer'),
      description: 'Telematics Hub API authorizer: Authorization header -> token id and ACL',
      memorySize: 512,
      timeout: Duration.seconds(10),
      serviceName: 'hub-authorizer',
      logRetention: retention,
      environment: tables,
    });
    // tokens are read from the registry (hash lookups); the admin token from the secret
    grantTableRead(props.storage.registry, fn);
    this.adminSecret.grantRead(fn);
    acknowledgeSyncOnly(fn, 'API Gateway REQUEST authorizer');

    return fn;
  }

  /** The regional REST API with its stage settings and TLS policy. */
  private restApi(props: HubRegistryApiProps): RestApi {
    const api = new RestApi(this, 'Api', {
      restApiName: `${Stack.of(this).stackName}-registry`,
      description: 'Telematics Hub registry API (flespi-style /gw and /platform routes)',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apiAccessLogFormat(),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttleRateLimit ?? 100,
        throttlingBurstLimit: props.throttleBurstLimit ?? 200,
      },
    });
    const cfnApi = api.node.defaultChild as CfnRestApi;
    cfnApi.securityPolicy = props.securityPolicy ?? DEFAULT_API_SECURITY_POLICY;
    cfnApi.endpointAccessMode = 'STRICT';

    return api;
  }

  /** Every route proxies to the API Lambda behind the authorizer, but the public OpenAPI document; gateway errors in the hub's shape. */
  private routes(): void {
    const integration = new LambdaIntegration(this.function, { proxy: true });
    const secured = { authorizer: this.authorizer, authorizationType: AuthorizationType.CUSTOM };
    this.api.root.addMethod('ANY', integration, secured);
    this.api.root.addResource('{proxy+}').addMethod('ANY', integration, secured);
    const openapi = this.api.root.addResource('openapi.json').addMethod('GET', integration, { authorizationType: AuthorizationType.NONE });
    acknowledge(
      openapi,
      { id: 'AwsSolutions-APIG4', reason: 'GET /openapi.json is the public API description (no data); every other route has the REQUEST authorizer.' },
      {
        id: 'AwsSolutions-COG4',
        reason: 'GET /openapi.json is intentionally public; the API uses flespi-style tokens checked by a Lambda authorizer, not Cognito.',
      },
    );

    for (const [name, type, status] of [
      ['Unauthorized', ResponseType.UNAUTHORIZED, '401'],
      ['AccessDenied', ResponseType.ACCESS_DENIED, '403'],
      ['Throttled', ResponseType.THROTTLED, '429'],
      ['TooLarge', ResponseType.REQUEST_TOO_LARGE, '413'],
      ['Timeout', ResponseType.INTEGRATION_TIMEOUT, '504'],
    ] as const) {
      this.api.addGatewayResponse(name, {
        type,
        statusCode: status,
        responseHeaders: { 'Content-Type': "'application/json'" },
        templates: { 'application/json': `{"errors":[{"code":${status},"reason":$context.error.messageString}]}` },
      });
    }
  }

  private acknowledgeApi(): void {
    acknowledge(
      this.api,
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Every route is a Lambda proxy whose body, path and query are validated by the zod schemas of the router (the same schemas produce /openapi.json); API Gateway models would duplicate them.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF is an account-level choice with a per-ACL monthly cost; the API is throttled per stage and authenticated. Attach a web ACL to the stage if your policy requires one (docs/deploy.md).',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Clients authenticate with flespi-style tokens (Authorization: FlespiToken/Bearer), checked by the hub REQUEST authorizer; a Cognito user pool would break API compatibility.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The account-level API Gateway CloudWatch role needs the AWS managed push-to-logs policy; it is the documented way to enable execution logs.',
      },
    );
  }
}
