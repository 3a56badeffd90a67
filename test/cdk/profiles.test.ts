import type { PolicyViolation } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_KEEP_TAG } from '../../core/env.js';
import { DEFAULT_PROFILE, HUB_PROFILES, type HubProfileName } from '../../lib/profiles.js';
import { hubApp, resourcesOf } from './hub-app.js';

type Json = { Resources: Record<string, any> };

function synth(context: Record<string, unknown>) {
  const { app, stack } = hubApp({ context: { 'hub:alarmEmail': 'ops@example.com', ...context } });
  return { app, json: Template.fromStack(stack).toJSON() as Json };
}

/** Helpers over one synthesized template. */
function view(json: Json) {
  const one = (re: RegExp, type?: string) => {
    const found = resourcesOf(json, type).filter(([k]) => re.test(k));
    if (found.length !== 1) throw new Error(`${found.length} resources match ${re}`);
    return found[0];
  };
  const statements = (role: RegExp) => {
    const [roleId] = one(role, 'AWS::IAM::Role');
    return resourcesOf(json, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
  };
  const s3Actions = (role: RegExp) =>
    statements(role)
      .flatMap((s) => [s.Action].flat())
      .filter((a) => a.startsWith('s3:'))
      .sort();
  const env = (fn: RegExp) => one(fn, 'AWS::Lambda::Function')[1].Properties.Environment.Variables as Record<string, unknown>;
  const listenerEnv = () =>
    Object.fromEntries(
      one(/^HubChannelsTask[0-9A-F]{8}$/, 'AWS::ECS::TaskDefinition')[1].Properties.ContainerDefinitions[0].Environment.map(
        (e: { Name: string; Value: unknown }) => [e.Name, e.Value],
      ),
    );
  return { one, statements, s3Actions, env, listenerEnv };
}

const violations = (v: PolicyViolation[]) => v.flatMap((x) => x.violatingResources.map((r) => `${x.ruleName} on ${r.constructPath}`));

describe('lib/profiles (hub:profile)', () => {
  it('deploys realtime unless told otherwise', () => {
    expect(DEFAULT_PROFILE).toBe('realtime');
  });

  for (const name of Object.keys(HUB_PROFILES) as HubProfileName[]) {
    describe(name, () => {
      const p = HUB_PROFILES[name];
      let json: Json;
      let app: ReturnType<typeof synth>['app'];
      beforeAll(() => {
        ({ json, app } = synth({ 'hub:profile': name }));
      }, 120_000);

      it('batches frames in the listener and ingest as the profile says', () => {
        const v = view(json);
        expect(v.listenerEnv().HUB_FLUSH_MS).toBe(String(p.listenerFlushMs));
        const mappings = resourcesOf(json, 'AWS::Lambda::EventSourceMapping');
        expect(mappings).toHaveLength(p.ingestShards);
        for (const [, esm] of mappings) {
          expect(esm.Properties.BatchSize).toBe(p.ingestBatchSize);
          // an absent window is SQS's default, 0 s (invoke as soon as the poller receives)
          expect(esm.Properties.MaximumBatchingWindowInSeconds ?? 0).toBe(p.ingestBatchingWindowSeconds);
        }
        expect(v.one(/^HubIngestFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function')[1].Properties).toMatchObject({
          MemorySize: p.ingestMemoryMiB,
          Timeout: p.ingestTimeoutSeconds,
        });
        const queues = resourcesOf(json, 'AWS::SQS::Queue').filter(([k]) => /^HubIngestFrames\d*[0-9A-F]{8}$/.test(k));
        expect(queues).toHaveLength(p.ingestShards);
        for (const [, q] of queues) expect(q.Properties.VisibilityTimeout).toBe(6 * p.ingestTimeoutSeconds + p.ingestBatchingWindowSeconds);
      });

      it('shards ingest by device as the profile says: one event source per queue, the listener told every queue', () => {
        const v = view(json);
        const queueIds = resourcesOf(json, 'AWS::SQS::Queue')
          .map(([k]) => k)
          .filter((k) => /^HubIngestFrames\d*[0-9A-F]{8}$/.test(k))
          .sort();
        const sources = resourcesOf(json, 'AWS::Lambda::EventSourceMapping').map(([, esm]) => esm.Properties.EventSourceArn['Fn::GetAtt'][0]);
        expect(sources.sort()).toEqual(queueIds);
        const env = v.listenerEnv();
        expect(env.HUB_INGEST_QUEUE_URL).toEqual({ Ref: queueIds.find((k) => /^HubIngestFrames[0-9A-F]{8}$/.test(k)) });
        if (p.ingestShards === 1) expect(env.HUB_INGEST_SHARD_QUEUE_URLS).toBeUndefined();
        else expect(JSON.stringify(env.HUB_INGEST_SHARD_QUEUE_URLS).match(/HubIngestFrames\d*[0-9A-F]{8}/g)).toHaveLength(p.ingestShards);
        // the task may send to every shard
        const sends = v
          .statements(/^HubChannelsTaskTaskRole/)
          .filter((s) => [s.Action].flat().includes('sqs:SendMessage'))
          .map((s) => JSON.stringify(s.Resource));
        for (const id of queueIds) expect(sends.some((r) => r.includes(`"${id}"`))).toBe(true);
      });

      it('provisions both tables with autoscaling (70 %, 90 % for the windowed profiles), point-in-time recovery on the registry only', () => {
        const target = { realtime: 70, balanced: 90, economy: 90 }[name];
        for (const [id, table] of resourcesOf(json, 'AWS::DynamoDB::GlobalTable')) {
          expect(table.Properties.BillingMode).toBe('PROVISIONED');
          expect(table.Properties.WriteProvisionedThroughputSettings.WriteCapacityAutoScalingSettings).toMatchObject({
            MinCapacity: 10,
            MaxCapacity: 4000,
            TargetTrackingScalingPolicyConfiguration: { TargetValue: target },
          });
          expect(table.Properties.Replicas[0].ReadProvisionedThroughputSettings.ReadCapacityAutoScalingSettings).toMatchObject({
            MinCapacity: 10,
            MaxCapacity: 4000,
            TargetTrackingScalingPolicyConfiguration: { TargetValue: target },
          });
          expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: id.startsWith('HubStorageRegistry') });
        }
      });

      it('moves history older than its hot window to S3', () => {
        const v = view(json);
        for (const fn of [/^HubIngestFunction[0-9A-F]{8}$/, /^HubRegistryFunction[0-9A-F]{8}$/, /^HubArchiveFunction[0-9A-F]{8}$/])
          expect(v.env(fn)).toMatchObject({
            HUB_COLD_HISTORY_AFTER_DAYS: String(p.coldHistoryAfterDays),
            HUB_ARCHIVE_BUCKET: { Ref: v.one(/^HubArchiveBucket[0-9A-F]{8}$/)[0] },
          });
      });

      it('sizes the fixed costs as the profile says (listener tasks, flow logs, Container Insights)', () => {
        const v = view(json);
        expect(v.one(/^HubChannelsTask[0-9A-F]{8}$/, 'AWS::ECS::TaskDefinition')[1].Properties).toMatchObject({
          Cpu: String(p.listenerCpu),
          Memory: String(p.listenerMemoryMiB),
        });
        expect(v.one(/.*/, 'AWS::EC2::FlowLog')[1].Properties.TrafficType).toBe(p.flowLogTrafficType);
        expect(v.one(/.*/, 'AWS::ECS::Cluster')[1].Properties.ClusterSettings).toEqual([
          { Name: 'containerInsights', Value: p.containerInsights ? 'enabled' : 'disabled' },
        ]);
      });

      it('runs the listener in as many zones and tasks as the profile says (one NLB node and public IPv4 per zone)', () => {
        const v = view(json);
        const subnets = resourcesOf(json, 'AWS::EC2::Subnet');
        expect(subnets).toHaveLength(p.availabilityZones);
        const [, nlb] = v.one(/^HubChannelsNlb[0-9A-F]{8}$/, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
        expect(nlb.Properties.Subnets).toHaveLength(p.availabilityZones);
        const [, service] = v.one(/^HubChannelsService[0-9A-F]{8}$/, 'AWS::ECS::Service');
        expect(service.Properties.DesiredCount).toBe(p.listenerMinCount);
        expect(service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets).toHaveLength(p.availabilityZones);
        const [, target] = v.one(/.*/, 'AWS::ApplicationAutoScaling::ScalableTarget');
        expect(target.Properties.MinCapacity).toBe(p.listenerMinCount);
      });

      it('checkpoints telemetry as often as the profile says', () => {
        expect(view(json).env(/^HubIngestFunction[0-9A-F]{8}$/).HUB_TELEMETRY_CHECKPOINT_SECONDS).toBe(String(p.telemetryCheckpointSeconds));
      });

      it('stays cdk-nag clean (AwsSolutions and Serverless packs)', () => {
        expect(violations(new AwsSolutionsChecks().validateScope(app).violations)).toEqual([]);
        expect(violations(new ServerlessChecks().validateScope(app).violations)).toEqual([]);
      });
    });
  }

  describe('explicit keys win over the profile', () => {
    let json: Json;
    beforeAll(() => {
      ({ json } = synth({
        'hub:profile': 'economy',
        'hub:ingestBatchingWindowSeconds': 60,
        'hub:listenerFlushMs': '10',
        'hub:tableCapacity': 'on-demand',
        'hub:messagesPointInTimeRecovery': true,
        'hub:coldHistoryAfterDays': 0,
        'hub:containerInsights': 'true',
        'hub:flowLogTrafficType': 'ALL',
        'hub:listenerMinCount': 2,
        'hub:availabilityZones': 2,
        'hub:telemetryCheckpointSeconds': 600,
      }));
    }, 120_000);
    it('keeps the rest of economy and takes each given key', () => {
      const v = view(json);
      expect(v.one(/.*/, 'AWS::Lambda::EventSourceMapping')[1].Properties).toMatchObject({ BatchSize: 10_000, MaximumBatchingWindowInSeconds: 60 });
      expect(v.listenerEnv().HUB_FLUSH_MS).toBe('10');
      expect(v.one(/^HubChannelsTask[0-9A-F]{8}$/, 'AWS::ECS::TaskDefinition')[1].Properties).toMatchObject({ Cpu: '256', Memory: '512' });
      for (const [, table] of resourcesOf(json, 'AWS::DynamoDB::GlobalTable')) {
        expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
        expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      }
      expect(v.one(/.*/, 'AWS::EC2::FlowLog')[1].Properties.TrafficType).toBe('ALL');
      expect(v.one(/.*/, 'AWS::ECS::Cluster')[1].Properties.ClusterSettings).toEqual([{ Name: 'containerInsights', Value: 'enabled' }]);
      expect(v.one(/^HubChannelsService[0-9A-F]{8}$/, 'AWS::ECS::Service')[1].Properties.DesiredCount).toBe(2);
      expect(resourcesOf(json, 'AWS::EC2::Subnet')).toHaveLength(2);
      expect(v.env(/^HubIngestFunction[0-9A-F]{8}$/).HUB_TELEMETRY_CHECKPOINT_SECONDS).toBe('600');
    });
    it('builds no archive with coldHistoryAfterDays 0: all history stays in DynamoDB', () => {
      const v = view(json);
      expect(resourcesOf(json, 'AWS::Lambda::Function').filter(([k]) => k.startsWith('HubArchive'))).toEqual([]);
      expect(resourcesOf(json, 'AWS::S3::Bucket').filter(([k]) => k.startsWith('HubArchive'))).toEqual([]);
      expect(v.env(/^HubIngestFunction[0-9A-F]{8}$/).HUB_ARCHIVE_BUCKET).toBeUndefined();
      expect(v.env(/^HubRegistryFunction[0-9A-F]{8}$/).HUB_ARCHIVE_BUCKET).toBeUndefined();
    });
  });
});

describe('lib/HubArchive (the cold-history bucket and the archiver)', () => {
  let json: Json;
  let v: ReturnType<typeof view>;
  beforeAll(() => {
    ({ json } = synth({}));
    v = view(json);
  }, 120_000);

  it('keeps archived days in a private bucket encrypted at rest, owner-enforced, retained with the data', () => {
    const [, bucket] = v.one(/^HubArchiveBucket[0-9A-F]{8}$/, 'AWS::S3::Bucket');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('refuses every request without TLS', () => {
    const [bucketId] = v.one(/^HubArchiveBucket[0-9A-F]{8}$/, 'AWS::S3::Bucket');
    const [, policy] = v.one(/^HubArchiveBucketPolicy/, 'AWS::S3::BucketPolicy');
    expect(policy.Properties.Bucket).toEqual({ Ref: bucketId });
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  it('expires archived days by their keep tag (one rule per class) and aborts stray uploads', () => {
    const rules = v.one(/^HubArchiveBucket[0-9A-F]{8}$/, 'AWS::S3::Bucket')[1].Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual([
      { Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
      ...ARCHIVE_KEEP_TAG.days.map((d) => ({
        Id: `expire-keep-${d}`,
        ExpirationInDays: d,
        TagFilters: [{ Key: 'keep', Value: String(d) }],
        Status: 'Enabled',
      })),
    ]);
    expect(ARCHIVE_KEEP_TAG.days[ARCHIVE_KEEP_TAG.days.length - 1]).toBeGreaterThanOrEqual(3650); // the longest messages_ttl (10 years)
  });

  it('grants each function the S3 calls it makes on messages/* and nothing more', () => {
    const rw = ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:PutObjectTagging'];
    expect(v.s3Actions(/^HubArchiveFunctionRole[0-9A-F]{8}$/)).toEqual(rw);
    expect(v.s3Actions(/^HubRegistryFunctionRole[0-9A-F]{8}$/)).toEqual(rw);
    expect(v.s3Actions(/^HubIngestFunctionRole[0-9A-F]{8}$/)).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(v.s3Actions(/^HubRegistryAuthorizerFunctionRole[0-9A-F]{8}$/)).toEqual([]);
    for (const type of ['Http', 'Mqtt', 'WialonRetranslator', 'AWSIOT', 'Thingsboard'])
      expect(v.s3Actions(new RegExp(`^HubStreams${type}FunctionRole[0-9A-F]{8}$`))).toEqual([]);
    const [bucketId] = v.one(/^HubArchiveBucket[0-9A-F]{8}$/, 'AWS::S3::Bucket');
    const objectStatements = v.statements(/^HubRegistryFunctionRole[0-9A-F]{8}$/).filter((s) => [s.Action].flat().includes('s3:GetObject'));
    expect(objectStatements.map((s) => s.Resource)).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/messages/*']] }]);
  });

  it('runs the archiver nightly at 00:30 UTC with the tables, the bucket and the hot window; it reads both tables only', () => {
    const [fnId, fn] = v.one(/^HubArchiveFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function');
    expect(fn.Properties).toMatchObject({ MemorySize: 1769, Timeout: 900, Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    expect(fn.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'hub-archive', HUB_COLD_HISTORY_AFTER_DAYS: '2' });
    const [, rule] = v.one(/^HubArchiveSchedule/, 'AWS::Events::Rule');
    expect(rule.Properties.ScheduleExpression).toBe('cron(30 0 * * ? *)');
    // four disjoint shards of the owners, each its own run
    expect(rule.Properties.Targets).toEqual(
      [0, 1, 2, 3].map((shard) =>
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2 },
          Input: JSON.stringify({ shard, shards: 4 }),
        }),
      ),
    );
    const dynamo = v
      .statements(/^HubArchiveFunctionRole[0-9A-F]{8}$/)
      .flatMap((s) => [s.Action].flat())
      .filter((a) => a.startsWith('dynamodb:'));
    expect([...new Set(dynamo)].sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DescribeTable',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
  });

  it('alarms to the hub topic when the archiver fails', () => {
    const [, alarm] = v.one(/^HubArchiveErrors/, 'AWS::CloudWatch::Alarm');
    const [topic] = v.one(/^HubObservabilityAlarms[0-9A-F]{8}$/, 'AWS::SNS::Topic');
    expect(alarm.Properties).toMatchObject({
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      Period: 3600,
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
      TreatMissingData: 'notBreaching',
    });
  });
});
