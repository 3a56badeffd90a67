import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsIotTarget } from '../../../adapters/streams/aws-iot.js';
import { streamTypeModules } from '../../../adapters/streams/index.js';
import { AwsIotConfigSchema, type Stream } from '../../../core/schemas/streams.js';
import type { StreamBatch, StreamTarget } from '../../../core/streams/types.js';
import type { Message } from '../../../protocols/common/types.js';
import { type CapturedLogger, captureLogger, freePort } from '../../helpers/local-hub.js';

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

const STREAM: Stream = { id: 9, name: 'iot', protocol_name: 'aws_iot', configuration: {}, queue_ttl: 3600, enabled: true };
const m1: Message = {
  ident: 'truck-1',
  timestamp: 1700000000,
  'device.id': 11,
  'position.latitude': 10,
  'position.longitude': 20,
  'position.speed': 0,
  'engine.ignition.status': false,
};
const m2: Message = { ident: 'truck-2', timestamp: 1700000005, 'device.id': 12, 'position.latitude': 30, 'position.longitude': 40 };
const m1later: Message = { ...m1, timestamp: 1700000010, 'position.speed': 55, 'engine.ignition.status': true };
const batch = (messages: Message[]): StreamBatch => ({ streamId: 9, batchId: 'a1', messages });

describe('aws_iot stream target', () => {
  let server: Server;
  let port: number;
  let recorded: Recorded[] = [];
  let answer: (r: Recorded, res: ServerResponse) => void;
  let logger: CapturedLogger;
  const saved = { ...process.env };
  const targets: StreamTarget[] = [];

  const target = (config: Record<string, unknown> = {}, options = {}) => {
    const t = new AwsIotTarget(AwsIotConfigSchema.parse({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', ...config }), { logger }, options);
    targets.push(t);
    return t;
  };

  beforeAll(async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret-test', AWS_EC2_METADATA_DISABLED: 'true' });
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    port = await freePort();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const r = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        recorded.push(r);
        answer(r, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });

  beforeEach(() => {
    recorded = [];
    logger = captureLogger();
    answer = (r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(r.path.startsWith('/things/') ? r.body : '{}');
  });

  afterAll(async () => {
    await Promise.all(targets.map((t) => t.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    process.env = saved;
  });

  const publishes = () => recorded.filter((r) => r.path.startsWith('/topics/'));
  const shadows = () => recorded.filter((r) => r.path.startsWith('/things/'));

  it('publishes each message as POST /topics/<url-encoded topic>?qos=1, SigV4-signed for iotdata', async () => {
    const t = streamTypeModules().aws_iot.createTarget(
      AwsIotConfigSchema.parse({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', topic: 'fleet/%device.id%/%ident%/telemetry' }),
      STREAM,
      { logger },
    );
    targets.push(t);
    await t.deliver(batch([m1, m2]));
    const p = publishes();
    expect(p.map((r) => [r.method, decodeURIComponent(r.path.slice('/topics/'.length)), r.query.get('qos')]).sort()).toEqual([
      ['POST', 'fleet/11/truck-1/telemetry', '1'],
      ['POST', 'fleet/12/truck-2/telemetry', '1'],
    ]);
    expect(p[0].path).toMatch(/^\/topics\/fleet%2F1[12]%2Ftruck-[12]%2Ftelemetry$/);
    expect(p.map((r) => JSON.parse(r.body) as Message).sort((a, b) => String(a.ident).localeCompare(String(b.ident)))).toEqual([m1, m2]);
    expect(p[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/iotdata\/aws4_request/);
    expect(shadows()).toHaveLength(0);
  });

  it('uses qos 0 when configured', async () => {
    await target({ qos: 0 }).deliver(batch([m1]));
    expect(publishes()[0].query.get('qos')).toBe('0');
  });

  it('reports shadow_fields of the latest message per ident to POST /things/<ident>/shadow', async () => {
    await target({ shadow: true }).deliver(batch([m1later, m1, m2]));
    expect(publishes()).toHaveLength(3);
    const docs = Object.fromEntries(shadows().map((r) => [r.path, JSON.parse(r.body) as unknown]));
    expect(docs).toEqual({
      '/things/truck-1/shadow': {
        state: { reported: { 'position.latitude': 10, 'position.longitude': 20, 'position.speed': 55, 'engine.ignition.status': true, timestamp: 1700000010 } },
      },
      '/things/truck-2/shadow': { state: { reported: { 'position.latitude': 30, 'position.longitude': 40, timestamp: 1700000005 } } },
    });
  });

  it('skips the shadow of an ident that is not a valid thing name, and one over 8 KB', async () => {
    await target({ shadow: true, shadow_fields: ['note'] }).deliver(
      batch([
        { ident: 'bad name', timestamp: 1, note: 'x' },
        { ident: 'big', timestamp: 1, note: 'y'.repeat(9000) },
        { ident: 'ok', timestamp: 1, note: 'z' },
      ]),
    );
    expect(shadows().map((r) => r.path)).toEqual(['/things/ok/shadow']);
    expect(logger.lines.filter((l) => l.message === 'aws_iot: shadow update skipped').map((l) => l.extra?.reason)).toEqual([
      expect.stringMatching(/not a valid thing name/),
      expect.stringMatching(/exceeds 8192 bytes/),
    ]);
  });

  it('skips a message over 128 KB (AWS would always refuse it) and publishes the others', async () => {
    await target().deliver(batch([{ ...m1, blob: 'x'.repeat(131_072) }, m2]));
    expect(publishes().map((r) => decodeURIComponent(r.path))).toEqual(['/topics/telematics/truck-2']);
    expect(logger.lines.find((l) => l.message.includes('skipped'))?.extra?.reason).toMatch(/exceeds the 131072 bytes limit/);
  });

  it('rejects every delivery of a topic template with more than 7 slashes, as permanent', async () => {
    const err = await target({ topic: 'a/b/c/d/e/f/g/h/%ident%' })
      .deliver(batch([m1]))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TargetConfigError', permanent: true, message: expect.stringMatching(/has 8 slashes, AWS IoT allows at most 7/) });
    expect(recorded).toHaveLength(0);
  });

  it('rejects with the HTTP status when AWS refuses (403 not retried)', async () => {
    answer = (_, res) => res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' }).end('{"message":"not allowed"}');
    await expect(target().deliver(batch([m1]))).rejects.toThrow(/aws_iot publish to telematics\/truck-1: HTTP 403 ForbiddenException/);
    expect(recorded).toHaveLength(1);
  });

  it('rejects after the SDK retried a 503 three times', async () => {
    answer = (_, res) =>
      res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailableException' }).end('{"message":"busy"}');
    await expect(target().deliver(batch([m1]))).rejects.toThrow(/HTTP 503/);
    expect(recorded).toHaveLength(3);
  });

  it('rejects within the request timeout when the endpoint does not answer', async () => {
    answer = () => undefined;
    const started = Date.now();
    await expect(target({}, { requestTimeoutMs: 200 }).deliver(batch([m1]))).rejects.toThrow(/aws_iot publish to telematics\/truck-1 failed/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
