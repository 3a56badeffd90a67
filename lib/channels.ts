import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  IpAddresses,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster,
  type ContainerDefinition,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
  Protocol as PortProtocol,
  type ScalableTaskCount,
  UlimitName,
} from 'aws-cdk-lib/aws-ecs';
import { NetworkLoadBalancer, type NetworkTargetGroup, Protocol } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../core/env.js';
import { grantTableReadWrite } from './grants.js';
import { acknowledge } from './nag.js';
import { packageRoot } from './paths.js';
import type { HubStorage } from './storage.js';

export interface HubChannelsProps {
  readonly storage: HubStorage;
  /** The ingest queue, or the ingest queues in shard order (frames go to one by ident hash). */
  readonly queue: IQueue | readonly IQueue[];
  /** First and last channel port; the NLB listens on each, for TCP and UDP (at most 50). */
  readonly portRange: readonly [number, number];
  /**
   * An existing VPC. The NLB goes to its public subnets; the tasks to its public subnets too, or
   * to its private subnets with egress when `privateTasks` is set.
   * @default a new VPC: `availabilityZones` AZs, public subnets only (no NAT gateway), flow logs, DynamoDB gateway endpoint
   */
  readonly vpc?: IVpc;
  /**
   * Zones of the new VPC, and the zones of the VPC's subnets the NLB and the tasks use (one NLB
   * node and one public IPv4 each); one zone is cheaper and has no zone redundancy.
   * @default 2
   */
  readonly availabilityZones?: number;
  /**
   * Run the tasks in private subnets with egress (NAT) and without public IPs. Needs an existing
   * VPC that has them; costs the NAT gateways' hours and data processing.
   * @default false (public subnets, public IPs, security group open on the channel ports only)
   */
  readonly privateTasks?: boolean;
  /** Traffic the new VPC's flow logs record. @default FlowLogTrafficType.ALL */
  readonly flowLogTrafficType?: FlowLogTrafficType;
  /** CloudWatch Container Insights on the cluster (about 20 custom metrics: task CPU, memory, network). @default true */
  readonly containerInsights?: boolean;
  /** @default 512 (0.5 vCPU) */
  readonly cpu?: number;
  /** @default 1024 */
  readonly memoryLimitMiB?: number;
  /** Fewest tasks (also the count at deploy time). @default 2 */
  readonly minCount?: number;
  /** @default 10 */
  readonly maxCount?: number;
  /** Target average CPU of the tasks (%), for scaling. @default 60 */
  readonly cpuTargetPercent?: number;
  /**
   * Target device connections per task, for scaling on the listener's `ActiveConnections` metric
   * (EMF, namespace TelematicsHub, dimension service=hub-listener).
   * @default 40000
   */
  readonly connectionsPerTask?: number;
  /** Open files per task: one per device connection. @default 200000 */
  readonly maxConnectionsPerTask?: number;
  /** Batch window of frames before SQS (ms): longer windows pack more frames per SQS request but delay device acks. @default 10 */
  readonly flushMs?: number;
  /** Extra environment of the listener container (e.g. HUB_CHANNEL_SYNC_MS, HUB_COMMAND_POLL_MS, LOG_LEVEL). */
  readonly environment?: Record<string, string>;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export const HEALTH_PORT = 8081;
/** Namespace, name and dimension of the listener's connection gauge (EMF). */
export const LISTENER_CONNECTIONS_METRIC = { namespace: 'TelematicsHub', metricName: 'ActiveConnections', dimensionsMap: { service: 'hub-listener' } } as const;

/** Listener container environment: what listener/main.ts reads, with the hub's defaults. */
export function listenerEnvironment(props: {
  queueUrl: string;
  /** Every ingest queue when ingest is sharded (more than one). */
  shardQueueUrls?: readonly string[];
  registryTable: string;
  messagesTable: string;
  region: string;
  cpu?: number;
  flushMs?: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    // one listener process per whole vCPU of the task (node:cluster), at least one
    [ENV.listenerWorkers]: String(Math.max(1, Math.floor((props.cpu ?? 512) / 1024))),
    [ENV.metrics]: 'emf',
    [ENV.ingestQueueUrl]: props.queueUrl,
    ...(props.shardQueueUrls && props.shardQueueUrls.length > 1 ? { [ENV.ingestShardQueueUrls]: props.shardQueueUrls.join(',') } : {}),
    [ENV.tableRegistry]: props.registryTable,
    [ENV.tableMessages]: props.messagesTable,
    [ENV.flushMs]: String(props.flushMs ?? 10),
    [ENV.healthPort]: String(HEALTH_PORT),
    [ENV.channelSyncMs]: '2000',
    [ENV.commandPollMs]: '1000',
    [ENV.connectionsSnapshotMs]: '30000',
    [ENV.logLevel]: 'info',
    AWS_REGION: props.region,
    ...props.extra,
  };
}

/** Every port of a range, in order. */
export function portsOf([lo, hi]: readonly [number, number]): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/**
 * Channel listeners: Fargate tasks (ARM64) behind a Network Load Balancer with one TCP_UDP listener
 * per port of the channel range (client IPs preserved), so a channel serves TCP or UDP devices on
 * its port (`transport`), scaled by CPU and by device connections per task. Tasks hold the device
 * sessions, so scale-in is slow (15 min cooldown) and a deployment starts new tasks before draining
 * old ones.
 */
export class HubChannels extends Construct {
  readonly vpc: IVpc;
  /** The zones the NLB and the tasks use. */
  private readonly zones: string[];
  readonly cluster: Cluster;
  readonly service: FargateService;
  readonly loadBalancer: NetworkLoadBalancer;
  readonly taskDefinition: FargateTaskDefinition;
  readonly container: ContainerDefinition;
  readonly securityGroup: SecurityGroup;
  readonly targetGroups: NetworkTargetGroup[] = [];
  readonly scaling: ScalableTaskCount;
  readonly logGroup: LogGroup;
  /** Connections per task as the scaling policy sees it. */
  readonly connectionsMetric: Metric;

  constructor(scope: Construct, id: string, props: HubChannelsProps) {
    super(scope, id);
    const [lo, hi] = props.portRange;
    if (!(lo >= 1 && hi <= 65535 && hi >= lo && hi - lo < 50)) throw new Error(`portRange ${lo}-${hi}: give at most 50 ports within 1-65535`);
    if (hi >= HEALTH_PORT && lo <= HEALTH_PORT) throw new Error(`portRange ${lo}-${hi} contains the health port ${HEALTH_PORT}`);
    const minCount = props.minCount ?? 2;
    const maxCount = props.maxCount ?? 10;
    if (!(minCount >= 1 && maxCount >= minCount)) throw new Error(`listener count ${minCount}-${maxCount}: give 1 <= min <= max`);
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const queues = [props.queue].flat();
    const azs = props.availabilityZones ?? 2;
    if (!(Number.isInteger(azs) && azs >= 1)) throw new Error(`availabilityZones ${azs}: give 1 or more`);
    this.vpc = props.vpc ?? this.newVpc(retention, props.flowLogTrafficType ?? FlowLogTrafficType.ALL, azs);
    this.zones = this.vpc.availabilityZones.slice(0, azs);

    this.cluster = this.newCluster(props.containerInsights);
    this.taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.ARM64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    const nofile = props.maxConnectionsPerTask ?? 200_000;
    this.logGroup = new LogGroup(this, 'Logs', { retention });
    this.container = this.taskDefinition.addContainer('listener', {
      image: ContainerImage.fromAsset(packageRoot(), {
        file: 'listener/Dockerfile',
        platform: Platform.LINUX_ARM64,
        exclude: ['node_modules', 'dist', 'cdk.out', 'data', '.git', 'test', 'bench', 'docs', 'coverage', 'console'],
      }),
      logging: LogDrivers.awsLogs({ streamPrefix: 'listener', logGroup: this.logGroup }),
      environment: listenerEnvironment({
        queueUrl: queues[0].queueUrl,
        shardQueueUrls: queues.map((q) => q.queueUrl),
        registryTable: props.storage.registry.tableName,
        messagesTable: props.storage.messages.tableName,
        region: Stack.of(this).region,
        cpu: props.cpu ?? 512,
        flushMs: props.flushMs,
        extra: props.environment,
      }),
      ulimits: [{ name: UlimitName.NOFILE, softLimit: nofile, hardLimit: nofile }],
      stopTimeout: Duration.seconds(60),
      healthCheck: {
        command: ['CMD-SHELL', `wget -qO- http://127.0.0.1:${HEALTH_PORT}/ || exit 1`],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // each channel port for TCP and for UDP (the NLB's TCP_UDP listeners forward both)
      portMappings: [
        { containerPort: HEALTH_PORT },
        ...portsOf(props.portRange).flatMap((containerPort) => [
          { containerPort, protocol: PortProtocol.TCP },
          { containerPort, protocol: PortProtocol.UDP },
        ]),
      ],
    });
    this.grantTask(props);
    this.securityGroup = this.newSecurityGroup(lo, hi);
    this.service = new FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: minCount,
      assignPublicIp: !props.privateTasks,
      securityGroups: [this.securityGroup],
      vpcSubnets: { subnetType: props.privateTasks ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PUBLIC, availabilityZones: this.zones },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
    });

    this.connectionsMetric = new Metric({ ...LISTENER_CONNECTIONS_METRIC, statistic: 'Average', period: Duration.minutes(1) });
    this.scaling = this.autoScale(props, minCount, maxCount);

    this.loadBalancer = this.newLoadBalancer(props.portRange);
  }

  /** The ECS cluster, with Container Insights unless the cost profile turns it off. */
  private newCluster(containerInsights: boolean | undefined): Cluster {
    const cluster = new Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: containerInsights === false ? ContainerInsights.DISABLED : ContainerInsights.ENABLED,
    });
    if (containerInsights === false)
      acknowledge(cluster, {
        id: 'AwsSolutions-ECS4',
        reason:
          'Container Insights is turned off by the cost profile: the listener publishes its own EMF metrics (connections, frames) and AWS/ECS gives service CPU and memory for free; Insights would add ~20 custom metrics.',
      });
    return cluster;
  }

  /** What the task reads and writes: the ingest queue and the registry table. */
  private grantTask(props: HubChannelsProps): void {
    for (const queue of [props.queue].flat()) queue.grantSendMessages(this.taskDefinition.taskRole);
    // channels, devices, pending commands and stream command subscriptions are read; commands
    // (sent), connection snapshots and device logs are written
    grantTableReadWrite(props.storage.registry, this.taskDefinition.taskRole);
    acknowledge(
      this.taskDefinition,
      {
        id: 'AwsSolutions-ECS2',
        reason: 'The environment holds only non-secret configuration (queue URL, table names, timings); the listener holds no secret.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The task execution role needs ecr:GetAuthorizationToken, which AWS only grants on Resource "*"; the image pull itself is scoped to the asset repository.',
      },
    );
  }

  /** The tasks' security group: the channel ports (TCP and UDP) from anywhere, the health port from the VPC. */
  private newSecurityGroup(lo: number, hi: number): SecurityGroup {
    const sg = new SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'Telematics Hub listener tasks: channel ports and health',
      allowAllOutbound: true,
    });
    sg.addIngressRule(Peer.anyIpv4(), Port.tcpRange(lo, hi), 'devices (via the NLB, client IPs preserved)');
    sg.addIngressRule(Peer.anyIpv4(), Port.udpRange(lo, hi), 'devices over UDP (via the NLB, client IPs preserved)');
    sg.addIngressRule(Peer.ipv4(this.vpc.vpcCidrBlock), Port.tcp(HEALTH_PORT), 'NLB health checks');
    acknowledge(sg, {
      id: 'AwsSolutions-EC23',
      reason:
        'GPS trackers connect from any mobile-network address; the NLB preserves client IPs, so the tasks must accept the channel ports (and only those, TCP and UDP) from 0.0.0.0/0.',
    });
    return sg;
  }

  /** Scaling by CPU and by device connections per task; scale-in is slow (tasks hold sessions). */
  private autoScale(props: HubChannelsProps, minCount: number, maxCount: number): ScalableTaskCount {
    const scaling = this.service.autoScaleTaskCount({ minCapacity: minCount, maxCapacity: maxCount });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: props.cpuTargetPercent ?? 60,
      scaleInCooldown: Duration.minutes(15),
      scaleOutCooldown: Duration.minutes(2),
    });
    scaling.scaleToTrackCustomMetric('Connections', {
      metric: this.connectionsMetric,
      targetValue: props.connectionsPerTask ?? 40_000,
      scaleInCooldown: Duration.minutes(15),
      scaleOutCooldown: Duration.minutes(2),
    });
    return scaling;
  }

  /** The internet-facing NLB: one TCP_UDP listener and target group per channel port. */
  private newLoadBalancer(portRange: readonly [number, number]): NetworkLoadBalancer {
    const nlb = new NetworkLoadBalancer(this, 'Nlb', {
      vpc: this.vpc,
      internetFacing: true,
      crossZoneEnabled: true,
      vpcSubnets: { subnetType: SubnetType.PUBLIC, availabilityZones: this.zones },
    });
    acknowledge(nlb, {
      id: 'AwsSolutions-ELB2',
      reason:
        'NLB access logs only record TLS listeners; every listener here is plain TCP_UDP (trackers do not speak TLS), so the logs would stay empty. The VPC flow logs record the connections and datagrams.',
    });
    // TCP_UDP: one listener and target group per port carry both (UDP devices get their acks and
    // commands back through the NLB's flow); client IPs are always preserved for TCP_UDP target
    // groups, set here explicitly; the health check is HTTP on the health port, as for TCP
    for (const port of portsOf(portRange)) {
      const listener = nlb.addListener(`Port${port}`, { port, protocol: Protocol.TCP_UDP });
      this.targetGroups.push(
        listener.addTargets(`Target${port}`, {
          port,
          protocol: Protocol.TCP_UDP,
          preserveClientIp: true,
          targets: [this.service.loadBalancerTarget({ containerName: this.container.containerName, containerPort: port })],
          deregistrationDelay: Duration.seconds(30),
          healthCheck: {
            protocol: Protocol.HTTP,
            port: String(HEALTH_PORT),
            path: '/',
            interval: Duration.seconds(10),
            healthyThresholdCount: 2,
            unhealthyThresholdCount: 2,
          },
        }),
      );
    }
    return nlb;
  }

  private newVpc(retention: RetentionDays, trafficType: FlowLogTrafficType, maxAzs: number): Vpc {
    const vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.40.0.0/16'),
      maxAzs,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 20 }],
      flowLogs: { all: { destination: FlowLogDestination.toCloudWatchLogs(new LogGroup(this, 'FlowLogs', { retention })), trafficType } },
    });
    // DynamoDB traffic of the tasks stays on the AWS network (gateway endpoints are free)
    vpc.addGatewayEndpoint('DynamoDb', { service: GatewayVpcEndpointAwsService.DYNAMODB });
    return vpc;
  }
}
