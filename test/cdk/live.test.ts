import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { hubApp, resourcesOf } from './hub-app.js';

/** The live push WebSocket API of the ready-made stack (lib/live.ts), asserted resource by resource. */
describe('lib/HubLive (synthesized template)', () => {
  let t: Template;
  let json: { Resources: Record<string, any>; Outputs: Record<string, any> };
  beforeAll(() => {
    const { stack } = hubApp();
    t = Template.fromStack(stack);
    json = t.toJSON() as typeof json;
  }, 120_000);

  const ref = (logicalId: RegExp, type?: string, template = json) => {
    const found = resourcesOf(template, type).filter(([k]) => logicalId.test(k));
    if (found.length !== 1) throw new Error(`${found.length} resources match ${logicalId}`);
    return found[0][0];
  };
  const statementsOf = (role: RegExp) => {
    const roleId = ref(role, 'AWS::IAM::Role');
    return resourcesOf(json, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
  };
  const actionsOn = (role: RegExp, resourceId: string) =>
    statementsOf(role)
      .filter((s) => JSON.stringify(s.Resource).includes(`"${resourceId}"`))
      .flatMap((s) => [s.Action].flat())
      .sort();
  const api = () => ref(/^HubLiveApi[0-9A-F]{8}$/, 'AWS::ApiGatewayV2::Api');
  const routesFn = () => ref(/^HubLiveRoutesFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function');
  const pushFn = () => ref(/^HubLivePushFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function');
  const registry = () => ref(/^HubStorageRegistry/, 'AWS::DynamoDB::GlobalTable');
  const messages = () => ref(/^HubStorageMessages/, 'AWS::DynamoDB::GlobalTable');
  const READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query'];
  const WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

  it('is a WebSocket API routing on the action of the JSON frame', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
  });

  it('authorizes $connect with the registry authorizer function on ?access_token=, and sends every route to the routes function', () => {
    const authorizerFn = ref(/^HubRegistryAuthorizerFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function');
    const [[authId, auth]] = resourcesOf(json, 'AWS::ApiGatewayV2::Authorizer');
    expect(auth.Properties).toMatchObject({ ApiId: { Ref: api() }, AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.access_token'] });
    expect(JSON.stringify(auth.Properties.AuthorizerUri)).toContain(`"${authorizerFn}"`);
    const [[integrationId, integration]] = resourcesOf(json, 'AWS::ApiGatewayV2::Integration');
    expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY' });
    expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(`"${routesFn()}"`);
    const routes: Record<string, { RouteKey: string; Target: unknown; AuthorizationType?: string }> = Object.fromEntries(
      resourcesOf(json, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r.Properties]),
    );
    expect(Object.keys(routes).sort()).toEqual(['$connect', '$default', '$disconnect', 'subscribe', 'unsubscribe']);
    expect(routes.$connect).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authId } });
    for (const r of Object.values(routes)) expect(JSON.stringify(r.Target)).toContain(integrationId);
    for (const key of ['$default', '$disconnect', 'subscribe', 'unsubscribe']) expect(routes[key].AuthorizationType ?? 'NONE').toBe('NONE');
  });

  it('deploys the live stage automatically, throttled, with JSON access logs', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: api() },
      StageName: 'live',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [ref(/^HubLiveAccessLogs/, 'AWS::Logs::LogGroup'), 'Arn'] },
        Format: Match.stringLikeRegexp('"routeKey":"\\$context.routeKey"'),
      },
    });
  });

  it('tells both functions the tables and the stage management endpoint, and ingest and the calculators tick to publish live events', () => {
    const endpoint = {
      'Fn::Join': ['', ['https://', { Ref: api() }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/live']],
    };
    for (const fn of [routesFn(), pushFn()])
      expect(json.Resources[fn].Properties.Environment.Variables).toMatchObject({
        HUB_TABLE_REGISTRY: { Ref: registry() },
        HUB_TABLE_MESSAGES: { Ref: messages() },
        HUB_LIVE_ENDPOINT: endpoint,
      });
    expect(json.Resources[ref(/^HubIngestFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function')].Properties.Environment.Variables.HUB_LIVE_PUSH).toBe('on');
    const tick = json.Resources[ref(/^HubCalcsTickFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function')].Properties.Environment.Variables;
    expect(tick).toMatchObject({
      HUB_LIVE_PUSH: 'on',
      HUB_TABLE_REGISTRY: { Ref: registry() },
      HUB_EVENT_BUS_NAME: { Ref: ref(/^HubStreamsBus/, 'AWS::Events::EventBus') },
    });
  });

  it('lets the calculators tick read the live index (registry) and put its live events on the hub bus', () => {
    const role = /^HubCalcsTickFunctionRole[0-9A-F]{8}$/;
    expect(actionsOn(role, registry())).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
    const bus = ref(/^HubStreamsBus/, 'AWS::Events::EventBus');
    const put = statementsOf(role).filter((s) => [s.Action].flat().includes('events:PutEvents'));
    expect(put.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [bus, 'Arn'] }]);
  });

  it('tells the registry API function to publish the interval events its requests make, with PutEvents on the hub bus only', () => {
    const bus = ref(/^HubStreamsBus/, 'AWS::Events::EventBus');
    const apiFn = json.Resources[ref(/^HubRegistryFunction[0-9A-F]{8}$/, 'AWS::Lambda::Function')].Properties.Environment.Variables;
    expect(apiFn).toMatchObject({ HUB_LIVE_PUSH: 'on', HUB_EVENT_BUS_NAME: { Ref: bus }, HUB_TABLE_REGISTRY: { Ref: registry() } });
    const role = /^HubRegistryFunctionRole[0-9A-F]{8}$/;
    const events = statementsOf(role).filter((s) => [s.Action].flat().some((a) => a.startsWith('events:')));
    expect(events).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [bus, 'Arn'] } }]);
    // the live index is in the registry, which the API already reads
    expect(actionsOn(role, registry())).toEqual(expect.arrayContaining(['dynamodb:Query']));
  });

  it('grants execute-api:ManageConnections on the live stage connections only, and the tables each function uses', () => {
    const connections = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':execute-api:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':',
          { Ref: api() },
          '/live/*/@connections/*',
        ],
      ],
    };
    for (const role of [/^HubLiveRoutesFunctionRole[0-9A-F]{8}$/, /^HubLivePushFunctionRole[0-9A-F]{8}$/]) {
      const manage = statementsOf(role).filter((s) => [s.Action].flat().some((a) => a.startsWith('execute-api:')));
      expect(manage).toEqual([{ Action: 'execute-api:ManageConnections', Effect: 'Allow', Resource: connections }]);
      expect(actionsOn(role, registry())).toEqual([...READ, ...WRITE].sort());
    }
    expect(actionsOn(/^HubLiveRoutesFunctionRole[0-9A-F]{8}$/, messages())).toEqual(READ);
    expect(actionsOn(/^HubLivePushFunctionRole[0-9A-F]{8}$/, messages())).toEqual([]);
  });

  it('routes live events of the hub bus to the push function: 2 retries within a minute, then the streams DLQ', () => {
    const rule = resourcesOf(json, 'AWS::Events::Rule').find(([k]) => k.startsWith('HubLivePushRule'))?.[1];
    expect(rule?.Properties).toMatchObject({
      EventBusName: { Ref: ref(/^HubStreamsBus/, 'AWS::Events::EventBus') },
      EventPattern: { source: ['telematics-hub'], 'detail-type': ['live'] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [pushFn(), 'Arn'] },
          RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ref(/^HubStreamsDeadLetters/, 'AWS::SQS::Queue'), 'Arn'] } },
        },
      ],
    });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: pushFn() }, MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
  });

  it('outputs the wss:// URL and writes it into the console config.json as liveUrl', () => {
    const url = { 'Fn::Join': ['', ['wss://', { Ref: api() }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/live']] };
    const output = Object.entries(json.Outputs).find(([k]) => k.startsWith('HubLiveUrl'))?.[1];
    expect(output).toEqual({ Description: 'Live push (WebSocket): connect with ?access_token=<token>', Value: url });
    const [[, deployment]] = resourcesOf(json, 'Custom::CDKBucketDeployment');
    // config.json is staged as {"liveUrl":"wss://<<marker:0>>.execute-api.<<marker:1>>.<<marker:2>>/live"}, filled in at deployment
    expect(deployment.Properties.SourceMarkers).toEqual([
      {},
      { '<<marker:0xbaba:0>>': { Ref: api() }, '<<marker:0xbaba:1>>': { Ref: 'AWS::Region' }, '<<marker:0xbaba:2>>': { Ref: 'AWS::URLSuffix' } },
    ]);
  });

  it('is left out with hub:live=false (no WebSocket API, ingest does not publish live events)', () => {
    const { stack } = hubApp({ context: { 'hub:live': false } });
    const off = Template.fromStack(stack);
    off.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    expect(JSON.stringify(off.toJSON())).not.toContain('HUB_LIVE_PUSH');
    // the registry API function keeps the bus and PutEvents on it (its interval events reach the
    // intervals streams) but does not push live
    const offJson = off.toJSON() as typeof json;
    const [[apiId, apiFn]] = resourcesOf(offJson, 'AWS::Lambda::Function').filter(([k]) => /^HubRegistryFunction[0-9A-F]{8}$/.test(k));
    expect(apiId).toMatch(/^HubRegistryFunction/);
    const offBus = ref(/^HubStreamsBus/, 'AWS::Events::EventBus', offJson);
    expect(apiFn.Properties.Environment.Variables.HUB_EVENT_BUS_NAME).toEqual({ Ref: offBus });
    expect(Object.keys(apiFn.Properties.Environment.Variables)).not.toContain('HUB_LIVE_PUSH');
    const [[roleId]] = resourcesOf(offJson, 'AWS::IAM::Role').filter(([k]) => /^HubRegistryFunctionRole[0-9A-F]{8}$/.test(k));
    const apiPolicies = resourcesOf(offJson, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`));
    const events = apiPolicies
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
      .filter((st) => [st.Action].flat().some((a) => a.startsWith('events:')));
    expect(events).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [offBus, 'Arn'] } }]);
  });
});
