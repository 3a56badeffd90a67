import { CfnOutput, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { FlowLogTrafficType, IVpc } from 'aws-cdk-lib/aws-ec2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HubCalcs } from './calcs.js';
import { HubChannels } from './channels.js';
import { HUB_DEFAULTS, retentionDays } from './config.js';
import { HubConsole } from './console.js';
import { HubIngest } from './ingest.js';
import { HubObservability } from './observability.js';
import { HubRegistryApi } from './registry-api.js';
import { type HubProvisionedCapacity, HubStorage } from './storage.js';
import { HubStreams } from './streams.js';

export interface TelematicsHubProps {
  /**
   * Ports the NLB opens for channels (first, last; at most 50); channels created through the API
   * take ports from this range without a redeploy.
   * @default [20000, 20019]
   */
  readonly channelPortRange?: readonly [number, number];
  /** An existing VPC (public subnets for the NLB). @default a new VPC: 2 AZs, public subnets, no NAT, flow logs */
  readonly vpc?: IVpc;
  /** Listener tasks in private subnets with egress, without public IPs (needs a VPC with NAT). @default false */
  readonly privateListenerTasks?: boolean;
  /** Traffic recorded by the new VPC's flow logs. @default ALL */
  readonly flowLogTrafficType?: FlowLogTrafficType;
  /** Listener task CPU units. @default 512 */
  readonly listenerCpu?: number;
  /** @default 1024 */
  readonly listenerMemoryMiB?: number;
  /** Fewest listener tasks (and the count at deploy). @default 2 */
  readonly listenerMinCount?: number;
  /** Most listener tasks autoscaling may start. @default 10 */
  readonly listenerMaxCount?: number;
  /** Target average CPU of listener tasks (%). @default 60 */
  readonly listenerCpuTargetPercent?: number;
  /** Target device connections per listener task (ActiveConnections metric). @default 40000 */
  readonly listenerConnectionsPerTask?: number;
  /** Listener batch window before SQS (ms). @default 10 */
  readonly listenerFlushMs?: number;
  /** Extra listener environment (HUB_CHANNEL_SYNC_MS, HUB_COMMAND_POLL_MS, HUB_CONNECTIONS_SNAPSHOT_MS, LOG_LEVEL). @default none */
  readonly listenerEnvironment?: Record<string, string>;
  /** Ingest batching window (s, 0-300). @default 1 */
  readonly ingestBatchingWindowSeconds?: number;
  /** Queue messages per ingest invocation. @default 10 */
  readonly ingestBatchSize?: number;
  /** @default 512 */
  readonly ingestMemoryMiB?: number;
  /** Ingest function timeout (s, 10-900); raise it with long batching windows. @default 60 */
  readonly ingestTimeoutSeconds?: number;
  /** Message TTL of devices created without one (days). @default 365 */
  readonly defaultDeviceMessagesTtlDays?: number;
  /** Message TTL of channels created without one (days). @default 7 */
  readonly defaultChannelMessagesTtlDays?: number;
  /** Provisioned capacity with autoscaling for both tables. @default on-demand */
  readonly tableCapacity?: HubProvisionedCapacity;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** API Gateway steady-state requests per second. @default 100 */
  readonly apiThrottleRateLimit?: number;
  /** @default 200 */
  readonly apiThrottleBurstLimit?: number;
  /** Authorizer result cache (s): a revoked token may keep working this long. @default 300 */
  readonly authorizerCacheSeconds?: number;
  /** E-mail address subscribed to the alarm topic. @default none (subscribe later) */
  readonly alarmEmail?: string;
  /** Serve the web console (S3 + CloudFront, API on the same origin). @default true */
  readonly console?: boolean;
  /**
   * Map tiles of the console's tracks (`https://…/{z}/{x}/{y}.png`; `none`: a grid), written to the
   * console's `config.json`. @default the console's own: OpenStreetMap's standard tiles
   */
  readonly tileUrl?: string;
  /** What deleting the stack does to the tables. @default RemovalPolicy.RETAIN */
  readonly dataRemovalPolicy?: RemovalPolicy;
}

/**
 * Telematics Hub: channel listeners (Fargate + NLB) → SQS → ingest Lambda → DynamoDB and the
 * streams bus → stream functions; the registry REST API with its authorizer; the web console; a
 * dashboard and alarms. Usable from any CDK app: `new TelematicsHub(stack, 'Hub', props)`.
 */
export class TelematicsHub extends Construct {
  readonly storage: HubStorage;
  readonly streams: HubStreams;
  readonly ingest: HubIngest;
  readonly calcs: HubCalcs;
  readonly channels: HubChannels;
  readonly api: HubRegistryApi;
  readonly console?: HubConsole;
  readonly observability: HubObservability;

  constructor(scope: Construct, id: string, props: TelematicsHubProps = {}) {
    super(scope, id);
    const d = HUB_DEFAULTS;
    const portRange = props.channelPortRange ?? d.channelPortRange;
    const logRetention = props.logRetention ?? retentionDays(d.logRetentionDays);
    this.storage = new HubStorage(this, 'Storage', { removalPolicy: props.dataRemovalPolicy, provisioned: props.tableCapacity });
    this.streams = new HubStreams(this, 'Streams', { storage: this.storage, logRetention });
    this.ingest = new HubIngest(this, 'Ingest', {
      storage: this.storage,
      eventBus: this.streams.bus,
      batchingWindowSeconds: props.ingestBatchingWindowSeconds ?? d.ingestBatchingWindowSeconds,
      batchSize: props.ingestBatchSize ?? d.ingestBatchSize,
      memorySize: props.ingestMemoryMiB ?? d.ingestMemoryMiB,
      timeout: Duration.seconds(props.ingestTimeoutSeconds ?? d.ingestTimeoutSeconds),
      logRetention,
    });
    this.calcs = new HubCalcs(this, 'Calcs', { storage: this.storage, eventBus: this.streams.bus, logRetention });
    this.channels = new HubChannels(this, 'Channels', {
      storage: this.storage,
      queue: this.ingest.queue,
      portRange,
      vpc: props.vpc,
      privateTasks: props.privateListenerTasks,
      flowLogTrafficType: props.flowLogTrafficType,
      cpu: props.listenerCpu ?? d.listenerCpu,
      memoryLimitMiB: props.listenerMemoryMiB ?? d.listenerMemoryMiB,
      minCount: props.listenerMinCount ?? d.listenerMinCount,
      maxCount: props.listenerMaxCount ?? d.listenerMaxCount,
      cpuTargetPercent: props.listenerCpuTargetPercent ?? d.listenerCpuTargetPercent,
      connectionsPerTask: props.listenerConnectionsPerTask ?? d.listenerConnectionsPerTask,
      flushMs: props.listenerFlushMs ?? d.listenerFlushMs,
      environment: props.listenerEnvironment,
      logRetention,
    });
    this.api = new HubRegistryApi(this, 'Registry', {
      storage: this.storage,
      publicHost: this.channels.loadBalancer.loadBalancerDnsName,
      portRange,
      throttleRateLimit: props.apiThrottleRateLimit ?? d.apiThrottleRateLimit,
      throttleBurstLimit: props.apiThrottleBurstLimit ?? d.apiThrottleBurstLimit,
      authorizerCacheTtl: Duration.seconds(props.authorizerCacheSeconds ?? d.authorizerCacheSeconds),
      defaultDeviceMessagesTtl: Duration.days(props.defaultDeviceMessagesTtlDays ?? d.defaultDeviceMessagesTtlDays),
      defaultChannelMessagesTtl: Duration.days(props.defaultChannelMessagesTtlDays ?? d.defaultChannelMessagesTtlDays),
      deadLetters: { queue: this.ingest.queue, deadLetterQueue: this.ingest.deadLetterQueue },
      logRetention,
    });
    if (props.console ?? d.console) this.console = new HubConsole(this, 'Console', { api: this.api.api, logRetention, tileUrl: props.tileUrl });
    this.observability = new HubObservability(this, 'Observability', {
      storage: this.storage,
      ingest: this.ingest,
      streams: this.streams,
      api: this.api,
      channels: this.channels,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Registry REST API' });
    new CfnOutput(this, 'DeviceEndpoint', {
      value: this.channels.loadBalancer.loadBalancerDnsName,
      description: `Devices connect here, ports ${portRange[0]}-${portRange[1]}`,
    });
    new CfnOutput(this, 'AdminTokenSecret', { value: this.api.adminSecret.secretArn, description: 'aws secretsmanager get-secret-value --secret-id <this>' });
    if (this.console)
      new CfnOutput(this, 'ConsoleUrl', {
        value: `https://${this.console.distribution.distributionDomainName}`,
        description: 'Web console (and the API under /gw, /platform)',
      });
    new CfnOutput(this, 'AlarmTopic', { value: this.observability.topic.topicArn, description: 'Subscribe to receive alarms' });
    new CfnOutput(this, 'IngestDeadLetterQueue', {
      value: this.ingest.deadLetterQueue.queueUrl,
      description: 'Frames that failed ingest (redrive: docs/operations.md)',
    });
    new CfnOutput(this, 'StreamsDeadLetterQueue', { value: this.streams.deadLetterQueue.queueUrl, description: 'Stream events that could not be delivered' });
  }
}
