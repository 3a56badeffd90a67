import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { errorResponse, MAX_BODY_BYTES } from '../core/api/http.js';

export type ApiGatewayHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** A Lambda context for handlers called in-process. */
export function localContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Turns a Node request into the REST API Gateway proxy event the API Lambda receives. */
export function toApiGatewayEvent(req: IncomingMessage, body: string | null): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const requestId = randomUUID();
  return {
    resource: '/{proxy+}',
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId,
      path: url.pathname,
      httpMethod: req.method ?? 'GET',
      stage: 'local',
      identity: { sourceIp: req.socket.remoteAddress ?? '' },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/** The local API server: every request goes through the same handler as on API Gateway. */
export async function startApiServer(
  handler: ApiGatewayHandler,
  port: number,
  host: string,
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (extra?.(req, res)) return;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge) return send(res, errorResponse(413, `body: larger than ${MAX_BODY_BYTES} bytes`));
      const body = chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : null;
      handler(toApiGatewayEvent(req, body), localContext('hub-api')).then(
        (r) => send(res, { status: r.statusCode, headers: (r.headers ?? {}) as Record<string, string>, body: r.body }),
        (err) => send(res, errorResponse(500, `internal error: ${err instanceof Error ? err.message : String(err)}`)),
      );
    });
    req.on('error', () => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function send(res: ServerResponse, r: { status: number; headers: Record<string, string>; body: string }): void {
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}
