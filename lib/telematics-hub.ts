import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HubChannels } from './channels.js';
import { HubIngest } from './ingest.js';
import { HubRegistryApi } from './registry-api.js';
import { HubStorage } from './storage.js';

export interface TelematicsHubProps {
  /**
   * Ports the NLB opens for channels (first, last); channels created through the API take ports
   * from this range without a redeploy.
   * @default [20000, 20019]
   */
  readonly channelPortRange?: readonly [number, number];
  /** @default a new VPC (public subnets, no NAT) */
  readonly vpc?: IVpc;
  /** Listener task size. @default 512 */
  readonly listenerCpu?: number;
  /** @default 1024 */
  readonly listenerMemoryMiB?: number;
  /** @default 2 */
  readonly listenerCount?: number;
  /** Ingest batching window (s). @default 1 */
  readonly ingestBatchingWindowSeconds?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** API Gateway steady-state requests per second. @default 100 */
  readonly apiThrottleRateLimit?: number;
  /** @default 200 */
  readonly apiThrottleBurstLimit?: number;
  /** What deleting the stack does to the tables. @default RemovalPolicy.RETAIN */
  readonly dataRemovalPolicy?: RemovalPolicy;
}

export const DEFAULT_PORT_RANGE: readonly [number, number] = [20000, 20019];

/**
 * Telematics Hub: channel listeners (Fargate + NLB) → SQS → ingest Lambda → DynamoDB, and the
 * registry REST API. Usable from any CDK app: `new TelematicsHub(stack, 'Hub', props)`.
 */
export class TelematicsHub extends Construct {
  readonly storage: HubStorage;
  readonly ingest: HubIngest;
  readonly channels: HubChannels;
  readonly api: HubRegistryApi;

  constructor(scope: Construct, id: string, props: TelematicsHubProps = {}) {
    super(scope, id);
    const portRange = props.channelPortRange ?? DEFAULT_PORT_RANGE;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    this.storage = new HubStorage(this, 'Storage', { removalPolicy: props.dataRemovalPolicy });
    this.ingest = new HubIngest(this, 'Ingest', { storage: this.storage, batchingWindowSeconds: props.ingestBatchingWindowSeconds, logRetention });
    this.channels = new HubChannels(this, 'Channels', {
      storage: this.storage,
      queue: this.ingest.queue,
      portRange,
      vpc: props.vpc,
      cpu: props.listenerCpu,
      memoryLimitMiB: props.listenerMemoryMiB,
      desiredCount: props.listenerCount,
      logRetention,
    });
    this.api = new HubRegistryApi(this, 'Registry', {
      storage: this.storage,
      publicHost: this.channels.loadBalancer.loadBalancerDnsName,
      portRange,
      throttleRateLimit: props.apiThrottleRateLimit,
      throttleBurstLimit: props.apiThrottleBurstLimit,
      logRetention,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Registry REST API' });
    new CfnOutput(this, 'DeviceEndpoint', { value: this.channels.loadBalancer.loadBalancerDnsName, description: `Devices connect here, ports ${portRange[0]}-${portRange[1]}` });
    new CfnOutput(this, 'AdminTokenSecret', { value: this.api.adminSecret.secretArn, description: 'aws secretsmanager get-secret-value --secret-id <this>' });
  }
}
