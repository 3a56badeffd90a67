import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinitions } from '../../adapters/dynamodb/tables.js';
import { hubApp, resourcesOf } from './hub-app.js';

/**
 * The ready-made stack as `cdk synth` builds it from cdk.json (plus an alarm e-mail), asserted
 * resource by resource: what exists, its key properties, and how the pieces are wired. cdk.json
 * deploys the `realtime` profile (lib/profiles.ts); test/cdk/profiles.test.ts covers the others.
 */
describe('lib/TelematicsHub (synthesized template)', () => {
  let t: Template;
  let json: { Resources: Record<string, any>; Outputs: Record<string, any> };
  beforeAll(() => {
    const { stack } = hubApp({ context: { 'hub:alarmEmail': 'ops@example.com' } });
    t = Template.fromStack(stack);
    json = t.toJSON() as typeof json;
  }, 120_000);

  /** Logical id of the one resource of a type whose id matches. */
  const ref = (logicalId: RegExp, type?: string) => {
    const found = resourcesOf(json, type).filter(([k]) => logicalId.test(k));
    if (found.length !== 1) throw new Error(`${found.length} resources match ${logicalId}`);
    return found[0][0];
  };
  const resource = (logicalId: RegExp, type?: string) => json.Resources[ref(logicalId, type)];
  /** The statements of the default policy attached to a role whose logical id matches. */
  const statementsOf = (role: RegExp) => {
    const roleId = ref(role, 'AWS::IAM::Role');
    const policies = resourcesOf(json, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`));
    return policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
  };
  const actionsOn = (role: RegExp, resourceId: string) =>
    statementsOf(role)
      .filter((s) => JSON.stringify(s.Resource).includes(`"${resourceId}"`))
      .flatMap((s) => [s.Action].flat());
  const allActions = (role: RegExp) => statementsOf(role).flatMap((s) => [s.Action].flat());
  const registry = () => ref(/^HubStorageRegistry/, 'AWS::DynamoDB::GlobalTable');
  const messages = () => ref(/^HubStorageMessages/, 'AWS::DynamoDB::GlobalTable');
  const streamTypes = ['Http', 'Mqtt', 'WialonRetranslator', 'AWSIOT', 'Thingsboard'];

  describe('inventory', () => {
    it('has exactly these resources', () => {
      const counts: Record<string, number> = {};
      for (const [, r] of resourcesOf(json)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
      expect(counts).toEqual({
        'AWS::ApiGateway::Account': 1,
        'AWS::ApiGateway::Authorizer': 1,
        'AWS::ApiGateway::Deployment': 1,
        'AWS::ApiGateway::GatewayResponse': 5,
        'AWS::ApiGateway::Method': 3,
        'AWS::ApiGateway::Resource': 2,
        'AWS::ApiGateway::RestApi': 1,
        'AWS::ApiGateway::Stage': 1,
        'AWS::ApiGatewayV2::Api': 1,
        'AWS::ApiGatewayV2::Authorizer': 1,
        'AWS::ApiGatewayV2::Integration': 1,
        'AWS::ApiGatewayV2::Route': 5,
        'AWS::ApiGatewayV2::Stage': 1,
        'AWS::ApplicationAutoScaling::ScalableTarget': 1,
        'AWS::ApplicationAutoScaling::ScalingPolicy': 2,
        'AWS::CloudFront::Distribution': 1,
        'AWS::CloudFront::Function': 1,
        'AWS::CloudFront::OriginAccessControl': 1,
        'AWS::CloudWatch::Alarm': 12,
        'AWS::CloudWatch::Dashboard': 1,
        'AWS::DynamoDB::GlobalTable': 2,
        'AWS::EC2::FlowLog': 1,
        'AWS::EC2::InternetGateway': 1,
        'AWS::EC2::Route': 2,
        'AWS::EC2::RouteTable': 2,
        'AWS::EC2::SecurityGroup': 1,
        'AWS::EC2::Subnet': 2,
        'AWS::EC2::SubnetRouteTableAssociation': 2,
        'AWS::EC2::VPC': 1,
        'AWS::EC2::VPCEndpoint': 1,
        'AWS::EC2::VPCGatewayAttachment': 1,
        'AWS::ECS::Cluster': 1,
        'AWS::ECS::Service': 1,
        'AWS::ECS::TaskDefinition': 1,
        'AWS::ElasticLoadBalancingV2::Listener': 20,
        'AWS::ElasticLoadBalancingV2::LoadBalancer': 1,
        'AWS::ElasticLoadBalancingV2::TargetGroup': 20,
        'AWS::Events::EventBus': 1,
        'AWS::Events::Rule': 9,
        'AWS::IAM::Policy': 16,
        'AWS::IAM::Role': 17,
        'AWS::KMS::Key': 1,
        'AWS::Lambda::EventInvokeConfig': 7,
        'AWS::Lambda::EventSourceMapping': 1,
        'AWS::Lambda::Function': 13,
        'AWS::Lambda::LayerVersion': 1,
        'AWS::Lambda::Permission': 26,
        'AWS::Logs::LogGroup': 17,
        'AWS::S3::Bucket': 3,
        'AWS::S3::BucketPolicy': 3,
        'AWS::SNS::Subscription': 1,
        'AWS::SNS::Topic': 1,
        'AWS::SNS::TopicPolicy': 1,
        'AWS::SQS::Queue': 3,
        'AWS::SQS::QueuePolicy': 3,
        'AWS::SecretsManager::Secret': 1,
        'Custom::CDKBucketDeployment': 1,
      });
    });

    it('runs every hub function on Node 22, ARM64, X-Ray, JSON logs, with its own role and no AWS managed policy', () => {
      const hubFunctions = resourcesOf(json, 'AWS::Lambda::Function').filter(([k]) => k.startsWith('Hub'));
      expect(hubFunctions).toHaveLength(12);
      for (const [, fn] of hubFunctions) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON' },
        });
        expect(fn.Properties.VpcConfig).toBeUndefined();
        const role = json.Resources[fn.Properties.Role['Fn::GetAtt'][0]];
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
        // logs only to its own log group
        expect(json.Resources[fn.Properties.LoggingConfig.LogGroup.Ref].Type).toBe('AWS::Logs::LogGroup');
      }
    });

    it('keeps every log group for the configured 30 days', () => {
      for (const [, lg] of resourcesOf(json, 'AWS::Logs::LogGroup')) expect(lg.Properties.RetentionInDays).toBe(30);
    });

    it('never grants DynamoDB Scan or table wildcards', () => {
      const text = JSON.stringify(resourcesOf(json, 'AWS::IAM::Policy'));
      expect(text).not.toContain('dynamodb:Scan');
      expect(text).not.toContain('dynamodb:*');
      expect(text).not.toMatch(/\/index\/\*/);
    });

    it('outputs the API URL, device endpoint, admin secret, console URL, live URL, alarm topic and both DLQs', () => {
      expect(
        Object.keys(json.Outputs)
          .filter((k) => k.startsWith('Hub'))
          .map((k) => k.replace(/[A-F0-9]{8}$/, '')),
      ).toEqual([
        'HubRegistryApiEndpoint', // RestApi's own
        'HubApiUrl',
        'HubDeviceEndpoint',
        'HubAdminTokenSecret',
        'HubConsoleUrl',
        'HubLiveUrl',
        'HubAlarmTopic',
        'HubIngestDeadLetterQueue',
        'HubStreamsDeadLetterQueue',
      ]);
    });
  });

  describe('storage', () => {
    it('has the registry and messages tables with the keys the adapters use, encrypted, autoscaled, with deletion protection and PITR on the registry', () => {
      const tables = resourcesOf(json, 'AWS::DynamoDB::GlobalTable');
      expect(tables).toHaveLength(2);
      const local = tableDefinitions({ registry: 'r', messages: 'm' })[0];
      for (const [id, table] of tables) {
        expect(table.Properties.KeySchema).toEqual(local.KeySchema);
        expect(table.Properties.AttributeDefinitions).toEqual(local.AttributeDefinitions);
        expect(table.Properties.BillingMode).toBe('PROVISIONED');
        expect(table.Properties.WriteProvisionedThroughputSettings.WriteCapacityAutoScalingSettings).toMatchObject({
          MinCapacity: 10,
          MaxCapacity: 4000,
          TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 },
        });
        expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true });
        expect(table.Properties.Replicas[0]).toMatchObject({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: id === registry() },
          DeletionProtectionEnabled: true,
        });
        expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
        expect(table.DeletionPolicy).toBe('Retain');
      }
    });
    it('expires messages on the ttl attribute and nothing in the registry', () => {
      expect(resource(/^HubStorageMessages/).Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
      expect(resource(/^HubStorageRegistry/).Properties.TimeToLiveSpecification).toBeUndefined();
    });
  });

  describe('ingest', () => {
    it('has an encrypted, TLS-only ingest queue whose messages go to an encrypted DLQ after 5 receives', () => {
      const dlq = ref(/^HubIngestDeadLetters/, 'AWS::SQS::Queue');
      expect(resource(/^HubIngestFrames/, 'AWS::SQS::Queue').Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        // realtime: six times the 60 s timeout, no batching window
        VisibilityTimeout: 360,
        MessageRetentionPeriod: 4 * 86400,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      });
      expect(json.Resources[dlq].Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
      for (const [, policy] of resourcesOf(json, 'AWS::SQS::QueuePolicy')) {
        expect(policy.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        );
      }
    });
    it('feeds the ingest function from the queue in batches of up to 10 without a window (realtime), reporting partial failures', () => {
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: ref(/^HubIngestFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function') },
        EventSourceArn: { 'Fn::GetAtt': [ref(/^HubIngestFrames/, 'AWS::SQS::Queue'), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: Match.absent(),
      });
    });
    it('tells the ingest function its tables, the streams bus and the archive', () => {
      expect(resource(/^HubIngestFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function').Properties).toMatchObject({
        MemorySize: 1024,
        Timeout: 60,
        Environment: {
          Variables: {
            HUB_TABLE_REGISTRY: { Ref: registry() },
            HUB_TABLE_MESSAGES: { Ref: messages() },
            HUB_EVENT_BUS_NAME: { Ref: ref(/^HubStreamsBus/, 'AWS::Events::EventBus') },
            HUB_ARCHIVE_BUCKET: { Ref: ref(/^HubArchiveBucket/, 'AWS::S3::Bucket') },
            HUB_COLD_HISTORY_AFTER_DAYS: '2',
            POWERTOOLS_SERVICE_NAME: 'hub-ingest',
            POWERTOOLS_METRICS_NAMESPACE: 'TelematicsHub',
          },
        },
      });
    });
    it('lets the ingest function use both tables, consume its queue and put events on the hub bus only', () => {
      const role = /^HubIngestFunctionRole[0-9A-F]{8}$/;
      for (const table of [registry(), messages()])
        expect(actionsOn(role, table)).toEqual(expect.arrayContaining(['dynamodb:BatchWriteItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem']));
      expect(actionsOn(role, ref(/^HubStreamsBus/, 'AWS::Events::EventBus'))).toEqual(['events:PutEvents']);
      expect(statementsOf(role).filter((s) => [s.Action].flat().includes('events:PutEvents'))).toHaveLength(1);
      expect(actionsOn(role, ref(/^HubIngestFrames/, 'AWS::SQS::Queue'))).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
      expect(allActions(role)).not.toContain('sqs:SendMessage');
    });
  });

  describe('streams', () => {
    it('has a custom bus without a resource policy', () => {
      t.resourceCountIs('AWS::Events::EventBus', 1);
      expect(resource(/^HubStreamsBus/).Properties.Policy).toBeUndefined();
    });
    it('runs one function per stream type outside the VPC, 256 MB, 120 s, with its type and the tables', () => {
      for (const type of streamTypes) {
        const fn = resource(new RegExp(`^HubStreams${type}Function[0-9A-F]{8}$`), 'AWS::Lambda::Function');
        const wire = { Http: 'http', Mqtt: 'mqtt', WialonRetranslator: 'wialon_retranslator', AWSIOT: 'aws_iot', Thingsboard: 'thingsboard' }[type]!;
        expect(fn.Properties).toMatchObject({
          MemorySize: 256,
          Timeout: 120,
          Environment: {
            Variables: {
              HUB_STREAM_TYPE: wire,
              HUB_TABLE_REGISTRY: { Ref: registry() },
              HUB_TABLE_MESSAGES: { Ref: messages() },
              POWERTOOLS_SERVICE_NAME: `hub-stream-${wire.replaceAll('_', '-')}`,
            },
          },
        });
        expect(fn.Properties.VpcConfig).toBeUndefined();
      }
    });
    it('routes messages events by detail.type to the function of that type, retrying 24 h / 185 times into an encrypted DLQ', () => {
      const dlq = ref(/^HubStreamsDeadLetters/, 'AWS::SQS::Queue');
      expect(json.Resources[dlq].Properties).toMatchObject({ SqsManagedSseEnabled: true });
      const wire: Record<string, string> = {
        Http: 'http',
        Mqtt: 'mqtt',
        WialonRetranslator: 'wialon_retranslator',
        AWSIOT: 'aws_iot',
        Thingsboard: 'thingsboard',
      };
      for (const type of streamTypes) {
        expect(resource(new RegExp(`^HubStreams${type}Rule[0-9A-F]{8}$`), 'AWS::Events::Rule').Properties).toEqual(
          expect.objectContaining({
            EventBusName: { Ref: ref(/^HubStreamsBus/, 'AWS::Events::EventBus') },
            EventPattern: { source: ['telematics-hub'], 'detail-type': ['messages'], detail: { type: [wire[type]] } },
            Targets: [
              expect.objectContaining({
                Arn: { 'Fn::GetAtt': [ref(new RegExp(`^HubStreams${type}Function[0-9A-F]{8}$`), 'AWS::Lambda::Function'), 'Arn'] },
                DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
                RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
              }),
            ],
          }),
        );
      }
      // EventBridge may write failed events to the DLQ (only from the hub's rules)
      const dlqPolicy = resourcesOf(json, 'AWS::SQS::QueuePolicy').find(([, p]) => JSON.stringify(p.Properties.Queues).includes(dlq))![1];
      expect(JSON.stringify(dlqPolicy)).toContain('events.amazonaws.com');
      expect(JSON.stringify(dlqPolicy)).toContain('aws:SourceArn');
    });
    it('invokes every stream function each minute with {"drain": true}', () => {
      const schedule = resource(/^HubStreamsDrainSchedule/, 'AWS::Events::Rule').Properties;
      expect(schedule.ScheduleExpression).toBe('rate(1 minute)');
      expect(schedule.Targets).toHaveLength(5);
      for (const target of schedule.Targets) expect(JSON.parse(target.Input)).toEqual({ drain: true });
      expect(schedule.Targets.map((x: any) => x.Arn['Fn::GetAtt'][0]).sort()).toEqual(
        streamTypes.map((s) => ref(new RegExp(`^HubStreams${s}Function[0-9A-F]{8}$`), 'AWS::Lambda::Function')).sort(),
      );
    });
    it('runs the calculators backfill and tick each minute, with both tables and the hub bus', () => {
      const schedule = resource(/^HubCalcsTickSchedule/, 'AWS::Events::Rule').Properties;
      expect(schedule.ScheduleExpression).toBe('rate(1 minute)');
      expect(schedule.Targets).toHaveLength(1);
      const fnId = ref(/^HubCalcsTickFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function');
      expect(schedule.Targets[0].Arn['Fn::GetAtt'][0]).toBe(fnId);
      expect(schedule.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
      const env = resource(/^HubCalcsTickFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function').Properties.Environment.Variables;
      expect(Object.keys(env)).toEqual(expect.arrayContaining(['HUB_TABLE_REGISTRY', 'HUB_TABLE_MESSAGES', 'HUB_EVENT_BUS_NAME']));
    });
    it('sends failed asynchronous invocations of stream functions to the streams DLQ', () => {
      const dlq = ref(/^HubStreamsDeadLetters/, 'AWS::SQS::Queue');
      const configs = resourcesOf(json, 'AWS::Lambda::EventInvokeConfig').filter(([, c]) => String(c.Properties.FunctionName.Ref).startsWith('HubStreams'));
      expect(configs).toHaveLength(5);
      for (const [, c] of configs)
        expect(c.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq, 'Arn'] } } } });
    });
    it('gives stream functions the registry (read/write) but not the messages table', () => {
      for (const type of streamTypes) {
        const role = new RegExp(`^HubStreams${type}FunctionRole[0-9A-F]{8}$`);
        expect(actionsOn(role, registry())).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
        expect(actionsOn(role, messages())).toEqual([]);
      }
    });
    it('gives only the aws_iot function iot:Publish, iot:UpdateThingShadow and iot:DescribeEndpoint', () => {
      for (const type of streamTypes) {
        const iot = allActions(new RegExp(`^HubStreams${type}FunctionRole[0-9A-F]{8}$`)).filter((a) => a.startsWith('iot:'));
        expect(iot.sort()).toEqual(type === 'AWSIOT' ? ['iot:DescribeEndpoint', 'iot:Publish', 'iot:UpdateThingShadow'] : []);
      }
    });
  });

  describe('registry API', () => {
    const apiFunction = () => ref(/^HubRegistryFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function');
    it('is a regional REST API accepting TLS 1.2+ only (enhanced security policy, strict endpoint access)', () => {
      expect(resource(/^HubRegistryApi[0-9A-F]{8}$/, 'AWS::ApiGateway::RestApi').Properties).toMatchObject({
        EndpointConfiguration: { Types: ['REGIONAL'] },
        SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
        EndpointAccessMode: 'STRICT',
        Name: 'TelematicsHub-registry',
      });
    });
    it('authorizes / and /{proxy+} with the REQUEST authorizer, and serves GET /openapi.json without auth, all to the API function', () => {
      const authorizer = ref(/^HubRegistryAuthorizer[0-9A-F]{8}$/, 'AWS::ApiGateway::Authorizer');
      const methods = resourcesOf(json, 'AWS::ApiGateway::Method').map(([k, m]) => [k, m.Properties] as const);
      const byId = Object.fromEntries(methods);
      const proxy = ref(/^HubRegistryApiproxy[0-9A-F]{8}$/, 'AWS::ApiGateway::Resource');
      const openapi = ref(/^HubRegistryApiopenapijson/, 'AWS::ApiGateway::Resource');
      expect(json.Resources[proxy].Properties.PathPart).toBe('{proxy+}');
      expect(json.Resources[openapi].Properties.PathPart).toBe('openapi.json');
      for (const [, m] of methods) {
        expect(m.Integration.Type).toBe('AWS_PROXY');
        expect(JSON.stringify(m.Integration.Uri)).toContain(apiFunction());
      }
      const secured = methods.filter(([, m]) => m.AuthorizationType === 'CUSTOM');
      expect(secured.map(([, m]) => [m.HttpMethod, m.AuthorizerId])).toEqual([
        ['ANY', { Ref: authorizer }],
        ['ANY', { Ref: authorizer }],
      ]);
      const open = methods.filter(([, m]) => m.AuthorizationType === 'NONE');
      expect(open).toHaveLength(1);
      expect(open[0][1]).toMatchObject({ HttpMethod: 'GET', ResourceId: { Ref: openapi } });
      expect(Object.values(byId).some((m) => m.ResourceId?.Ref === proxy && m.AuthorizationType === 'CUSTOM')).toBe(true);
    });
    it('caches the authorizer per Authorization header for 300 s', () => {
      expect(resource(/^HubRegistryAuthorizer[0-9A-F]{8}$/, 'AWS::ApiGateway::Authorizer').Properties).toMatchObject({
        Type: 'REQUEST',
        IdentitySource: 'method.request.header.Authorization',
        AuthorizerResultTtlInSeconds: 300,
        AuthorizerUri: expect.anything(),
      });
      expect(JSON.stringify(resource(/^HubRegistryAuthorizer[0-9A-F]{8}$/).Properties.AuthorizerUri)).toContain(
        ref(/^HubRegistryAuthorizerFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function'),
      );
    });
    it('logs access as JSON, logs errors, traces, and throttles the v1 stage', () => {
      const stage = resource(/^HubRegistryApiDeploymentStagev1/, 'AWS::ApiGateway::Stage').Properties;
      expect(stage).toMatchObject({
        StageName: 'v1',
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [ref(/^HubRegistryAccessLogs/, 'AWS::Logs::LogGroup'), 'Arn'] } },
        MethodSettings: [
          expect.objectContaining({
            HttpMethod: '*',
            ResourcePath: '/*',
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
            ThrottlingRateLimit: 100,
            ThrottlingBurstLimit: 200,
          }),
        ],
      });
      const format = JSON.parse(stage.AccessLogSetting.Format);
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
        tokenId: '$context.authorizer.principalId',
        tlsVersion: '$context.tlsVersion',
      });
    });
    it("answers API Gateway's own 401, 403, 413, 429 and 504 in the hub's error shape", () => {
      const responses = resourcesOf(json, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties);
      expect(responses.map((r) => [r.ResponseType, r.StatusCode]).sort()).toEqual([
        ['ACCESS_DENIED', '403'],
        ['INTEGRATION_TIMEOUT', '504'],
        ['REQUEST_TOO_LARGE', '413'],
        ['THROTTLED', '429'],
        ['UNAUTHORIZED', '401'],
      ]);
      for (const r of responses)
        expect(r.ResponseTemplates['application/json']).toBe(`{"errors":[{"code":${r.StatusCode},"reason":$context.error.messageString}]}`);
    });
    it('configures the API function with tables, admin secret, device host, port range and default TTLs', () => {
      expect(json.Resources[apiFunction()].Properties.Environment.Variables).toMatchObject({
        HUB_TABLE_REGISTRY: { Ref: registry() },
        HUB_TABLE_MESSAGES: { Ref: messages() },
        HUB_ADMIN_SECRET_ARN: { Ref: ref(/^HubRegistryAdminToken/, 'AWS::SecretsManager::Secret') },
        HUB_PUBLIC_HOST: { 'Fn::GetAtt': [ref(/^HubChannelsNlb[0-9A-F]{8}$/), 'DNSName'] },
        HUB_PORT_RANGE: '20000-20019',
        HUB_DEFAULT_DEVICE_MESSAGES_TTL: String(365 * 86400),
        HUB_DEFAULT_CHANNEL_MESSAGES_TTL: String(7 * 86400),
        HUB_INGEST_QUEUE_URL: { Ref: ref(/^HubIngestFrames/, 'AWS::SQS::Queue') },
        HUB_INGEST_DLQ_URL: { Ref: ref(/^HubIngestDeadLetters/, 'AWS::SQS::Queue') },
      });
    });
    it('gives the authorizer read-only registry access and the admin secret, nothing else', () => {
      const role = /^HubRegistryAuthorizerFunctionRole[0-9A-F]{8}$/;
      expect(actionsOn(role, registry()).sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DescribeTable',
        'dynamodb:GetItem',
        'dynamodb:Query',
      ]);
      expect(actionsOn(role, messages())).toEqual([]);
      expect(actionsOn(role, ref(/^HubRegistryAdminToken/, 'AWS::SecretsManager::Secret'))).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue']));
      expect(json.Resources[ref(/^HubRegistryAuthorizerFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function')].Properties.Environment.Variables).toMatchObject({
        HUB_TABLE_REGISTRY: { Ref: registry() },
        HUB_TABLE_MESSAGES: { Ref: messages() },
        HUB_ADMIN_SECRET_ARN: expect.anything(),
      });
    });
    it('gives the API function both tables, the admin secret, and the ingest DLQ for /platform/dead-letters', () => {
      const role = /^HubRegistryFunctionRole[0-9A-F]{8}$/;
      expect(actionsOn(role, ref(/^HubIngestDeadLetters/, 'AWS::SQS::Queue'))).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
      );
      expect(actionsOn(role, ref(/^HubIngestFrames/, 'AWS::SQS::Queue'))).toEqual(expect.arrayContaining(['sqs:SendMessage']));
      expect(actionsOn(role, ref(/^HubIngestFrames/, 'AWS::SQS::Queue'))).not.toContain('sqs:ReceiveMessage');
      for (const table of [registry(), messages()])
        expect(actionsOn(role, table)).toEqual(
          expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
        );
      expect(actionsOn(role, ref(/^HubRegistryAdminToken/, 'AWS::SecretsManager::Secret'))).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue']));
    });
    it('keeps the admin token in Secrets Manager, retained on stack deletion', () => {
      expect(resource(/^HubRegistryAdminToken/, 'AWS::SecretsManager::Secret')).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true } },
      });
    });
  });

  describe('channels', () => {
    const taskDef = () => resource(/^HubChannelsTask[0-9A-F]{8}$/, 'AWS::ECS::TaskDefinition').Properties;
    it('runs the listener on Fargate ARM64 with a raised open-files limit, a health check and its logs', () => {
      expect(taskDef()).toMatchObject({
        Cpu: '512',
        Memory: '1024',
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      });
      const [container] = taskDef().ContainerDefinitions;
      expect(container).toMatchObject({
        Ulimits: [{ Name: 'nofile', SoftLimit: 200000, HardLimit: 200000 }],
        HealthCheck: { Command: ['CMD-SHELL', 'wget -qO- http://127.0.0.1:8081/ || exit 1'] },
        LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: ref(/^HubChannelsLogs/, 'AWS::Logs::LogGroup') } } },
        StopTimeout: 60,
      });
      // the health port, then each channel port for TCP and for UDP
      expect(container.PortMappings).toHaveLength(41);
      expect(container.PortMappings[0]).toEqual({ ContainerPort: 8081, Protocol: 'tcp' });
      for (const port of [20000, 20019]) {
        expect(container.PortMappings.filter((m: { ContainerPort: number }) => m.ContainerPort === port)).toEqual([
          { ContainerPort: port, Protocol: 'tcp' },
          { ContainerPort: port, Protocol: 'udp' },
        ]);
      }
    });
    it('configures the listener from the environment listener/main.ts reads', () => {
      const env = Object.fromEntries(taskDef().ContainerDefinitions[0].Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
      expect(env).toEqual({
        HUB_LISTENER_WORKERS: '1',
        HUB_METRICS: 'emf',
        HUB_INGEST_QUEUE_URL: { Ref: ref(/^HubIngestFrames/, 'AWS::SQS::Queue') },
        HUB_TABLE_REGISTRY: { Ref: registry() },
        HUB_TABLE_MESSAGES: { Ref: messages() },
        HUB_FLUSH_MS: '200',
        HUB_HEALTH_PORT: '8081',
        HUB_CHANNEL_SYNC_MS: '2000',
        HUB_COMMAND_POLL_MS: '1000',
        HUB_CONNECTIONS_SNAPSHOT_MS: '30000',
        LOG_LEVEL: 'info',
        AWS_REGION: { Ref: 'AWS::Region' },
      });
    });
    it('runs 2 tasks with public IPs in public subnets, replacing before draining, rolling back failed deployments', () => {
      t.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        DeploymentConfiguration: { MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } },
      });
    });
    it('scales 2-10 tasks on CPU (60 %) and on ActiveConnections per task (40,000), slowly in, quickly out', () => {
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 2,
        MaxCapacity: 10,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 60,
          ScaleInCooldown: 900,
          ScaleOutCooldown: 120,
        },
      });
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          CustomizedMetricSpecification: {
            Namespace: 'TelematicsHub',
            MetricName: 'ActiveConnections',
            Dimensions: [{ Name: 'service', Value: 'hub-listener' }],
            Statistic: 'Average',
          },
          TargetValue: 40000,
          ScaleInCooldown: 900,
        },
      });
    });
    it('puts a TCP_UDP listener on the internet-facing NLB for each of the 20 channel ports, targeting the tasks with client IPs preserved', () => {
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Scheme: 'internet-facing' });
      t.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 20);
      const listeners = resourcesOf(json, 'AWS::ElasticLoadBalancingV2::Listener').map(([, l]) => l.Properties);
      expect(listeners.map((l) => l.Port).sort()).toEqual(Array.from({ length: 20 }, (_, i) => 20000 + i));
      for (const l of listeners) expect(l.Protocol).toBe('TCP_UDP');
      for (const [, tg] of resourcesOf(json, 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
        expect(tg.Properties).toMatchObject({ Protocol: 'TCP_UDP', TargetType: 'ip', HealthCheckPort: '8081', HealthCheckProtocol: 'HTTP' });
        expect(tg.Properties.TargetGroupAttributes).toEqual(expect.arrayContaining([{ Key: 'preserve_client_ip.enabled', Value: 'true' }]));
      }
      const service = resourcesOf(json, 'AWS::ECS::Service')[0][1];
      expect(service.Properties.LoadBalancers).toHaveLength(20);
    });
    it('opens only the channel ports (TCP and UDP) to the internet and the health port to the VPC', () => {
      expect(resource(/^HubChannelsTaskSecurityGroup/, 'AWS::EC2::SecurityGroup').Properties.SecurityGroupIngress).toEqual([
        expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 20000, ToPort: 20019, IpProtocol: 'tcp' }),
        expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 20000, ToPort: 20019, IpProtocol: 'udp' }),
        expect.objectContaining({
          FromPort: 8081,
          ToPort: 8081,
          IpProtocol: 'tcp',
          CidrIp: { 'Fn::GetAtt': [ref(/^HubChannelsVpc[0-9A-F]{8}$/, 'AWS::EC2::VPC'), 'CidrBlock'] },
        }),
      ]);
    });
    it('lets the listener send to the ingest queue and use the registry table, not the messages table', () => {
      const role = /^HubChannelsTaskTaskRole/;
      expect(actionsOn(role, ref(/^HubIngestFrames/, 'AWS::SQS::Queue'))).toEqual(expect.arrayContaining(['sqs:SendMessage']));
      expect(allActions(role)).not.toContain('sqs:ReceiveMessage');
      expect(actionsOn(role, registry())).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem']));
      expect(actionsOn(role, messages())).toEqual([]);
    });
    it('builds a VPC with public subnets only (no NAT), flow logs of rejected traffic and a DynamoDB gateway endpoint', () => {
      t.resourceCountIs('AWS::EC2::NatGateway', 0);
      t.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        TrafficType: 'REJECT',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: { Ref: ref(/^HubChannelsFlowLogs/, 'AWS::Logs::LogGroup') },
      });
      expect(JSON.stringify(resource(/^HubChannelsVpcDynamoDb/, 'AWS::EC2::VPCEndpoint').Properties.ServiceName)).toContain('dynamodb');
      t.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    });
  });

  describe('console', () => {
    it('keeps the site and its access logs in private, encrypted, TLS-only buckets', () => {
      for (const [, b] of resourcesOf(json, 'AWS::S3::Bucket')) {
        expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      }
      for (const [, p] of resourcesOf(json, 'AWS::S3::BucketPolicy')) expect(JSON.stringify(p)).toContain('"aws:SecureTransport":"false"');
      expect(resource(/^HubConsoleSite[0-9A-F]{8}$/, 'AWS::S3::Bucket').Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: ref(/^HubConsoleAccessLogs[0-9A-F]{8}$/, 'AWS::S3::Bucket') },
        LogFilePrefix: 's3/',
      });
    });
    it('serves the bucket through CloudFront with origin access control, HTTPS and the SPA rewrite; logs to the log bucket', () => {
      const d = resource(/^HubConsoleDistribution[0-9A-F]{8}$/, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
      expect(d.DefaultRootObject).toBe('index.html');
      expect(d.Logging).toMatchObject({
        Bucket: { 'Fn::GetAtt': [ref(/^HubConsoleAccessLogs[0-9A-F]{8}$/, 'AWS::S3::Bucket'), 'RegionalDomainName'] },
        Prefix: 'cloudfront/',
      });
      const s3Origin = d.Origins.find((o: any) => o.S3OriginConfig);
      expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [ref(/OriginAccessControl/, 'AWS::CloudFront::OriginAccessControl'), 'Id'] });
      expect(d.DefaultCacheBehavior).toMatchObject({
        TargetOriginId: s3Origin.Id,
        ViewerProtocolPolicy: 'redirect-to-https',
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
      });
    });
    it('forwards /gw/*, /platform/* and /openapi.json to API Gateway uncached, with the viewer headers (Authorization) but not Host', () => {
      const d = resource(/^HubConsoleDistribution[0-9A-F]{8}$/, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
      const apiOrigin = d.Origins.find((o: any) => o.CustomOriginConfig);
      expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
      expect(JSON.stringify(apiOrigin.DomainName)).toContain(ref(/^HubRegistryApi[0-9A-F]{8}$/, 'AWS::ApiGateway::RestApi'));
      expect(d.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual(['/gw/*', '/platform/*', '/openapi.json']);
      for (const b of d.CacheBehaviors) {
        expect(b).toMatchObject({
          TargetOriginId: apiOrigin.Id,
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
          OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
        });
      }
    });
    it('uploads the console (or the placeholder page) into the site bucket and invalidates the distribution', () => {
      t.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: ref(/^HubConsoleSite[0-9A-F]{8}$/, 'AWS::S3::Bucket') },
        DistributionId: { Ref: ref(/^HubConsoleDistribution[0-9A-F]{8}$/, 'AWS::CloudFront::Distribution') },
        DistributionPaths: ['/*'],
        Prune: true,
      });
    });
  });

  describe('observability', () => {
    it('sends alarms to a KMS-encrypted, TLS-only SNS topic with the e-mail subscription', () => {
      const key = ref(/^HubObservabilityAlarmTopicKey/, 'AWS::KMS::Key');
      expect(json.Resources[key].Properties.EnableKeyRotation).toBe(true);
      expect(JSON.stringify(json.Resources[key].Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
      const topic = ref(/^HubObservabilityAlarms[0-9A-F]{8}$/, 'AWS::SNS::Topic');
      expect(json.Resources[topic].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
      t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topic } });
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });
    it('has the alarms of DESIGN §6 (dead letters, queue age, Lambda errors, API 5xx, no healthy listener), each notifying the topic', () => {
      const topic = ref(/^HubObservabilityAlarms[0-9A-F]{8}$/, 'AWS::SNS::Topic');
      const alarms = resourcesOf(json, 'AWS::CloudWatch::Alarm');
      expect(alarms.map(([k]) => k.replace(/^HubObservability/, '').replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
        'Api5xx',
        'ApiFunctionErrors',
        'ApiLatency',
        'AuthorizerErrors',
        'HubArchiveErrors',
        'IngestDeadLetters',
        'IngestErrors',
        'IngestQueueAge',
        'IngestThrottles',
        'NoHealthyListener',
        'StreamDeadLetters',
        'StreamErrors',
      ]);
      for (const [, a] of alarms) {
        expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
        expect(a.Properties.OKActions).toEqual([{ Ref: topic }]);
        expect(a.Properties.AlarmDescription).toEqual(expect.any(String));
      }
      expect(resource(/^HubObservabilityIngestDeadLetters/, 'AWS::CloudWatch::Alarm').Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ref(/^HubIngestDeadLetters/, 'AWS::SQS::Queue'), 'QueueName'] } }],
      });
      expect(resource(/^HubObservabilityIngestQueueAge/, 'AWS::CloudWatch::Alarm').Properties).toMatchObject({
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: 300,
        EvaluationPeriods: 3,
      });
      expect(resource(/^HubObservabilityNoHealthyListener/, 'AWS::CloudWatch::Alarm').Properties).toMatchObject({
        MetricName: 'HealthyHostCount',
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
      expect(resource(/^HubObservabilityApi5xx/, 'AWS::CloudWatch::Alarm').Properties).toMatchObject({ MetricName: '5XXError', Namespace: 'AWS/ApiGateway' });
      expect(resource(/^HubObservabilityStreamErrors/, 'AWS::CloudWatch::Alarm').Properties.Metrics).toHaveLength(6);
    });
    it('has a dashboard with throughput, queues, dead letters, Lambda, streams, listener, API and DynamoDB widgets', () => {
      const body = JSON.stringify(resource(/^HubObservabilityDashboard/, 'AWS::CloudWatch::Dashboard').Properties.DashboardBody);
      for (const needle of [
        'FramesReceived',
        'MessagesStored',
        'DecodeErrors',
        'QueueAge',
        'ApproximateNumberOfMessagesVisible',
        'ApproximateAgeOfOldestMessage',
        'Errors',
        'Throttles',
        'Duration',
        'StreamDeliveries',
        'StreamFailures',
        'FailedInvocations',
        'ActiveConnections',
        'CPUUtilization',
        'ActiveFlowCount',
        'HealthyHostCount',
        '4XXError',
        '5XXError',
        'Latency',
        'ConsumedWriteCapacityUnits',
        'hub-stream-wialon-retranslator',
      ])
        expect(body, needle).toContain(needle);
    });
  });
});
