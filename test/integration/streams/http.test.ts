import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpModule } from '../../../adapters/streams/http.js';
import type { Stream } from '../../../core/schemas/streams.js';
import { HttpConfigSchema } from '../../../core/schemas/streams.js';
import type { StreamBatch } from '../../../core/streams/types.js';
import { captureLogger, freePort } from '../../helpers/local-hub.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const STREAM: Stream = { id: 3, name: 'web', protocol_name: 'http', configuration: {}, queue_ttl: 3600, enabled: true };
const msg = (i: number) => ({ ident: `dev${i}`, timestamp: 1700000000 + i, 'position.latitude': 1.5, 'server.timestamp': 1700000000.25 });
const batch = (n: number, batchId = 'b1'): StreamBatch => ({ streamId: 3, batchId, messages: Array.from({ length: n }, (_, i) => msg(i)) });

describe('http stream target', () => {
  let server: Server;
  let port: number;
  let received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  /** What the receiver answers; `hang` never answers. */
  let answer: (req: Received, res: ServerResponse) => void = (_, res) => res.writeHead(200).end('ok');

  beforeAll(async () => {
    port = await freePort();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        received.push(r);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        res.on('close', () => inFlight--);
        setTimeout(() => answer(r, res), 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    received = [];
    maxInFlight = 0;
    answer = (_, res) => res.writeHead(200).end('ok');
  });

  const target = (config: Record<string, unknown>) =>
    httpModule.createTarget(HttpConfigSchema.parse({ uri: `http://127.0.0.1:${port}/hook?x=1`, ...config }), STREAM, { logger: captureLogger() });

  it('POSTs the batch as a JSON array with the configured headers, batch id and a verifiable HMAC', async () => {
    const t = target({ secret: 's3cret', headers: { Authorization: 'Bearer abc', 'X-Tenant': 't1' } });
    await t.deliver(batch(2));
    await t.close();
    expect(received).toHaveLength(1);
    const [r] = received;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/hook?x=1');
    expect(JSON.parse(r.body)).toEqual([msg(0), msg(1)]);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.authorization).toBe('Bearer abc');
    expect(r.headers['x-tenant']).toBe('t1');
    expect(r.headers['x-hub-batch-id']).toBe('b1-1');
    const expected = `sha256=${createHmac('sha256', 's3cret').update(r.body).digest('hex')}`;
    expect(r.headers['x-hub-signature-256']).toBe(expected);
  });

  it('sends no signature without a secret, and uses PUT when configured', async () => {
    const t = target({ method: 'PUT' });
    await t.deliver(batch(1));
    expect(received[0].method).toBe('PUT');
    expect(received[0].headers['x-hub-signature-256']).toBeUndefined();
  });

  it('splits by max_messages into requests sent one after the other, in order', async () => {
    const t = target({ max_messages: 2 });
    await t.deliver(batch(5, 'bx'));
    expect(received.map((r) => (JSON.parse(r.body) as { ident: string }[]).map((m) => m.ident))).toEqual([['dev0', 'dev1'], ['dev2', 'dev3'], ['dev4']]);
    expect(received.map((r) => r.headers['x-hub-batch-id'])).toEqual(['bx-1', 'bx-2', 'bx-3']);
    expect(maxInFlight).toBe(1);
  });

  it('rejects on 5xx naming the status and host, and stops at the failing part', async () => {
    answer = (r, res) => (r.headers['x-hub-batch-id'] === 'b1-2' ? res.writeHead(503).end('busy') : res.writeHead(200).end());
    const t = target({ max_messages: 1 });
    await expect(t.deliver(batch(3))).rejects.toThrow(`HTTP 503 from 127.0.0.1:${port}: busy`);
    expect(received.map((r) => r.headers['x-hub-batch-id'])).toEqual(['b1-1', 'b1-2']);
  });

  it('rejects a 4xx and a redirect as well (only 2xx acknowledges)', async () => {
    answer = (_, res) => res.writeHead(400).end();
    await expect(target({}).deliver(batch(1))).rejects.toThrow(/HTTP 400 from/);
    answer = (_, res) => res.writeHead(302, { location: '/elsewhere' }).end();
    await expect(target({}).deliver(batch(1))).rejects.toThrow(/HTTP 302 from/);
  });

  it('rejects after the timeout when the receiver does not answer', async () => {
    answer = () => undefined;
    const t = target({ timeout: 1 });
    const started = Date.now();
    await expect(t.deliver(batch(1))).rejects.toThrow(`timeout after 1 s waiting for 127.0.0.1:${port}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('rejects when nothing listens', async () => {
    const closed = await freePort();
    const t = httpModule.createTarget(HttpConfigSchema.parse({ uri: `http://127.0.0.1:${closed}/` }), STREAM, { logger: captureLogger() });
    await expect(t.deliver(batch(1))).rejects.toThrow(/POST to 127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/);
  });

  it('sends nothing for an empty batch', async () => {
    await target({}).deliver(batch(0));
    expect(received).toHaveLength(0);
  });
});
