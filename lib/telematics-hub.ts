import { CfnOutput, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FlowLogTrafficType, type IVpc } from 'aws-cdk-lib/aws-ec2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HubArchive } from './archive.js';
import { HubCalcs } from './calcs.js';
import { HubChannels } from './channels.js';
import { HUB_DEFAULTS, retentionDays } from './config.js';
import { HubConsole } from './console.js';
import { HubIngest } from './ingest.js';
import { HubLive } from './live.js';
import { HubObservability } from './observability.js';
import { DEFAULT_PROFILE, HUB_PROFILES, type HubProfile, type HubProfileName } from './profiles.js';
import { HubRegistryApi } from './registry-api.js';
import { type HubProvisionedCapacity, HubStorage } from './storage.js';
import { HubStreams } from './streams.js';

export interface TelematicsHubProps {
  /**
   * Cost profile (lib/profiles.ts, docs/cost.md): the defaults of the props marked "profile" below;
   * a prop given explicitly wins.
   * @default realtime
   */
  readonly profile?: HubProfileName;
  /**
   * Ports the NLB opens for channels (first, last; at most 50); channels created through the API
   * take ports from this range without a redeploy.
   * @default [20000, 20019]
   */
  readonly channelPortRange?: readonly [number, number];
  /** An existing VPC (public subnets for the NLB). @default a new VPC: `availabilityZones` AZs, public subnets, no NAT, flow logs */
  readonly vpc?: IVpc;
  /** Availability zones of the new VPC, the NLB and the listener tasks (1 or more). @default profile (2; economy 1) */
  readonly availabilityZones?: number;
  /** Listener tasks in private subnets with egress, without public IPs (needs a VPC with NAT). @default false */
  readonly privateListenerTasks?: boolean;
  /** Traffic recorded by the new VPC's flow logs. @default profile (REJECT) */
  readonly flowLogTrafficType?: FlowLogTrafficType;
  /** Listener task CPU units. @default profile (512; economy 256) */
  readonly listenerCpu?: number;
  /** @default profile (1024; economy 512) */
  readonly listenerMemoryMiB?: number;
  /** Container Insights on the listener cluster (~20 custom metrics). @default profile (realtime only) */
  readonly containerInsights?: boolean;
  /** Fewest listener tasks (and the count at deploy). @default profile (2; economy 1) */
  readonly listenerMinCount?: number;
  /** Most listener tasks autoscaling may start. @default 10 */
  readonly listenerMaxCount?: number;
  /** Target average CPU of listener tasks (%). @default 60 */
  readonly listenerCpuTargetPercent?: number;
  /** Target device connections per listener task (ActiveConnections metric). @default 40000 */
  readonly listenerConnectionsPerTask?: number;
  /** Listener batch window before SQS (ms). @default profile (200; balanced, economy 1000) */
  readonly listenerFlushMs?: number;
  /** Extra listener environment (HUB_CHANNEL_SYNC_MS, HUB_COMMAND_POLL_MS, HUB_CONNECTIONS_SNAPSHOT_MS, LOG_LEVEL). @default none */
  readonly listenerEnvironment?: Record<string, string>;
  /** Ingest batching window (s, 0-300). @default profile (0; balanced 50, economy 210) */
  readonly ingestBatchingWindowSeconds?: number;
  /** Queue messages per ingest invocation. @default profile (100; balanced, economy 10000) */
  readonly ingestBatchSize?: number;
  /** Ingest queues sharded by device (1-16): shorter invocations for the same batching window. @default profile (1; balanced 4) */
  readonly ingestShards?: number;
  /** @default profile (1024; balanced, economy 1769) */
  readonly ingestMemoryMiB?: number;
  /** Ingest function timeout (s, 10-900); raise it with long batching windows. @default profile (60; balanced 300, economy 900) */
  readonly ingestTimeoutSeconds?: number;
  /** Message TTL of devices created without one (days). @default 365 */
  readonly defaultDeviceMessagesTtlDays?: number;
  /** Message TTL of channels created without one (days). @default 7 */
  readonly defaultChannelMessagesTtlDays?: number;
  /** Capacity of both tables: provisioned with autoscaling, or `on-demand`. @default profile (provisioned 10-4000 units at 70 %) */
  readonly tableCapacity?: HubProvisionedCapacity | 'on-demand';
  /** Point-in-time recovery of the messages table (the registry always has it). @default profile (false) */
  readonly messagesPointInTimeRecovery?: boolean;
  /**
   * Whole days device and channel history stays in DynamoDB before the nightly archiver moves it to
   * S3 (one object per owner per day; reads merge both); 0 keeps all history in DynamoDB.
   * @default profile (2; economy 1)
   */
  readonly coldHistoryAfterDays?: number;
  /**
   * Seconds between a device's telemetry checkpoints written by ingest; reads fold the newer
   * history in, so answers do not change, only write units and the history a read folds.
   * @default profile (900; balanced 1800, economy 3600)
   */
  readonly telemetryCheckpointSeconds?: number;
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
  /** Live push over a WebSocket API (docs/api.md, "Live push"); off, the console polls. @default true */
  readonly live?: boolean;
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
  readonly live?: HubLive;
  readonly observability: HubObservability;
  /** Cold history (with `coldHistoryAfterDays` > 0). */
  readonly archive?: HubArchive;

  constructor(scope: Construct, id: string, props: TelematicsHubProps = {}) {
    super(scope, id);
    const d = HUB_DEFAULTS;
    const p = HUB_PROFILES[props.profile ?? DEFAULT_PROFILE];
    const portRange = props.channelPortRange ?? d.channelPortRange;
    const logRetention = props.logRetention ?? retentionDays(d.logRetentionDays);
    this.storage = newStorage(this, props, p);
    this.streams = new HubStreams(this, 'Streams', { storage: this.storage, logRetention });
    this.ingest = new HubIngest(this, 'Ingest', {
      storage: this.storage,
      eventBus: this.streams.bus,
      batchingWindowSeconds: props.ingestBatchingWindowSeconds ?? p.ingestBatchingWindowSeconds,
      batchSize: props.ingestBatchSize ?? p.ingestBatchSize,
      memorySize: props.ingestMemoryMiB ?? p.ingestMemoryMiB,
      timeout: Duration.seconds(props.ingestTimeoutSeconds ?? p.ingestTimeoutSeconds),
      telemetryCheckpointSeconds: props.telemetryCheckpointSeconds ?? p.telemetryCheckpointSeconds,
      shards: props.ingestShards ?? p.ingestShards,
      logRetention,
    });
    this.calcs = new HubCalcs(this, 'Calcs', { storage: this.storage, eventBus: this.streams.bus, logRetention });
    this.channels = new HubChannels(this, 'Channels', {
      storage: this.storage,
      queue: this.ingest.queues,
      portRange,
      vpc: props.vpc,
      availabilityZones: props.availabilityZones ?? p.availabilityZones,
      privateTasks: props.privateListenerTasks,
      flowLogTrafficType: props.flowLogTrafficType ?? FlowLogTrafficType[p.flowLogTrafficType],
      containerInsights: props.containerInsights ?? p.containerInsights,
      cpu: props.listenerCpu ?? p.listenerCpu,
      memoryLimitMiB: props.listenerMemoryMiB ?? p.listenerMemoryMiB,
      minCount: props.listenerMinCount ?? p.listenerMinCount,
      maxCount: props.listenerMaxCount ?? d.listenerMaxCount,
      cpuTargetPercent: props.listenerCpuTargetPercent ?? d.listenerCpuTargetPercent,
      connectionsPerTask: props.listenerConnectionsPerTask ?? d.listenerConnectionsPerTask,
      flushMs: props.listenerFlushMs ?? p.listenerFlushMs,
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
    // the interval events API requests make reach the intervals streams
    this.api.publishEvents(this.streams.bus);
    if (props.live ?? true) {
      this.live = new HubLive(this, 'Live', {
        storage: this.storage,
        eventBus: this.streams.bus,
        authorizerFunction: this.api.authorizerFunction,
        ingestFunction: this.ingest.function,
        calcsFunction: this.calcs.function,
        deadLetterQueue: this.streams.deadLetterQueue,
        logRetention,
      });
      // interval events made by API requests (deleted intervals, changed definitions) are pushed too
      this.api.pushLive();
    }
    this.archive = this.coldHistory(props.coldHistoryAfterDays ?? p.coldHistoryAfterDays, props.dataRemovalPolicy, logRetention);
    if (props.console ?? d.console)
      this.console = new HubConsole(this, 'Console', { api: this.api.api, logRetention, tileUrl: props.tileUrl, liveUrl: this.live?.url });
    this.observability = new HubObservability(this, 'Observability', {
      storage: this.storage,
      ingest: this.ingest,
      streams: this.streams,
      api: this.api,
      channels: this.channels,
      alarmEmail: props.alarmEmail,
    });
    this.archive?.errorsAlarm.addAlarmAction(new SnsAction(this.observability.topic));
    this.archive?.errorsAlarm.addOkAction(new SnsAction(this.observability.topic));

    this.outputs(portRange);
  }

  /** History older than `afterDays` in S3 (0: none), readable by every function that reads history. */
  private coldHistory(afterDays: number, removalPolicy: RemovalPolicy | undefined, logRetention: RetentionDays): HubArchive | undefined {
    if (afterDays <= 0) return undefined;
    const archive = new HubArchive(this, 'Archive', { storage: this.storage, afterDays, removalPolicy, logRetention });
    archive.attach(this.api.function, 'readWrite');
    archive.attach(this.ingest.function, 'read');
    archive.attach(this.calcs.function, 'read'); // backfill and late data read history older than the hot tier
    return archive;
  }

  /** The stack outputs: where to reach the hub, its secret, alarms and dead letters. */
  private outputs(portRange: readonly [number, number]): void {
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
    if (this.live) new CfnOutput(this, 'LiveUrl', { value: this.live.url, description: 'Live push (WebSocket): connect with ?access_token=<token>' });
    new CfnOutput(this, 'AlarmTopic', { value: this.observability.topic.topicArn, description: 'Subscribe to receive alarms' });
    new CfnOutput(this, 'IngestDeadLetterQueue', {
      value: this.ingest.deadLetterQueue.queueUrl,
      description: 'Frames that failed ingest (redrive: docs/operations.md)',
    });
    new CfnOutput(this, 'StreamsDeadLetterQueue', { value: this.streams.deadLetterQueue.queueUrl, description: 'Stream events that could not be delivered' });
  }
}

/** Both tables, with the profile's capacity and point-in-time recovery unless the props say otherwise. */
function newStorage(scope: Construct, props: TelematicsHubProps, p: HubProfile): HubStorage {
  const capacity = props.tableCapacity ?? p.tableCapacity;
  return new HubStorage(scope, 'Storage', {
    removalPolicy: props.dataRemovalPolicy,
    provisioned: capacity === 'on-demand' ? undefined : capacity,
    messagesPointInTimeRecovery: props.messagesPointInTimeRecovery ?? p.messagesPointInTimeRecovery,
  });
}
