import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { listenerEnvironment, portsOf } from '../../lib/channels.js';
import { HUB_DEFAULTS, retentionDays } from '../../lib/config.js';
import { CONSOLE_PLACEHOLDER_HTML, consoleSource, HubConsole } from '../../lib/console.js';
import { hubSettingsFromContext } from '../../lib/context.js';
import { ingestVisibilityTimeout } from '../../lib/ingest.js';
import { tableBilling } from '../../lib/storage.js';
import { STREAM_TYPES, streamServiceName, streamTypeId } from '../../lib/streams.js';
import { TelematicsHub } from '../../lib/telematics-hub.js';
import { cdkJsonContext, resourcesOf } from './hub-app.js';

/** TelematicsHub as a reusable L3 construct in someone else's app: their VPC, their choices. */
describe('lib/TelematicsHub (in a customer app)', () => {
  let stack: Stack;
  let hub: TelematicsHub;
  let json: { Resources: Record<string, any> };
  beforeAll(() => {
    const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
    stack = new Stack(app, 'Customer', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new Vpc(stack, 'CustomerVpc', { maxAzs: 2, natGateways: 1 });
    hub = new TelematicsHub(stack, 'Telematics', {
      vpc,
      privateListenerTasks: true,
      console: false,
      channelPortRange: [5000, 5004],
      listenerMinCount: 3,
      listenerMaxCount: 6,
      listenerConnectionsPerTask: 20_000,
      listenerFlushMs: 250,
      ingestBatchingWindowSeconds: 30,
      ingestBatchSize: 500,
      ingestTimeoutSeconds: 300,
      tableCapacity: { minWriteCapacity: 5, maxWriteCapacity: 500, minReadCapacity: 5, maxReadCapacity: 100 },
      logRetention: RetentionDays.THREE_MONTHS,
      dataRemovalPolicy: RemovalPolicy.DESTROY,
      authorizerCacheSeconds: 60,
      defaultDeviceMessagesTtlDays: 30,
    });
    json = Template.fromStack(stack).toJSON() as typeof json;
  }, 120_000);
  const t = () => Template.fromStack(stack);

  it('exposes the built resources as public fields', () => {
    expect(hub.storage.registry.tableName).toBeDefined();
    expect(hub.ingest.queue.queueArn).toBeDefined();
    expect(hub.streams.functions.aws_iot.functionArn).toBeDefined();
    expect(hub.channels.service.serviceArn).toBeDefined();
    expect(hub.api.api.restApiId).toBeDefined();
    expect(hub.observability.alarms.length).toBe(11);
    expect(hub.console).toBeUndefined();
  });

  it('uses the given VPC: tasks in its private subnets without public IPs, no VPC of its own', () => {
    t().resourceCountIs('AWS::EC2::VPC', 1);
    t().hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } } });
    const subnets = JSON.stringify(resourcesOf(json, 'AWS::ECS::Service')[0][1].Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets);
    expect(subnets).toContain('PrivateSubnet');
    expect(subnets).not.toContain('PublicSubnet');
  });

  it('opens the given 5 ports and scales 3-6 tasks at 20,000 connections each', () => {
    t().resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 5);
    t().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 6 });
    t().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', { TargetTrackingScalingPolicyConfiguration: { TargetValue: 20000 } });
    const env = resourcesOf(json, 'AWS::ECS::TaskDefinition')[0][1].Properties.ContainerDefinitions[0].Environment;
    expect(env).toContainEqual({ Name: 'HUB_FLUSH_MS', Value: '250' });
  });

  it('batches ingest for 30 s / 500 messages with a 300 s timeout, and the visibility timeout that needs', () => {
    t().hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 500, MaximumBatchingWindowInSeconds: 30 });
    t().hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * 300 + 30, RedrivePolicy: { maxReceiveCount: 5 } });
    t().hasResourceProperties('AWS::Lambda::Function', { Timeout: 300, Description: Match.stringLikeRegexp('ingest') });
  });

  it('provisions table capacity with autoscaling, and deletes the tables with the stack when asked', () => {
    for (const [, table] of resourcesOf(json, 'AWS::DynamoDB::GlobalTable')) {
      expect(table.Properties.BillingMode).toBe('PROVISIONED');
      expect(table.Properties.WriteProvisionedThroughputSettings.WriteCapacityAutoScalingSettings).toMatchObject({
        MinCapacity: 5,
        MaxCapacity: 500,
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 },
      });
      expect(table.Properties.Replicas[0].ReadProvisionedThroughputSettings.ReadCapacityAutoScalingSettings).toMatchObject({
        MinCapacity: 5,
        MaxCapacity: 100,
      });
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
      expect(table.DeletionPolicy).toBe('Delete');
    }
  });

  it('has no console when turned off, and keeps logs 90 days', () => {
    t().resourceCountIs('AWS::CloudFront::Distribution', 0);
    // the one bucket is the message archive's (cold history, on by default)
    expect(resourcesOf(json, 'AWS::S3::Bucket').map(([k]) => k.replace(/[0-9A-F]{8}$/, ''))).toEqual(['TelematicsArchiveBucket']);
    for (const [, lg] of resourcesOf(json, 'AWS::Logs::LogGroup')) expect(lg.Properties.RetentionInDays).toBe(90);
  });

  it('caches authorizer answers 60 s and passes the default device TTL to the API', () => {
    t().hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 60 });
    const api = resourcesOf(json, 'AWS::Lambda::Function').find(([k]) => /^TelematicsRegistryFunction[0-9A-F]{8}$/.test(k))![1];
    expect(api.Properties.Environment.Variables.HUB_DEFAULT_DEVICE_MESSAGES_TTL).toBe(String(30 * 86400));
  });

  it('adds no nag finding of its own to the customer stack (only the customer VPC lacks flow logs)', () => {
    const violations = new AwsSolutionsChecks().validateScope(stack).violations;
    const paths = violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(paths.filter((p) => !p.includes('/CustomerVpc'))).toEqual([]);
  });
});

describe('lib/TelematicsHub (validation of props)', () => {
  const build = (props: ConstructorParameters<typeof TelematicsHub>[2]) => () =>
    new TelematicsHub(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S'), 'Hub', props);
  it('refuses more than 50 channel ports, a range over the health port, and large batches without a window', () => {
    expect(build({ channelPortRange: [20000, 20050] })).toThrow(/at most 50 ports/);
    expect(build({ channelPortRange: [8070, 8090] })).toThrow(/health port 8081/);
    expect(build({ ingestBatchSize: 100, ingestBatchingWindowSeconds: 0 })).toThrow(/batching window/);
    expect(build({ ingestBatchingWindowSeconds: 301 })).toThrow(/0-300/);
    expect(build({ ingestTimeoutSeconds: 901 })).toThrow(/10-900/);
    expect(build({ listenerMinCount: 4, listenerMaxCount: 2 })).toThrow(/min <= max/);
  });
});

describe('lib/context hubSettingsFromContext', () => {
  it('reads cdk.json into exactly the documented defaults', () => {
    const { stackName, vpcId, props } = hubSettingsFromContext(cdkJsonContext());
    expect(stackName).toBe('TelematicsHub');
    expect(vpcId).toBeUndefined();
    const d = HUB_DEFAULTS;
    // the fewest listener tasks and the zones come from the profile (lib/profiles.ts), not cdk.json
    expect(props.listenerMinCount).toBeUndefined();
    expect(props.availabilityZones).toBeUndefined();
    expect(props).toMatchObject({
      profile: 'realtime',
      channelPortRange: d.channelPortRange,
      listenerMaxCount: d.listenerMaxCount,
      listenerCpuTargetPercent: d.listenerCpuTargetPercent,
      listenerConnectionsPerTask: d.listenerConnectionsPerTask,
      defaultDeviceMessagesTtlDays: d.defaultDeviceMessagesTtlDays,
      defaultChannelMessagesTtlDays: d.defaultChannelMessagesTtlDays,
      logRetention: RetentionDays.ONE_MONTH,
      apiThrottleRateLimit: d.apiThrottleRateLimit,
      apiThrottleBurstLimit: d.apiThrottleBurstLimit,
      authorizerCacheSeconds: d.authorizerCacheSeconds,
      console: true,
    });
    // the profile's knobs are left to the profile (lib/profiles.ts), so hub:profile decides them
    for (const key of [
      'listenerCpu',
      'listenerMemoryMiB',
      'listenerFlushMs',
      'ingestBatchingWindowSeconds',
      'ingestBatchSize',
      'ingestMemoryMiB',
      'ingestTimeoutSeconds',
      'tableCapacity',
      'messagesPointInTimeRecovery',
      'coldHistoryAfterDays',
      'containerInsights',
      'flowLogTrafficType',
    ] as const)
      expect(props[key], key).toBeUndefined();
  });
  it('accepts command-line strings (-c hub:key=value)', () => {
    const { props, vpcId } = hubSettingsFromContext({
      'hub:channelPortRange': '5000-5009',
      'hub:listenerMinCount': '3',
      'hub:console': 'false',
      'hub:logRetentionDays': '90',
      'hub:vpcId': 'vpc-0123',
      'hub:tableCapacity': '{"minWriteCapacity":5,"maxWriteCapacity":50,"minReadCapacity":5,"maxReadCapacity":20}',
      'hub:dataRemovalPolicy': 'destroy',
      'hub:flowLogTrafficType': 'REJECT',
      'hub:alarmEmail': 'ops@example.com',
      'hub:tileUrl': 'none',
    });
    expect(vpcId).toBe('vpc-0123');
    expect(props).toMatchObject({
      channelPortRange: [5000, 5009],
      listenerMinCount: 3,
      console: false,
      logRetention: RetentionDays.THREE_MONTHS,
      tableCapacity: { minWriteCapacity: 5, maxWriteCapacity: 50, minReadCapacity: 5, maxReadCapacity: 20 },
      dataRemovalPolicy: RemovalPolicy.DESTROY,
      flowLogTrafficType: 'REJECT',
      alarmEmail: 'ops@example.com',
      tileUrl: 'none',
    });
  });
  it('names the key of an unknown or malformed setting', () => {
    expect(() => hubSettingsFromContext({ 'hub:listnerCpu': 512 })).toThrow(/unknown context key hub:listnerCpu/);
    expect(() => hubSettingsFromContext({ 'hub:listenerCpu': 'lots' })).toThrow(/hub:listenerCpu.*number/);
    expect(() => hubSettingsFromContext({ 'hub:console': 'yes' })).toThrow(/hub:console/);
    expect(() => hubSettingsFromContext({ 'hub:channelPortRange': [1] })).toThrow(/hub:channelPortRange/);
    expect(() => hubSettingsFromContext({ 'hub:logRetentionDays': 31 })).toThrow(/log retention 31 days/);
    expect(() => hubSettingsFromContext({ 'hub:tableCapacity': { minWriteCapacity: 1 } })).toThrow(/hub:tableCapacity/);
    expect(() => hubSettingsFromContext({ 'hub:dataRemovalPolicy': 'keep' })).toThrow(/hub:dataRemovalPolicy/);
    expect(() => hubSettingsFromContext({ 'hub:profile': 'cheap' })).toThrow(/hub:profile="cheap": expected realtime, balanced, economy/);
  });
  it('ignores context that is not the hub', () => {
    expect(() => hubSettingsFromContext({ '@aws-cdk/core:checkSecretUsage': true })).not.toThrow();
  });
});

describe('lib pure helpers', () => {
  it('retentionDays accepts CloudWatch values only', () => {
    expect(retentionDays(30)).toBe(RetentionDays.ONE_MONTH);
    expect(() => retentionDays(0)).toThrow();
  });
  it('ingestVisibilityTimeout is six function timeouts plus the batching window', () => {
    expect(ingestVisibilityTimeout(Duration.seconds(60), 1).toSeconds()).toBe(361);
  });
  it('streamTypeId and streamServiceName name every stream type', () => {
    expect(STREAM_TYPES.map(streamTypeId)).toEqual(['Http', 'Mqtt', 'WialonRetranslator', 'AWSIOT', 'Thingsboard']);
    expect(streamServiceName('wialon_retranslator')).toBe('hub-stream-wialon-retranslator');
  });
  it('portsOf lists a range', () => {
    expect(portsOf([20000, 20002])).toEqual([20000, 20001, 20002]);
  });
  it('listenerEnvironment carries what listener/main.ts reads, extras last', () => {
    const env = listenerEnvironment({ queueUrl: 'q', registryTable: 'r', messagesTable: 'm', region: 'eu-west-1', extra: { LOG_LEVEL: 'debug' } });
    expect(Object.keys(env).sort()).toEqual([
      'AWS_REGION',
      'HUB_CHANNEL_SYNC_MS',
      'HUB_COMMAND_POLL_MS',
      'HUB_CONNECTIONS_SNAPSHOT_MS',
      'HUB_FLUSH_MS',
      'HUB_HEALTH_PORT',
      'HUB_INGEST_QUEUE_URL',
      'HUB_LISTENER_WORKERS',
      'HUB_METRICS',
      'HUB_TABLE_MESSAGES',
      'HUB_TABLE_REGISTRY',
      'LOG_LEVEL',
    ]);
    expect(env.LOG_LEVEL).toBe('debug');
    expect(listenerEnvironment({ queueUrl: 'q', registryTable: 'r', messagesTable: 'm', region: 'r', cpu: 2048 }).HUB_LISTENER_WORKERS).toBe('2');
  });
  it('deploys the placeholder page when the console was not built, with the same template shape as a build', () => {
    const deploymentOf = (distPath: string) => {
      const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S');
      const api = new RestApi(s, 'Api');
      api.root.addMethod('GET', new MockIntegration());
      new HubConsole(s, 'Console', { api, distPath });
      return JSON.stringify(Template.fromStack(s).findResources('Custom::CDKBucketDeployment')).replace(/[0-9a-f]{64}/g, '<hash>');
    };
    const built = mkdtempSync(join(tmpdir(), 'console-dist-'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title>');
    expect(deploymentOf('/nonexistent/console/dist')).toEqual(deploymentOf(built));
    expect(existsSync('/nonexistent/console/dist')).toBe(false);
    expect(CONSOLE_PLACEHOLDER_HTML).toContain('console was not built');
    expect(consoleSource('/nonexistent/console/dist')).toBeDefined();
  });
  it('writes config.json with the tile URL (hub:tileUrl) into the console bucket, and none without one', () => {
    /** The files of each source the console deployment copies into the site bucket (staged assets, by S3 key). */
    const deployedFiles = (tileUrl?: string) => {
      const app = new App({ builtinCloudFormationValidation: false });
      const s = new Stack(app, 'S');
      const api = new RestApi(s, 'Api');
      api.root.addMethod('GET', new MockIntegration());
      new HubConsole(s, 'Console', { api, distPath: '/nonexistent/console/dist', tileUrl });
      const [deployment] = Object.values(Template.fromStack(s).findResources('Custom::CDKBucketDeployment'));
      const dir = app.synth().directory;
      return (deployment.Properties.SourceObjectKeys as string[]).map((key) => {
        const staged = join(dir, `asset.${key.replace(/\.zip$/, '')}`);
        return Object.fromEntries(readdirSync(staged).map((f) => [f, readFileSync(join(staged, f), 'utf8')]));
      });
    };
    const tiles = 'https://tiles.example.com/{z}/{x}/{y}.png';
    expect(deployedFiles(tiles)).toEqual([{ 'index.html': CONSOLE_PLACEHOLDER_HTML }, { 'config.json': JSON.stringify({ tilesUrl: tiles }) }]);
    expect(deployedFiles('none')).toEqual([{ 'index.html': CONSOLE_PLACEHOLDER_HTML }, { 'config.json': JSON.stringify({ tilesUrl: '' }) }]);
    expect(deployedFiles()).toEqual([{ 'index.html': CONSOLE_PLACEHOLDER_HTML }]);
    expect(() => deployedFiles('tiles.example.com/{z}/{x}/{y}.png')).toThrow(/console tileUrl .*expected "none" or an http\(s\) URL template/);
  });
  it('tableBilling is on-demand unless provisioned bounds are given', () => {
    expect(tableBilling()).toMatchObject({ mode: 'PAY_PER_REQUEST' });
    expect(tableBilling({ minWriteCapacity: 1, maxWriteCapacity: 2, minReadCapacity: 1, maxReadCapacity: 2 })).toMatchObject({ mode: 'PROVISIONED' });
  });
  it('every stream type has a function in the ready stack', () => {
    expect(STREAM_TYPES).toHaveLength(5);
  });
});
