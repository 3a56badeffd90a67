/**
 * A recording, in-memory S3 endpoint (path-style REST over HTTP) for the operations the archive
 * uses: PutObject, GetObject, DeleteObject, ListObjectsV2 and DeleteObjects. The real S3Client
 * talks to it (`AWS_ENDPOINT_URL_S3` or `endpoint`), so requests are exactly what the SDK sends.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

const xml = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'stub' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
};
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Decodes an `aws-chunked` body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n…0\r\n<trailers>`). */
function unchunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.subarray(at, eol).toString().split(';')[0], 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export class S3Stub {
  readonly objects = new Map<string, { body: Buffer; tagging?: string }>();
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  /** Keys listed per ListObjectsV2 page (small, to exercise continuation). */
  pageSize = 1000;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Requests recorded since `from`, as `METHOD ?query-keys` lines (the operation's shape). */
  operations(from = 0): string[] {
    return this.requests.slice(from).map((r) => `${r.method} ${Object.keys(r.query).sort().join('&')}`);
  }

  private handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stub');
    const query = Object.fromEntries(url.searchParams);
    const encoding = String(req.headers['content-encoding'] ?? '');
    const body = encoding.includes('aws-chunked') ? unchunk(raw) : raw;
    this.requests.push({ method: req.method ?? '', path: url.pathname, query, headers: req.headers, body });
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const id = `${bucket}/${key}`;
    if (req.method === 'PUT' && key) {
      this.objects.set(id, { body, tagging: req.headers['x-amz-tagging'] as string | undefined });
      res.writeHead(200, { etag: '"stub"' }).end();
    } else if (req.method === 'GET' && key) {
      const o = this.objects.get(id);
      if (!o) xml(res, 404, `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${esc(key)}</Key></Error>`);
      else res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(o.body.length) }).end(o.body);
    } else if (req.method === 'DELETE' && key) {
      this.objects.delete(id);
      res.writeHead(204).end();
    } else if (req.method === 'GET' && query['list-type'] === '2') {
      this.list(bucket, query, res);
    } else if (req.method === 'POST' && 'delete' in query) {
      const keys = [...body.toString().matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
      for (const k of keys) this.objects.delete(`${bucket}/${k}`);
      xml(res, 200, '<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>');
    } else {
      xml(res, 400, `<Error><Code>NotImplemented</Code><Message>${esc(`${req.method} ${req.url}`)}</Message></Error>`);
    }
  }

  private list(bucket: string, query: Record<string, string>, res: ServerResponse): void {
    const prefix = query.prefix ?? '';
    const after = query['continuation-token'] ?? query['start-after'] ?? '';
    const keys = [...this.objects.keys()]
      .filter((k) => k.startsWith(`${bucket}/`))
      .map((k) => k.slice(bucket.length + 1))
      .filter((k) => k.startsWith(prefix) && k > after)
      .sort();
    const page = keys.slice(0, Math.min(this.pageSize, Number(query['max-keys'] ?? 1000)));
    const truncated = page.length < keys.length;
    const contents = page.map((k) => `<Contents><Key>${esc(k)}</Key><Size>${this.objects.get(`${bucket}/${k}`)?.body.length}</Size></Contents>`).join('');
    xml(
      res,
      200,
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
        `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${esc(page[page.length - 1])}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
    );
  }
}
