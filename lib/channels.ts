import { Duration, Stack } from 'aws-cdk-lib';
import { IpAddresses, type IVpc, Peer, Port, SecurityGroup, SubnetType, Vpc, FlowLogDestination, FlowLogTrafficType } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Cluster, ContainerImage, ContainerInsights, CpuArchitecture, FargateService, FargateTaskDefinition, LogDrivers, OperatingSystemFamily, UlimitName } from 'aws-cdk-lib/aws-ecs';
import { NetworkLoadBalancer, Protocol } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { packageRoot } from './paths.js';
import type { HubStorage } from './storage.js';

export interface HubChannelsProps {
  readonly storage: HubStorage;
  readonly queue: Queue;
  /** First and last channel port; the NLB listens on each. */
  readonly portRange: readonly [number, number];
  /**
   * An existing VPC (public subnets needed for the NLB and the tasks).
   * @default a new VPC with two public subnets and no NAT gateway
   */
  readonly vpc?: IVpc;
  /** @default 512 (0.5 vCPU) */
  readonly cpu?: number;
  /** @default 1024 */
  readonly memoryLimitMiB?: number;
  /** @default 2 */
  readonly desiredCount?: number;
  /** Open files per task: one per device connection. @default 200000 */
  readonly maxConnectionsPerTask?: number;
  /** Batch window of frames before SQS (ms). @default 10 */
  readonly flushMs?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export const HEALTH_PORT = 8081;

/**
 * Channel listeners: Fargate tasks (ARM64) behind a Network Load Balancer with one TCP listener per
 * port of the channel range. Tasks run in public subnets with public IPs (no NAT gateway to pay
 * for) and accept only the channel ports and the health port.
 */
export class HubChannels extends Construct {
  readonly vpc: IVpc;
  readonly cluster: Cluster;
  readonly service: FargateService;
  readonly loadBalancer: NetworkLoadBalancer;
  readonly taskDefinition: FargateTaskDefinition;

  constructor(scope: Construct, id: string, props: HubChannelsProps) {
    super(scope, id);
    const [lo, hi] = props.portRange;
    if (!(lo >= 1 && hi <= 65535 && hi >= lo && hi - lo < 50)) throw new Error(`portRange ${lo}-${hi}: give at most 50 ports within 1-65535`);
    this.vpc =
      props.vpc ??
      new Vpc(this, 'Vpc', {
        ipAddresses: IpAddresses.cidr('10.40.0.0/16'),
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 20 }],
        flowLogs: { all: { destination: FlowLogDestination.toCloudWatchLogs(new LogGroup(this, 'FlowLogs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH })), trafficType: FlowLogTrafficType.ALL } },
      });
    this.cluster = new Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ContainerInsights.ENABLED });
    this.taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.ARM64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    const nofile = props.maxConnectionsPerTask ?? 200_000;
    const container = this.taskDefinition.addContainer('listener', {
      image: ContainerImage.fromAsset(packageRoot(), {
        file: 'listener/Dockerfile',
        platform: Platform.LINUX_ARM64,
        exclude: ['node_modules', 'dist', 'cdk.out', 'data', '.git', 'test', 'bench', 'docs', 'coverage'],
      }),
      logging: LogDrivers.awsLogs({ streamPrefix: 'listener', logGroup: new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH }) }),
      environment: {
        HUB_INGEST_QUEUE_URL: props.queue.queueUrl,
        HUB_TABLE_REGISTRY: props.storage.registry.tableName,
        HUB_TABLE_MESSAGES: props.storage.messages.tableName,
        HUB_FLUSH_MS: String(props.flushMs ?? 10),
        HUB_HEALTH_PORT: String(HEALTH_PORT),
        AWS_REGION: Stack.of(this).region,
      },
      ulimits: [{ name: UlimitName.NOFILE, softLimit: nofile, hardLimit: nofile }],
      stopTimeout: Duration.seconds(60),
      portMappings: [{ containerPort: HEALTH_PORT }, ...range(lo, hi).map((containerPort) => ({ containerPort }))],
    });
    props.queue.grantSendMessages(this.taskDefinition.taskRole);
    // channels, devices and pending commands are read; commands (sent), connection snapshots
    // and device logs are written
    props.storage.registry.grantReadWriteData(this.taskDefinition.taskRole);

    const sg = new SecurityGroup(this, 'TaskSecurityGroup', { vpc: this.vpc, description: 'Telematics Hub listener tasks: channel ports and health', allowAllOutbound: true });
    sg.addIngressRule(Peer.anyIpv4(), Port.tcpRange(lo, hi), 'devices (via the NLB, client IPs preserved)');
    sg.addIngressRule(Peer.ipv4(this.vpc.vpcCidrBlock), Port.tcp(HEALTH_PORT), 'NLB health checks');
    this.service = new FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.desiredCount ?? 2,
      assignPublicIp: true,
      securityGroups: [sg],
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
    });

    this.loadBalancer = new NetworkLoadBalancer(this, 'Nlb', { vpc: this.vpc, internetFacing: true, crossZoneEnabled: true });
    for (const port of range(lo, hi)) {
      const listener = this.loadBalancer.addListener(`Port${port}`, { port, protocol: Protocol.TCP });
      listener.addTargets(`Target${port}`, {
        port,
        protocol: Protocol.TCP,
        targets: [this.service.loadBalancerTarget({ containerName: container.containerName, containerPort: port })],
        deregistrationDelay: Duration.seconds(30),
        healthCheck: { protocol: Protocol.HTTP, port: String(HEALTH_PORT), path: '/', interval: Duration.seconds(10), healthyThresholdCount: 2, unhealthyThresholdCount: 2 },
      });
    }
  }
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}
