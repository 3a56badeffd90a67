import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayRequestAuthorizerEvent, Context, EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLiveStore, LIVE_ITEM_TTL_S } from '../../adapters/dynamodb/live.js';
import type { LiveEvent } from '../../core/live/ports.js';
import type { WebSocketRouteEvent } from '../../lambdas/live/handler.js';
import { localContext } from '../../local/http-server.js';
import { lambdaEnv, startTestDynamo, TEST_TABLES } from '../helpers/dynamo.js';

/**
 * The AWS path of live push without an emulator: the real Lambda handlers (authorizer, WebSocket
 * routes, push) over dynalite, with a recording HTTP endpoint standing in for API Gateway's
 * management API (`HUB_LIVE_ENDPOINT`, the stage's callback URL): the frames the handlers post
 * are asserted as API Gateway would receive them (`POST /{stage}/@connections/{id}`).
 */
describe('live push Lambdas against a stand-in management API', () => {
  let db: Awaited<ReturnType<typeof startTestDynamo>>;
  let recorder: Server;
  const posts: { path: string; frame: unknown }[] = [];
  const goneConnections = new Set<string>();
  let routes: (e: WebSocketRouteEvent, c: Context) => Promise<{ statusCode: number }>;
  let push: (e: EventBridgeEvent<'live', LiveEvent>, c: Context) => Promise<void>;
  let authorize: (e: APIGatewayRequestAuthorizerEvent, c: Context) => Promise<{ principalId: string; policyDocument: unknown; context?: unknown }>;
  let deviceId: number;
  const ctx = localContext('hub-live');
  const take = () => posts.splice(0);
  /** An EventBridge event as the bus rule delivers it to the push function. */
  const liveEvent = (batchId: string, messages: LiveEvent['messages']): EventBridgeEvent<'live', LiveEvent> => ({
    id: `evt-${batchId}`,
    version: '0',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    source: 'telematics-hub',
    'detail-type': 'live',
    detail: { batch_id: batchId, messages },
  });

  beforeAll(async () => {
    db = await startTestDynamo();
    recorder = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = decodeURIComponent(req.url?.split('/@connections/')[1] ?? '');
        if (goneConnections.has(id)) {
          res.writeHead(410, { 'content-type': 'application/json' }).end('{"message":"Gone"}');
          return;
        }
        posts.push({ path: `${req.method} ${req.url}`, frame: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
    Object.assign(process.env, lambdaEnv(db.dynamo.endpoint, { HUB_LIVE_ENDPOINT: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/live` }));
    routes = (await import('../../lambdas/live/handler.js')).handler;
    push = (await import('../../lambdas/live-push/handler.js')).handler;
    authorize = (await import('../../lambdas/authorizer/handler.js')).handler;
    const { awsHub } = await import('../../adapters/aws/hub.js');
    const hub = await awsHub({ debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined });
    [{ id: deviceId }] = await hub.devices.create([{ name: 'Truck', configuration: { ident: '356307042441013' } }]);
  }, 30_000);

  afterAll(async () => {
    await new Promise((r) => recorder?.close(r));
    await db?.close();
  });

  const route = (routeKey: string, connectionId: string, extra: Partial<WebSocketRouteEvent> = {}, authorizer?: Record<string, string>) =>
    routes({ requestContext: { routeKey, connectionId, requestId: `r-${routeKey}`, authorizer }, ...extra }, ctx);

  it('authorizes $connect by ?access_token=, allowing the whole stage, and refuses a bad token (API Gateway answers 401)', async () => {
    const event = (token: string) =>
      ({
        type: 'REQUEST',
        methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/live/$connect',
        headers: {},
        queryStringParameters: { access_token: token },
      }) as unknown as APIGatewayRequestAuthorizerEvent;
    expect(await authorize(event('aws-admin-token'), ctx)).toEqual({
      principalId: 'admin',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/live/*' }],
      },
      context: { tokenId: 'admin', acl: '' },
    });
    await expect(authorize(event('wrong'), ctx)).rejects.toThrow('Unauthorized');
  });

  it('stores the connection on $connect (with TTL), acks a subscription through the management API', async () => {
    expect(await route('$connect', 'conn-A=', {}, { tokenId: 'admin', acl: '' })).toEqual({ statusCode: 200 });
    expect(await route('$connect', 'conn-B=', {}, { tokenId: 'admin', acl: '' })).toEqual({ statusCode: 200 });
    expect(await route('$connect', 'no-auth', {})).toEqual({ statusCode: 401 });
    const item = await new DynamoLiveStore(db.doc, TEST_TABLES.registry).connection('conn-A=');
    expect(item?.principal).toEqual({ tokenId: 'admin' });
    const topic = `gw/devices/${deviceId}/messages`;
    expect(await route('subscribe', 'conn-A=', { body: JSON.stringify({ action: 'subscribe', topic }) })).toEqual({ statusCode: 200 });
    expect(await route('subscribe', 'conn-B=', { body: JSON.stringify({ action: 'subscribe', topic: 'gw/devices/all/messages' }) })).toEqual({
      statusCode: 200,
    });
    expect(await route('$default', 'conn-A=', { body: '{"action":"ping"}' })).toEqual({ statusCode: 200 });
    expect(take()).toEqual([
      { path: `POST /live/@connections/${encodeURIComponent('conn-A=')}`, frame: { subscribed: topic, devices: [deviceId] } },
      { path: `POST /live/@connections/${encodeURIComponent('conn-B=')}`, frame: { subscribed: 'gw/devices/all/messages', devices: [deviceId] } },
      { path: `POST /live/@connections/${encodeURIComponent('conn-A=')}`, frame: { error: { code: 400, reason: expect.stringMatching(/^frame: action: /) } } },
    ]);
    const raw = await db.doc.send(
      new (await import('@aws-sdk/lib-dynamodb')).GetCommand({ TableName: TEST_TABLES.registry, Key: { pk: 'wsconn', sk: 'conn-A=' } }),
    );
    expect(Number(raw.Item?.ttl) - Date.now() / 1000).toBeGreaterThan(LIVE_ITEM_TTL_S - 60);
  });

  it('posts each watcher the frames of a live event, and removes a connection the management API says is gone (410)', async () => {
    goneConnections.add('conn-B=');
    const message = { 'device.id': deviceId, ident: '356307042441013', timestamp: 1_800_000_000, 'position.speed': 12 };
    const other = { 'device.id': deviceId + 100, ident: 'x', timestamp: 1_800_000_001 };
    await push(liveEvent('b1', [message, other]), ctx);
    expect(take()).toEqual([
      { path: `POST /live/@connections/${encodeURIComponent('conn-A=')}`, frame: { topic: `gw/devices/${deviceId}/messages`, message } },
    ]);
    const store = new DynamoLiveStore(db.doc, TEST_TABLES.registry);
    expect(await store.connection('conn-B=')).toBeUndefined();
    expect([...((await store.watchers([deviceId])).get(deviceId) ?? [])]).toEqual([{ connectionId: 'conn-A=', topic: `gw/devices/${deviceId}/messages` }]);
  });

  it('removes everything of a connection on $disconnect', async () => {
    expect(await route('$disconnect', 'conn-A=')).toEqual({ statusCode: 200 });
    const store = new DynamoLiveStore(db.doc, TEST_TABLES.registry);
    expect(await store.connection('conn-A=')).toBeUndefined();
    expect((await store.watchedDevices()).size).toBe(0);
    await push(liveEvent('b2', [{ 'device.id': deviceId, timestamp: 1 }]), ctx);
    expect(take()).toEqual([]);
  });
});
