import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat, EndpointType, LambdaRestApi, LogGroupLogDestination, MethodLoggingLevel } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { HubFunction } from './function.js';
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
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * The registry REST API: API Gateway (REST, regional, TLS only) with access logs and throttling,
 * proxying every route to the API Lambda; the admin token lives in Secrets Manager.
 */
export class HubRegistryApi extends Construct {
  readonly api: LambdaRestApi;
  readonly function: HubFunction;
  readonly adminSecret: Secret;

  constructor(scope: Construct, id: string, props: HubRegistryApiProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;
    this.adminSecret = new Secret(this, 'AdminToken', {
      description: 'Telematics Hub admin token (Authorization: FlespiToken <token>)',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.function = new HubFunction(this, 'Function', {
      entry: handlerEntry('api'),
      description: 'Telematics Hub registry API',
      memorySize: 512,
      timeout: Duration.seconds(29),
      serviceName: 'hub-api',
      logGroup: new LogGroup(this, 'Logs', { retention }),
      environment: {
        HUB_TABLE_REGISTRY: props.storage.registry.tableName,
        HUB_TABLE_MESSAGES: props.storage.messages.tableName,
        HUB_ADMIN_SECRET_ARN: this.adminSecret.secretArn,
        HUB_PUBLIC_HOST: props.publicHost,
        HUB_PORT_RANGE: `${props.portRange[0]}-${props.portRange[1]}`,
      },
    });
    props.storage.registry.grantReadWriteData(this.function);
    props.storage.messages.grantReadWriteData(this.function);
    this.adminSecret.grantRead(this.function);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention });
    this.api = new LambdaRestApi(this, 'Api', {
      handler: this.function,
      proxy: true,
      description: 'Telematics Hub registry API (flespi-style /gw routes)',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        tracingEnabled: true,
        throttlingRateLimit: props.throttleRateLimit ?? 100,
        throttlingBurstLimit: props.throttleBurstLimit ?? 200,
      },
    });
  }
}
