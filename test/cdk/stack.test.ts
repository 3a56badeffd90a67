import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinitions } from '../../adapters/dynamodb/tables.js';
import { buildApp } from '../../bin/app.js';

describe('lib/TelematicsHub (synthesized template)', () => {
  let t: Template;
  beforeAll(() => {
    const { stack } = buildApp();
    t = Template.fromStack(stack);
  }, 120_000);

  /** Logical id of the one resource of a type whose id starts as given. */
  const ref = (logicalIdPrefix: RegExp, type?: string) =>
    Object.entries(t.toJSON().Resources as Record<string, { Type: string }>).find(([k, r]) => logicalIdPrefix.test(k) && (!type || r.Type === type))![0];

  describe('storage', () => {
    it('has the registry and messages tables with the keys the adapters use', () => {
      const tables = t.findResources('AWS::DynamoDB::GlobalTable');
      expect(Object.keys(tables)).toHaveLength(2);
      const local = tableDefinitions({ registry: 'r', messages: 'm' })[0];
      for (const table of Object.values(tables)) {
        expect(table.Properties.KeySchema).toEqual(local.KeySchema);
        expect(table.Properties.AttributeDefinitions).toEqual(local.AttributeDefinitions);
        expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
        expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true });
        expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      }
    });
    it('enables TTL on the ttl attribute of the messages table', () => {
      t.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } });
    });
  });

  describe('ingest', () => {
    it('has an encrypted ingest queue whose dead letters go to a DLQ after 5 receives', () => {
      t.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
      });
      t.resourceCountIs('AWS::SQS::Queue', 2);
    });
    it('runs the ingest Lambda on Node 22, ARM64, from the queue with partial batch failures', () => {
      const fn = ref(/^HubIngestFunction/, 'AWS::Lambda::Function');
      t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', Description: Match.stringLikeRegexp('ingest') });
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fn },
        EventSourceArn: { 'Fn::GetAtt': [ref(/^HubIngestFrames/, 'AWS::SQS::Queue'), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
      });
    });
    it('lets the ingest function write both tables', () => {
      const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles).includes('HubIngestFunction'));
      const text = JSON.stringify(policy);
      expect(text).toContain('dynamodb:BatchWriteItem');
      expect(text).toContain(ref(/^HubStorageRegistry/));
      expect(text).toContain(ref(/^HubStorageMessages/));
    });
  });

  describe('registry API', () => {
    it('proxies a regional REST API to the API Lambda with access logs and throttling', () => {
      t.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
      t.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
      t.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'v1',
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
        MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 })]),
      });
      t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'], Environment: { Variables: Match.objectLike({ HUB_ADMIN_SECRET_ARN: Match.anyValue(), HUB_PORT_RANGE: '20000-20019' }) } });
    });
    it('keeps the admin token in Secrets Manager, readable by the API function', () => {
      t.resourceCountIs('AWS::SecretsManager::Secret', 1);
      const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles).includes('HubRegistryFunction'));
      expect(JSON.stringify(policy)).toContain('secretsmanager:GetSecretValue');
    });
  });

  describe('channels', () => {
    it('runs the listener on Fargate ARM64 with a raised open-files limit', () => {
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
        ContainerDefinitions: [Match.objectLike({ Ulimits: [{ Name: 'nofile', SoftLimit: 200000, HardLimit: 200000 }], Environment: Match.arrayWith([Match.objectLike({ Name: 'HUB_INGEST_QUEUE_URL' })]) })],
      });
      t.hasResourceProperties('AWS::ECS::Service', { LaunchType: 'FARGATE', DesiredCount: 2 });
    });
    it('puts a TCP listener on the NLB for each of the 20 channel ports, targeting the service', () => {
      t.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 20);
      for (const port of [20000, 20019]) t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: port, Protocol: 'TCP' });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 20000, Protocol: 'TCP', TargetType: 'ip', HealthCheckPort: '8081' });
      const service = Object.values(t.findResources('AWS::ECS::Service'))[0];
      expect(service.Properties.LoadBalancers).toHaveLength(20);
    });
    it('lets the listener send to the ingest queue and use the registry table, not the messages table', () => {
      const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles).includes('HubChannelsTaskTaskRole'));
      const text = JSON.stringify(policy);
      expect(text).toContain('sqs:SendMessage');
      expect(text).not.toContain('sqs:ReceiveMessage');
      expect(text).toContain('dynamodb:Query');
      expect(text).toContain(ref(/^HubStorageRegistry/, 'AWS::DynamoDB::GlobalTable'));
      expect(text).not.toContain(ref(/^HubStorageMessages/, 'AWS::DynamoDB::GlobalTable'));
    });
  });
});
