import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsHubServices } from '../../adapters/aws/hub.js';
import type { LiveEvent } from '../../core/live/ports.js';
import type { WebSocketRouteEvent } from '../../lambdas/live/handler.js';
import { localContext } from '../../local/http-server.js';
import type { Message } from '../../protocols/common/types.js';
import { lambdaEnv, startTestDynamo } from '../helpers/dynamo.js';

const T0 = 1_700_000_000;
/** A message every 60 s from `from` (minutes after T0) for `n` minutes, ignition as given. */
const run = (from: number, n: number, ign: boolean): Message[] =>
  Array.from({ length: n }, (_, k) => ({ timestamp: T0 + (from + k) * 60, 'engine.ignition.status': ign }) as Message);
const TRIPS = {
  name: 'trips',
  selectors: [{ type: 'expression' as const, expression: 'engine.ignition.status', max_inactive: 120 }],
  counters: [{ type: 'messages' as const, name: 'messages' }],
  update_delay: 0,
  intervals_ttl: 10 * 365 * 86400,
};

/**
 * The AWS path of interval events on live push: ingest (awsHub with HUB_LIVE_PUSH=on) and the
 * calculators' tick Lambda put `live` events on EventBridge (a recording stand-in at
 * AWS_ENDPOINT_URL_EVENTBRIDGE), the push Lambda gets each recorded event as the bus rule would
 * deliver it and posts the frames to a stand-in management API (HUB_LIVE_ENDPOINT).
 */
describe('live push of interval events through the AWS functions', () => {
  let db: Awaited<ReturnType<typeof startTestDynamo>>;
  let recorder: Server;
  const posts: { connection: string; frame: Record<string, unknown> }[] = [];
  const putEvents: { bus: string; source: string; detailType: string; detail: LiveEvent }[] = [];
  let hub: AwsHubServices;
  let routes: (e: WebSocketRouteEvent, c: Context) => Promise<{ statusCode: number }>;
  let push: (e: EventBridgeEvent<'live', LiveEvent>, c: Context) => Promise<void>;
  let tick: (e: unknown, c: Context) => Promise<unknown>;
  let apiFn: (e: APIGatewayProxyEvent, c: Context) => Promise<APIGatewayProxyResult>;
  /** A request to the registry API function as API Gateway sends it once the authorizer approved the admin token. */
  const apiCall = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: { result?: Record<string, unknown>[] } }> => {
    const event = {
      resource: '/{proxy+}',
      path,
      httpMethod: method,
      headers: {},
      queryStringParameters: null,
      body: body === undefined ? null : JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { requestId: 'req-1', path, httpMethod: method, stage: 'v1', authorizer: { tokenId: 'admin', acl: '' } },
    } as unknown as APIGatewayProxyEvent;
    const res = await apiFn(event, localContext('hub-api'));
    return { status: res.statusCode, json: JSON.parse(res.body) };
  };
  let device: number;
  let trips: number;
  const ctx = localContext('hub-live');
  /** The recorded `live` events, delivered to the push Lambda as the bus rule does. */
  const deliver = async () => {
    for (const e of putEvents.splice(0))
      await push(
        {
          id: 'evt',
          version: '0',
          account: '123456789012',
          time: new Date().toISOString(),
          region: 'us-east-1',
          resources: [],
          source: e.source,
          'detail-type': 'live',
          detail: e.detail,
        },
        ctx,
      );
  };
  const subscribe = async (connectionId: string, topic: string) => {
    await routes({ requestContext: { routeKey: '$connect', connectionId, authorizer: { tokenId: 'admin', acl: '' } } }, ctx);
    await routes({ requestContext: { routeKey: 'subscribe', connectionId }, body: JSON.stringify({ action: 'subscribe', topic }) }, ctx);
  };

  beforeAll(async () => {
    db = await startTestDynamo();
    recorder = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (req.headers['x-amz-target'] === 'AWSEvents.PutEvents') {
          for (const e of body.Entries) putEvents.push({ bus: e.EventBusName, source: e.Source, detailType: e.DetailType, detail: JSON.parse(e.Detail) });
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ FailedEntryCount: 0, Entries: body.Entries.map((_: unknown, i: number) => ({ EventId: `e${i}` })) }));
          return;
        }
        posts.push({ connection: decodeURIComponent(req.url?.split('/@connections/')[1] ?? ''), frame: body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    Object.assign(
      process.env,
      lambdaEnv(db.dynamo.endpoint, {
        AWS_ENDPOINT_URL_EVENTBRIDGE: url,
        HUB_EVENT_BUS_NAME: 'hub-bus',
        HUB_LIVE_PUSH: 'on',
        HUB_LIVE_ENDPOINT: `${url}/live`,
      }),
    );
    routes = (await import('../../lambdas/live/handler.js')).handler;
    push = (await import('../../lambdas/live-push/handler.js')).handler;
    tick = (await import('../../lambdas/calcs-tick/handler.js')).handler;
    apiFn = (await import('../../lambdas/api/handler.js')).handler;
    const { awsHub } = await import('../../adapters/aws/hub.js');
    hub = await awsHub({ debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined });
    [{ id: device }] = await hub.devices.create([{ name: 'Truck', configuration: { ident: '356307042441013' } }]);
    [{ id: trips }] = await hub.calcs.create([TRIPS]);
    await hub.calcs.assign(String(trips), String(device), true, { actor: 'admin', ids: () => undefined });
    await hub.calcSync.run(); // no history yet: synced
  }, 30_000);

  afterAll(async () => {
    await new Promise((r) => recorder?.close(r));
    await db?.close();
  });

  it('ingest carries the interval events in its live event and the push function posts them on the pair topic', async () => {
    expect(hub.liveFanout).toBeDefined();
    await subscribe('conn-T=', `gw/calcs/${trips}/devices/all/intervals`);
    expect(posts.splice(0)).toEqual([{ connection: 'conn-T=', frame: { subscribed: `gw/calcs/${trips}/devices/all/intervals`, devices: [device] } }]);
    const device0 = await hub.ports.devices.get(device);
    if (!device0) throw new Error('device missing');
    await hub.ingest.inject(device0, run(0, 3, true));
    await hub.ingest.inject(device0, run(3, 5, false));
    // one event per batch, the messages and the interval events of the watched device together
    expect(putEvents.map((e) => [e.bus, e.source, e.detailType, e.detail.messages.length, e.detail.events?.map((x) => x.event)])).toEqual([
      ['hub-bus', 'telematics-hub', 'live', 3, ['activated', 'updated']],
      ['hub-bus', 'telematics-hub', 'live', 5, ['deactivated']],
    ]);
    await deliver();
    const topic = `gw/calcs/${trips}/devices/${device}/intervals`;
    const id = T0 * 1000;
    expect(posts.splice(0).map((p) => [p.connection, p.frame.topic, p.frame.event, p.frame.calc_id, p.frame.device_id, Object.keys(p.frame).sort()])).toEqual(
      ['activated', 'updated', 'deactivated'].map((event) => ['conn-T=', topic, event, trips, device, ['calc_id', 'device_id', 'event', 'interval', 'topic']]),
    );
    const stored = await hub.ports.calcs.intervals(trips, device);
    expect(stored.map((i) => [i.id, i.begin, i.end])).toEqual([[id, T0, T0 + 120]]);
  });

  it("the calculators' tick publishes the events of its run (a backfill) as one live event; another calculator's subscriber gets none", async () => {
    const [{ id: second }] = await hub.calcs.create([{ ...TRIPS, name: 'trips again' }]);
    await hub.calcs.assign(String(second), String(device), true, { actor: 'admin', ids: () => undefined });
    await subscribe('conn-S=', `gw/calcs/${second}/devices/${device}/intervals`);
    posts.splice(0);
    await tick({}, localContext('hub-calcs-tick'));
    expect(putEvents.map((e) => [e.detail.messages.length, e.detail.events?.map((x) => [x.event, x.calc_id])])).toEqual([
      [
        0,
        [
          ['activated', second],
          ['deactivated', second],
        ],
      ],
    ]);
    await deliver();
    const topic = `gw/calcs/${second}/devices/${device}/intervals`;
    expect(posts.splice(0).map((p) => [p.connection, p.frame.topic, p.frame.event])).toEqual([
      ['conn-S=', topic, 'activated'],
      ['conn-S=', topic, 'deactivated'],
    ]);
  });
  it('an interval deleted through the API function reaches the socket as one live event before the response; an unwatched device publishes nothing', async () => {
    putEvents.splice(0);
    posts.splice(0);
    const id = T0 * 1000;
    const interval = (await hub.ports.calcs.intervals(trips, device)).find((i) => i.id === id);
    expect(interval).toBeDefined();
    const res = await apiCall('DELETE', `/gw/calcs/${trips}/devices/${device}/intervals/${id}`);
    expect([res.status, res.json.result?.map((i) => i.id)]).toEqual([200, [id]]);
    // published before the function returned: no waiting
    expect(putEvents.map((e) => [e.bus, e.source, e.detailType, e.detail.messages, e.detail.events])).toEqual([
      ['hub-bus', 'telematics-hub', 'live', [], [{ event: 'deleted', calc_id: trips, device_id: device, interval }]],
    ]);
    await deliver();
    const topic = `gw/calcs/${trips}/devices/${device}/intervals`;
    expect(posts.splice(0)).toEqual([{ connection: 'conn-T=', frame: { topic, event: 'deleted', calc_id: trips, device_id: device, interval } }]);
    expect(await hub.ports.calcs.intervals(trips, device)).toEqual([]);

    // a device nobody watches: its interval is deleted all the same, and nothing goes on the bus
    const [{ id: other }] = await hub.devices.create([{ name: 'Van', configuration: { ident: '356307042441014' } }]);
    await hub.calcs.assign(String(trips), String(other), true, { actor: 'admin', ids: () => undefined });
    await hub.calcSync.run(); // the new pair: no history yet, synced (the watched pair's deleted interval is calculated again)
    const other0 = await hub.ports.devices.get(other);
    if (!other0) throw new Error('device missing');
    await hub.ingest.inject(other0, [...run(0, 3, true), ...run(3, 5, false)]);
    expect((await hub.ports.calcs.intervals(trips, other)).map((i) => [i.id, i.begin, i.end])).toEqual([[id, T0, T0 + 120]]);
    putEvents.splice(0); // the watched device's recalculated interval, published with that ingest batch
    const gone = await apiCall('DELETE', `/gw/calcs/${trips}/devices/${other}/intervals/all`);
    expect([gone.status, gone.json.result?.map((i) => i.id)]).toEqual([200, [id]]);
    expect(await hub.ports.calcs.intervals(trips, other)).toEqual([]);
    expect(putEvents).toEqual([]);
  });
  it('an interval deleted through the API function goes to a stream with "source": "intervals" on the hub bus (the API function always has the bus)', async () => {
    const [{ id: van }] = await hub.devices.create([{ name: 'Van 2', configuration: { ident: '356307042441015' } }]);
    await hub.calcs.assign(String(trips), String(van), true, { actor: 'admin', ids: () => undefined });
    await hub.calcSync.run();
    const created = await apiCall('POST', '/gw/streams', [
      { name: 'events', protocol_name: 'http', source: 'intervals', configuration: { uri: 'http://127.0.0.1:9/x' } },
    ]);
    const stream = Number(created.json.result?.[0].id);
    expect((await apiCall('POST', `/gw/streams/${stream}/devices/${van}`)).status).toBe(200);
    const vanDevice = await hub.ports.devices.get(van);
    if (!vanDevice) throw new Error('device missing');
    await hub.ingest.inject(vanDevice, [...run(0, 3, true), ...run(3, 5, false)]);
    const [interval] = await hub.ports.calcs.intervals(trips, van);
    putEvents.splice(0);
    const res = await apiCall('DELETE', `/gw/calcs/${trips}/devices/${van}/intervals/${interval.id}`);
    expect(res.status).toBe(200);
    // nobody watches the van: no live event; the stream's event is on the bus before the response
    const streamEvents = putEvents
      .filter((e) => e.detailType !== 'live')
      .map((e) => e.detail as unknown as { stream_id: number; messages: Record<string, unknown>[] });
    expect(streamEvents.map((e) => [e.stream_id, e.messages.map((m) => [m['device.id'], m.ident, JSON.parse(String(m['hub.event']))])])).toEqual([
      [stream, [[van, '356307042441015', { event: 'deleted', calc_id: trips, device_id: van, interval: { ...interval, calc_id: trips, device_id: van } }]]],
    ]);
    expect(putEvents.filter((e) => e.detailType === 'live')).toEqual([]);
  });

  it('a changed definition through the API function: the deleted events of the watched pair go on the bus before the response', async () => {
    putEvents.splice(0);
    posts.splice(0);
    // the watched pair's interval, calculated again by the backfill after the delete above
    const before = await hub.ports.calcs.intervals(trips, device);
    expect(before.map((i) => [i.id, i.begin, i.end])).toEqual([[T0 * 1000, T0, T0 + 120]]);
    const res = await apiCall('PUT', `/gw/calcs/${trips}`, { selectors: [{ type: 'expression', expression: 'engine.ignition.status', max_inactive: 180 }] });
    expect(res.status).toBe(200);
    expect(putEvents.map((e) => [e.bus, e.detailType, e.detail.messages, e.detail.events])).toEqual([
      ['hub-bus', 'live', [], [{ event: 'deleted', calc_id: trips, device_id: device, interval: before[0] }]],
    ]);
    await deliver();
    expect(posts.splice(0).map((p) => [p.connection, p.frame.topic, p.frame.event])).toEqual([
      ['conn-T=', `gw/calcs/${trips}/devices/${device}/intervals`, 'deleted'],
    ]);
  });
});
