import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../core/envelope.js';
import { StreamReceiver } from '../helpers/stream-receiver.js';
import { deviceReports, withBrokenPattern, withoutFunctionVariable, withoutGrant, withoutTaskVariable } from './defects.js';
import { Deployment, type TemplateTransform } from './deployment.js';
import { call, teltonikaTcp, teltonikaUdp, until } from './hub-client.js';
import type { ContainerTask } from './listener-task.js';
import { type Synthesized, synthesize } from './synth.js';
import { REGION } from './template.js';

/**
 * The AWS deployment end to end, without AWS: the stack synthesized with bundled handlers, its
 * template's resources served by local stand-ins, every Lambda's bundle run in its own process with
 * the template's environment behind the trigger the template wires to it, the listener task's
 * built runtime with the task definition's environment, and every AWS call checked against the
 * calling role's policies in the template.
 */
describe('as deployed: the synthesized stack, run as its template wires it', () => {
  let synth: Synthesized;
  let d: Deployment;
  let listener: ContainerTask;
  const receiver = new StreamReceiver();
  const IMEI = '356307042441013';
  let deviceId = 0;
  let tcpPort = 0;
  let seq = 0;
  const report = () => ({ timestampMs: 1_750_000_000_000 + ++seq * 1000, speed: seq });

  beforeAll(async () => {
    synth = synthesize();
    await receiver.start();
    d = await Deployment.start(synth);
    [listener] = await d.startServices();
  }, 240_000);
  afterAll(async () => {
    await d?.stop();
    await receiver.close();
  });

  /** Messages the API returns for the test device. */
  const storedTimestamps = async () => {
    const r = await call(d, 'GET', `/gw/devices/${deviceId}/messages`);
    return (r.json.result as { timestamp: number }[]).map((m) => m.timestamp);
  };

  it('answers 401 without a token and with an unknown one, serves /openapi.json without one', async () => {
    expect(await call(d, 'GET', '/gw/devices', undefined, null)).toEqual({ status: 401, json: { errors: [{ code: 401, reason: 'Unauthorized' }] } });
    expect(await call(d, 'GET', '/gw/devices', undefined, 'not-a-token')).toEqual({ status: 401, json: { errors: [{ code: 401, reason: 'Unauthorized' }] } });
    const openapi = await call(d, 'GET', '/openapi.json', undefined, null);
    expect(openapi.status).toBe(200);
    expect(openapi.json.openapi).toMatch(/^3\./);
  });

  // before the first frame: ingest reads stream subscriptions when it starts, then every 30 s
  it('creates and reads devices and streams with the admin token from the secret; the authorizer answer is cached', async () => {
    const created = await call(d, 'POST', '/gw/devices', [{ name: 'truck', configuration: { ident: IMEI } }]);
    expect(created.status).toBe(200);
    deviceId = created.json.result[0].id;
    const streams = await call(d, 'POST', '/gw/streams', [
      { name: 'http', protocol_name: 'http', configuration: { uri: `http://127.0.0.1:${receiver.port}/in` } },
      { name: 'iot', protocol_name: 'aws_iot', configuration: { endpoint: d.endpoint.url, region: REGION, topic: 'hub/%ident%' } },
    ]);
    expect(streams.status).toBe(200);
    expect(streams.json.result.map((x: { protocol_name: string }) => x.protocol_name)).toEqual(['http', 'aws_iot']);
    for (const s of streams.json.result) expect((await call(d, 'POST', `/gw/streams/${s.id}/devices/${deviceId}`)).status).toBe(200);

    const calls = d.gateway.authorizerCalls;
    const read = await call(d, 'GET', `/gw/devices/${deviceId}`);
    expect(read).toMatchObject({ status: 200, json: { result: [{ id: deviceId, name: 'truck', configuration: { ident: IMEI } }] } });
    expect(d.gateway.authorizerCalls).toBe(calls);
  });

  it('a limited token reaches what its ACL allows and gets 403 elsewhere', async () => {
    const token = await call(d, 'POST', '/platform/tokens', [{ info: 'read devices', acl: [{ uri: 'gw/devices', methods: ['GET'] }] }]);
    expect(token.status).toBe(200);
    const key = token.json.result[0].key as string;
    expect((await call(d, 'GET', '/gw/devices/all', undefined, key)).status).toBe(200);
    const denied = await call(d, 'POST', '/gw/devices', [{ name: 'x', configuration: { ident: '1' } }], key);
    expect(denied.status).toBe(403);
    expect((await call(d, 'GET', '/gw/channels/all', undefined, key)).status).toBe(403);
  });

  it('Teltonika through every protocol of the load balancer: handshake, ack, stored by ingest, read back', async () => {
    const protocols = [...new Set(d.routes().map((r) => r.protocol))].sort();
    const transports = [...new Set(protocols.flatMap((p) => (p === 'TCP_UDP' ? ['tcp', 'udp'] : [p.toLowerCase()])))] as ('tcp' | 'udp')[];
    const done: string[] = [];
    for (const transport of transports) {
      const ch = await call(d, 'POST', '/gw/channels', [{ name: `teltonika-${transport}`, protocol_name: 'teltonika', configuration: { transport } }]);
      expect(ch.status).toBe(200);
      const port = ch.json.result[0].configuration.port as number;
      expect(ch.json.result[0].uri).toBe(`${d.t.getAtt(d.t.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')[0], 'DNSName')}:${port}`);
      const { localPort } = d.device(port, transport);
      const r = report();
      if (transport === 'tcp') {
        tcpPort = port;
        const session = await teltonikaTcp(d, localPort, IMEI, [r]);
        session.device.close();
        expect([session.accepted, session.acks]).toEqual(['01', ['00000001']]);
      } else expect(await teltonikaUdp(d, localPort, IMEI, [r])).toEqual(['00050001010101']);
      await until(d, `the ${transport} record stored`, async () => ((await storedTimestamps()).includes(r.timestampMs / 1000) ? true : undefined));
      done.push(transport);
    }
    expect(done).toEqual(transports);
    expect(transports.length).toBeGreaterThan(0);
  });

  it("routes each stream type's events by its rule to its function: http and aws_iot messages arrive", async () => {
    const r = report();
    const session = await teltonikaTcp(d, d.device(tcpPort, 'tcp').localPort, IMEI, [r]);
    session.device.close();
    const got = await until(d, 'the http stream batch', async () => receiver.messages().find((m) => m.timestamp === r.timestampMs / 1000));
    expect(got).toMatchObject({ ident: IMEI, 'device.id': deviceId, 'position.speed': r.speed });
    const published = await until(d, 'the aws_iot publish', async () =>
      d.endpoint.iotPublishes.find((p) => JSON.parse(p.payload).timestamp === r.timestampMs / 1000),
    );
    expect(published.topic).toBe(`hub/${IMEI}`);
    await d.settled();
    const byType = d.deliveries.map((x) => {
      const type = (x.payload as { detail?: { type?: string } }).detail?.type;
      return `${type} -> ${d.host(x.functionId).spec.environment.HUB_STREAM_TYPE}`;
    });
    expect([...new Set(byType)].sort()).toEqual(['aws_iot -> aws_iot', 'http -> http']);
    // every pattern rule of the template targets the function of the stream type its pattern selects
    const wiring = d.rules
      .filter((x) => (x.pattern as { detail?: { type?: unknown } } | undefined)?.detail?.type !== undefined) // stream rules select a type; the live rule does not
      .map((x) => {
        const selected = (x.pattern as { detail?: { type?: string[] } }).detail?.type?.join();
        const targets = x.targets.map((t) => d.host(d.t.ownerOf(t.arn) ?? t.arn).spec.environment.HUB_STREAM_TYPE).join();
        return `${selected} -> ${targets}`;
      });
    // ... and every stream function of the template has such a rule
    const streamTypes = d.t
      .ofType('AWS::Lambda::Function')
      .map(
        (id) => (d.t.resolve(d.t.resource(id).Properties) as { Environment?: { Variables?: Record<string, string> } }).Environment?.Variables?.HUB_STREAM_TYPE,
      )
      .filter((type): type is string => type !== undefined);
    expect(streamTypes).toEqual(expect.arrayContaining(['http', 'aws_iot']));
    expect(wiring.sort()).toEqual(streamTypes.map((type) => `${type} -> ${type}`).sort());
  });

  it('the drain schedule delivers what a stream buffered while its target was down', async () => {
    receiver.down = true;
    const r = report();
    const session = await teltonikaTcp(d, d.device(tcpPort, 'tcp').localPort, IMEI, [r]);
    session.device.close();
    const http = (await call(d, 'GET', '/gw/streams/all')).json.result.find((s: { protocol_name: string }) => s.protocol_name === 'http');
    await until(d, 'the batch buffered', async () => {
      const st = (await call(d, 'GET', `/gw/streams/${http.id}`)).json.result[0].status;
      return st.buffered > 0 && st.errors > 0 ? st : undefined;
    });
    receiver.down = false;
    await new Promise((w) => setTimeout(w, 2100)); // the first retry backs off 1 s
    const scheduled = d.rules.filter((x) => x.schedule);
    // the streams' drain (one target per stream type), the calculators' tick, the nightly archiver
    expect(scheduled.map((x) => `${x.schedule} x${x.targets.length}`).sort()).toEqual(['cron(30 0 * * ? *) x4', 'rate(1 minute) x1', 'rate(1 minute) x5']);
    const drain = scheduled.filter((x) => x.targets.length === 5);
    const outcomes = await d.runSchedule(drain[0].logicalId);
    expect(outcomes.every((o) => o?.ok)).toBe(true);
    expect(receiver.messages().map((m) => m.timestamp)).toContain(r.timestampMs / 1000);
    // the other schedules run as deployed too: the calculators' tick and the archiver (its four shards)
    for (const x of scheduled.filter((y) => y !== drain[0])) {
      const ran = await d.runSchedule(x.logicalId);
      expect(ran.map((o) => o?.ok ?? `${x.logicalId}: not run`)).toEqual(x.targets.map(() => true));
    }
  });

  it('a frame ingest cannot parse returns to the queue, and after maxReceiveCount receives waits in the DLQ (listed by the API)', async () => {
    const [poller] = d.pollers;
    const queue = poller.mapping.queue;
    const redrive = queue.redrive;
    expect(redrive?.maxReceiveCount).toBe(5);
    const dlq = d.queues.get(redrive?.deadLetterArn ?? '');
    const failedBefore = poller.stats.failedRecords;
    d.queues.send(queue, 'not an envelope');
    for (let i = 1; i <= (redrive?.maxReceiveCount ?? 0); i++) {
      await until(d, `ingest's attempt ${i}`, async () => (poller.stats.failedRecords >= failedBefore + i ? true : undefined));
      expect(queue.messages.map((m) => m.receives)).toEqual([i]);
      d.queues.advance((queue.visibilityTimeoutS + 1) * 1000); // the visibility timeout passes
    }
    await until(d, 'the DLQ', async () => (dlq.messages.length === 1 ? true : undefined));
    const listed = await call(d, 'GET', '/platform/dead-letters');
    expect(listed.status).toBe(200);
    expect(listed.json.result).toEqual([expect.objectContaining({ receives: 1 })]);
  });

  it('SIGTERM drains the listener: every acked frame is in SQS', async () => {
    await d.pausePollers();
    const reports = [report(), report(), report()];
    const session = await teltonikaTcp(d, d.device(tcpPort, 'tcp').localPort, IMEI, reports);
    expect(session.acks).toEqual(['00000001', '00000001', '00000001']);
    const exit = await listener.stop();
    session.device.close();
    expect(exit).toEqual({ code: 0, signal: null });
    const queue = d.pollers[0].mapping.queue;
    const frames = queue.messages.flatMap((m) => parseEnvelope(m.body).frames);
    // the three records; besides them only the device's presence events, which ride the queue too
    expect(frames.filter((f) => f.event === undefined)).toHaveLength(3);
    for (const f of frames.filter((x) => x.event !== undefined)) expect(['online', 'offline']).toContain(f.event);
    d.resumePollers();
    await until(d, 'the drained frames stored', async () => {
      const ts = await storedTimestamps();
      return reports.every((r) => ts.includes(r.timestampMs / 1000)) ? true : undefined;
    });
  });

  it("stored items carry the template's TTL attribute (epoch seconds, in the future)", async () => {
    const ttl = [...d.tables.ttl];
    expect(ttl.map(([table, attribute]) => [d.t.ownerOf(table)?.replace(/[0-9A-F]{8}$/, ''), attribute])).toEqual([['HubStorageMessages', 'ttl']]);
    const client = new DynamoDBClient({ endpoint: d.tables.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const items = (await client.send(new ScanCommand({ TableName: ttl[0][0] }))).Items ?? [];
    client.destroy();
    const expiring = items.filter((i) => i[ttl[0][1]] !== undefined);
    expect(expiring.length).toBeGreaterThan(0);
    for (const i of expiring) expect(Number(i[ttl[0][1]].N)).toBeGreaterThan(Date.now() / 1000);
  });

  it("every AWS call was allowed by the calling role's policies, and nothing else went wrong", () => {
    const exercised = [...new Set(d.endpoint.calls.map((c) => `${c.role.replace(/[0-9A-F]{8}$/, '')} ${c.action}`))].sort();
    expect(exercised).toEqual(
      expect.arrayContaining([
        'HubChannelsTaskTaskRole sqs:SendMessage',
        'HubIngestFunctionRole sqs:ReceiveMessage',
        'HubIngestFunctionRole dynamodb:BatchWriteItem',
        'HubIngestFunctionRole events:PutEvents',
        'HubRegistryAuthorizerFunctionRole secretsmanager:GetSecretValue',
        'HubRegistryFunctionRole sqs:ReceiveMessage',
        'HubStreamsAWSIOTFunctionRole iot:Publish',
      ]),
    );
    expect(d.endpoint.calls.filter((c) => c.allowed).length).toBeGreaterThan(50);
    expect(d.issues()).toEqual([]);
  });
});

/**
 * The same checks on templates with one defect planted: each run fails, and the failure names the
 * cause (the call IAM denies, the event no rule matches, the variable the task misses).
 */
describe('as deployed: planted defects fail naming their cause', () => {
  let synth: Synthesized;
  const receiver = new StreamReceiver();
  beforeAll(async () => {
    synth = synthesize();
    await receiver.start();
  }, 240_000);
  afterAll(() => receiver.close());

  /** The error a scenario meets on a deployment of the transformed template (verified at the end). */
  async function failureOf(transform: TemplateTransform, scenario: (d: Deployment) => Promise<unknown>): Promise<string> {
    const d = await Deployment.start(synth, transform);
    try {
      await scenario(d);
      d.verify();
      return 'no failure';
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    } finally {
      await d.stop();
    }
  }

  it("the API function without its registry table's name: its calls go to a table the template does not have", async () => {
    const failure = await failureOf(withoutFunctionVariable(/^HubRegistryFunction[0-9A-F]{8}$/, 'HUB_TABLE_REGISTRY'), async (d) => {
      const r = await call(d, 'POST', '/gw/devices', [{ name: 'x', configuration: { ident: '356307042441000' } }]);
      expect(r.status).toBe(500);
    });
    expect(failure).toMatch(
      /HubRegistryFunctionRole\w+ \(role of HubRegistryFunction\w+\) is not allowed dynamodb:\w+ on arn:aws:dynamodb:eu-west-1:123456789012:table\/hub-registry, which is no resource of the template: .*; hub-registry is the runtime's default of HUB_TABLE_REGISTRY \(core\/env\.ts\), which that environment does not set; the environment of HubRegistryFunction\w+ names .*HUB_TABLE_MESSAGES → HubStorageMessages\w+/,
    );
  });

  it('ingest without PutItem and BatchWriteItem on the messages table: the denied write is named', async () => {
    const failure = await failureOf(withoutGrant(/^HubIngestFunctionRole/, /HubStorageMessages/, ['dynamodb:PutItem', 'dynamodb:BatchWriteItem']), (d) =>
      deviceReports(d),
    );
    expect(failure).toMatch(
      /HubIngestFunctionRole\w+ \(role of HubIngestFunction\w+\) is not allowed dynamodb:(BatchWriteItem|PutItem) on HubStorageMessages\w+ \(arn:aws:dynamodb:/,
    );
  });

  it("the http rule's pattern broken: the stream's events match no rule, and the event is named", async () => {
    const failure = await failureOf(withBrokenPattern('http'), (d) => deviceReports(d, receiver));
    expect(failure).toMatch(
      /EventBridge: an event on bus \w+ \(source telematics-hub, detail-type messages, detail.type "http"; .*\) matched no rule, so it reached no target/,
    );
  });

  it('the listener task without HUB_INGEST_QUEUE_URL: the task exits before its health check passes, naming the variable', async () => {
    const failure = await failureOf(withoutTaskVariable('HUB_INGEST_QUEUE_URL'), (d) => d.startServices());
    expect(failure).toMatch(/task HubChannelsTask\w+ \(listener\) exited \(1\) before its health check passed: .*HUB_INGEST_QUEUE_URL is not set/);
  });
});

/** The UDP path: every listener of the load balancer is TCP_UDP, its container ports mapped for udp too. */
describe('as deployed: UDP listeners of the load balancer', () => {
  let d: Deployment | undefined;
  afterAll(() => d?.stop());

  it('a Teltonika device over UDP through a TCP_UDP listener: ack, stored by ingest, read back; a queued command reaches it', async () => {
    d = await Deployment.start(synthesize());
    await d.startServices();
    const dep = d;
    expect([...new Set(dep.routes().map((r) => r.protocol))]).toEqual(['TCP_UDP']);
    const imei = '356307042441077';
    const device = await call(dep, 'POST', '/gw/devices', [{ name: 'udp', configuration: { ident: imei } }]);
    const id = device.json.result[0].id as number;
    const ch = await call(dep, 'POST', '/gw/channels', [{ name: 'teltonika-udp', protocol_name: 'teltonika', configuration: { transport: 'udp' } }]);
    expect(ch.status).toBe(200);
    const port = ch.json.result[0].configuration.port as number;
    const at = 1_770_000_000_000;
    expect(await teltonikaUdp(dep, dep.device(port, 'udp').localPort, imei, [{ timestampMs: at, speed: 7 }])).toEqual(['00050001010101']);
    await until(dep, 'the udp record stored', async () => {
      const r = await call(dep, 'GET', `/gw/devices/${id}/messages`);
      return r.json.result?.some((m: { timestamp: number }) => m.timestamp === at / 1000) ? true : undefined;
    });
    // a queued command reaches the UDP device: Codec 12 in the UDP channel header, after its next datagram's ack
    expect((await call(dep, 'POST', `/gw/devices/${id}/commands-queue`, [{ name: 'getver' }])).status).toBe(200);
    const getver = `0c010500000006${Buffer.from('getver').toString('hex')}01`;
    let next = at;
    const sent = await until(dep, 'the command over UDP', async () => {
      next += 1000;
      const answers = await teltonikaUdp(dep, dep.device(port, 'udp').localPort, imei, [{ timestampMs: next, speed: 7 }]);
      return answers.find((a) => a.includes(getver));
    });
    expect(sent.endsWith(getver)).toBe(true);
    dep.verify();
  }, 90_000);
});
