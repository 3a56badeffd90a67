/**
 * One local HTTP endpoint for every AWS service the hub calls, reached through
 * `AWS_ENDPOINT_URL_<SERVICE>`: DynamoDB (a proxy in front of dynalite), SQS (AWS JSON 1.0),
 * EventBridge (PutEvents), Secrets Manager (GetSecretValue of the template's secrets, with a
 * generated value) and the IoT data plane (Publish, shadows; recorded). Every request is recorded
 * with its caller (the access key id: a role's logical id), IAM action and resource, and checked
 * against that role's policies in the template: a call IAM would deny is answered AccessDenied.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Stub } from '../helpers/s3-stub.js';
import { accessKeyOf, type CallTarget, dynamodbCalls, eventsCalls, iotCall, type Service, secretArn, sqsCalls, targetOf } from './aws-calls.js';
import type { AwsCall, IamPolicies } from './iam.js';
import { AwsError, type LocalQueues, md5 } from './sqs.js';
import { ACCOUNT, asArray, isObject, type ResolvedTemplate } from './template.js';

export interface RecordedCall extends AwsCall {
  readonly allowed: boolean;
  readonly reason?: string;
}

export interface IotPublish {
  readonly role: string;
  readonly topic: string;
  readonly payload: string;
}

export interface EndpointServices {
  readonly template: ResolvedTemplate;
  readonly iam: IamPolicies;
  readonly queues: LocalQueues;
  /** dynalite's URL. */
  readonly dynamodb: string;
  /** Routes PutEvents entries of one bus (ARN) to the rules' targets. */
  readonly putEvents: (busArn: string, entries: Record<string, unknown>[]) => void;
}

/** The generated value of a secret (`GenerateSecretString`), or its `SecretString`. */
function secretValue(properties: Record<string, unknown>): string {
  if (typeof properties.SecretString === 'string') return properties.SecretString;
  const g = isObject(properties.GenerateSecretString) ? properties.GenerateSecretString : {};
  let chars = '';
  if (!g.ExcludeLowercase) chars += 'abcdefghijklmnopqrstuvwxyz';
  if (!g.ExcludeUppercase) chars += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (!g.ExcludeNumbers) chars += '0123456789';
  if (!g.ExcludePunctuation) chars += '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  if (g.IncludeSpace) chars += ' ';
  const excluded = String(g.ExcludeCharacters ?? '');
  chars = [...chars].filter((c) => !excluded.includes(c)).join('');
  const password = Array.from({ length: Number(g.PasswordLength ?? 32) }, () => chars[randomInt(chars.length)]).join('');
  if (typeof g.SecretStringTemplate === 'string' && typeof g.GenerateStringKey === 'string')
    return JSON.stringify({ ...JSON.parse(g.SecretStringTemplate), [g.GenerateStringKey]: password });
  return password;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const CONTENT_TYPE: Record<Service, string> = {
  dynamodb: 'application/x-amz-json-1.0',
  sqs: 'application/x-amz-json-1.0',
  events: 'application/x-amz-json-1.1',
  secretsmanager: 'application/x-amz-json-1.1',
  iot: 'application/json',
};

function send(res: ServerResponse, service: Service, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': CONTENT_TYPE[service], 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, service: Service, status: number, code: string, message: string): void {
  if (service === 'iot') send(res, service, status, { message }, { 'x-amzn-errortype': `${code}:` });
  else {
    const type = service === 'events' || service === 'secretsmanager' ? code : `com.amazonaws.${service}#${code}`;
    send(res, service, status, { __type: type, message, Message: message }, { 'x-amzn-query-error': `${code};Sender` });
  }
}

export class AwsEndpoint {
  /** Every call, in order, with IAM's verdict. */
  readonly calls: RecordedCall[] = [];
  readonly iotPublishes: IotPublish[] = [];
  /** Secret values by ARN (what an operator reads with `aws secretsmanager get-secret-value`). */
  readonly secrets = new Map<string, string>();
  private services?: EndpointServices;
  /**
   * S3 (the cold-history archive) is served by an in-memory stand-in of its own: its REST/XML
   * protocol is not routed through this endpoint, so S3 calls are not checked against IAM (the
   * CDK tests assert the archive grants).
   */
  readonly s3 = new S3Stub();
  private s3Url = '';

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async listen(): Promise<AwsEndpoint> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = new AwsEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    endpoint.s3Url = await endpoint.s3.start();
    server.on('request', (req, res) => {
      endpoint.handle(req, res).catch((err) => sendError(res, 'dynamodb', 500, 'InternalFailure', String(err)));
    });
    return endpoint;
  }

  /** Serves the template's resources (once the template is resolved against this endpoint's URL). */
  serve(services: EndpointServices): void {
    this.services = services;
    for (const id of services.template.ofType('AWS::SecretsManager::Secret')) {
      const p = (services.template.resolve(services.template.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
      this.secrets.set(services.template.getAtt(id, 'Arn'), secretValue(p));
    }
  }

  /** The `AWS_ENDPOINT_URL_*` variables pointing every SDK client here. */
  environment(): Record<string, string> {
    const services = ['DYNAMODB', 'SQS', 'EVENTBRIDGE', 'SECRETS_MANAGER', 'IOT_DATA_PLANE'];
    return {
      ...Object.fromEntries(services.map((s) => [`AWS_ENDPOINT_URL_${s}`, this.url])),
      AWS_ENDPOINT_URL_S3: this.s3Url,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  /** Records a call made on a caller's behalf (an event source mapping polling with the function's role). */
  authorize(role: string, targets: readonly CallTarget[]): RecordedCall[] {
    const s = this.required();
    const out = targets.map((x) => {
      const verdict = s.iam.evaluate({ role, ...x });
      return { role, ...x, allowed: verdict.allowed, reason: verdict.reason };
    });
    this.calls.push(...out);
    return out;
  }

  /** Calls IAM denied, each with its reason. */
  denied(): string[] {
    return this.calls.filter((c) => !c.allowed).map((c) => c.reason ?? `${c.role}: ${c.action} on ${c.resource}`);
  }

  private required(): EndpointServices {
    if (!this.services) throw new Error('the endpoint serves nothing yet');
    return this.services;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const s = this.required();
    const body = await readBody(req);
    const role = accessKeyOf(req.headers.authorization) ?? 'anonymous';
    const path = new URL(req.url ?? '/', this.url).pathname;
    const target = targetOf(req.headers['x-amz-target'] as string | undefined);
    const input: Record<string, unknown> = target && body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    const iot = target ? undefined : iotCall(req.method ?? 'GET', path);
    const service: Service = target?.service ?? 'iot';
    if (!target && !iot) return sendError(res, 'iot', 404, 'ResourceNotFoundException', `no local AWS service serves ${req.method} ${path}`);
    const targets = target
      ? target.service === 'dynamodb'
        ? dynamodbCalls(target.operation, input)
        : target.service === 'sqs'
          ? sqsCalls(s.template, target.operation, input)
          : target.service === 'events'
            ? eventsCalls(target.operation, input)
            : [{ action: `secretsmanager:${target.operation}`, resource: secretArn(s.template, input.SecretId) }]
      : [iot as CallTarget];
    const denied = this.authorize(role, targets).find((c) => !c.allowed);
    if (denied) {
      const message = `User: arn:aws:sts::${ACCOUNT}:assumed-role/${role}/session is not authorized to perform: ${denied.action} on resource: ${denied.resource} because no identity-based policy allows the ${denied.action} action`;
      return sendError(res, service, service === 'iot' ? 403 : 400, service === 'iot' ? 'ForbiddenException' : 'AccessDeniedException', message);
    }
    if (service === 'dynamodb') return this.proxyDynamo(req, res, body, s.dynamodb);
    if (service === 'iot') {
      if (iot?.action === 'iot:Publish') this.iotPublishes.push({ role, topic: iot.resource.replace(/^.*:topic\//, ''), payload: body.toString('utf8') });
      return send(res, 'iot', 200, iot?.action === 'iot:Publish' ? {} : JSON.parse(body.toString('utf8') || '{}'));
    }
    try {
      const out =
        service === 'sqs' ? await this.sqs(s, target?.operation ?? '', input) : service === 'events' ? this.events(s, input) : this.secret(s.template, input);
      send(res, service, 200, out);
    } catch (err) {
      if (err instanceof AwsError) return sendError(res, service, 400, err.code, err.message);
      throw err;
    }
  }

  private proxyDynamo(req: IncomingMessage, res: ServerResponse, body: Buffer, dynalite: string): void {
    const up = request(`${dynalite}/`, { method: req.method, headers: { ...req.headers, host: new URL(dynalite).host } }, (r) => {
      res.writeHead(r.statusCode ?? 500, r.headers);
      r.pipe(res);
    });
    up.on('error', (err) => sendError(res, 'dynamodb', 500, 'InternalServerError', String(err)));
    up.end(body);
  }

  private async sqs(s: EndpointServices, operation: string, input: Record<string, unknown>): Promise<unknown> {
    const q = () => s.queues.get(String(input.QueueUrl ?? ''));
    const entries = () => {
      const list = asArray(input.Entries) as Record<string, unknown>[];
      if (list.length < 1 || list.length > 10)
        throw new AwsError(
          'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
          `Maximum number of entries per request are 10. You have sent ${list.length}.`,
        );
      return list;
    };
    switch (operation) {
      case 'SendMessage': {
        const m = s.queues.send(q(), String(input.MessageBody ?? ''));
        return { MessageId: m.id, MD5OfMessageBody: md5(m.body) };
      }
      case 'SendMessageBatch': {
        const list = entries();
        const bytes = list.reduce((n, e) => n + Buffer.byteLength(String(e.MessageBody ?? '')), 0);
        if (bytes > 256 * 1024)
          throw new AwsError('AWS.SimpleQueueService.BatchRequestTooLong', `Batch requests cannot be longer than 262144 bytes. You have sent ${bytes} bytes.`);
        const queue = q();
        return {
          Successful: list.map((e) => ({
            Id: e.Id,
            MessageId: s.queues.send(queue, String(e.MessageBody ?? '')).id,
            MD5OfMessageBody: md5(String(e.MessageBody)),
          })),
          Failed: [],
        };
      }
      case 'ReceiveMessage': {
        const visibility = input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
        const got = await s.queues.receive(q(), Number(input.MaxNumberOfMessages ?? 1), Number(input.WaitTimeSeconds ?? 0), visibility);
        return got.length > 0 ? { Messages: got } : {};
      }
      case 'DeleteMessage':
        s.queues.delete(q(), String(input.ReceiptHandle));
        return {};
      case 'DeleteMessageBatch': {
        const queue = q();
        for (const e of entries()) s.queues.delete(queue, String(e.ReceiptHandle));
        return { Successful: entries().map((e) => ({ Id: e.Id })), Failed: [] };
      }
      case 'ChangeMessageVisibility':
        s.queues.changeVisibility(q(), String(input.ReceiptHandle), Number(input.VisibilityTimeout));
        return {};
      case 'ChangeMessageVisibilityBatch': {
        const queue = q();
        const out = { Successful: [] as { Id: unknown }[], Failed: [] as { Id: unknown; Code: string; Message: string; SenderFault: boolean }[] };
        for (const e of entries()) {
          try {
            s.queues.changeVisibility(queue, String(e.ReceiptHandle), Number(e.VisibilityTimeout));
            out.Successful.push({ Id: e.Id });
          } catch (err) {
            if (!(err instanceof AwsError)) throw err;
            out.Failed.push({ Id: e.Id, Code: err.code, Message: err.message, SenderFault: true });
          }
        }
        return out;
      }
      case 'GetQueueAttributes':
        return { Attributes: s.queues.attributes(q()) };
      case 'GetQueueUrl':
        return { QueueUrl: s.queues.get(String(input.QueueName)).url };
      default:
        throw new AwsError('UnsupportedOperation', `the as-deployed test's SQS does not implement ${operation}`);
    }
  }

  private events(s: EndpointServices, input: Record<string, unknown>): unknown {
    const entries = asArray(input.Entries) as Record<string, unknown>[];
    if (entries.length < 1 || entries.length > 10)
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
      );
    const bytes = Buffer.byteLength(JSON.stringify(entries));
    if (bytes > 256 * 1024) throw new AwsError('ValidationException', `Total size of the entries in the request is over the limit (${bytes} bytes).`);
    const byBus = new Map<string, Record<string, unknown>[]>();
    for (const e of entries) {
      const arn = eventsCalls('PutEvents', { Entries: [e] })[0].resource;
      byBus.set(arn, [...(byBus.get(arn) ?? []), e]);
    }
    for (const [arn, list] of byBus) s.putEvents(arn, list);
    return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
  }

  private secret(t: ResolvedTemplate, input: Record<string, unknown>): unknown {
    const arn = secretArn(t, input.SecretId);
    const value = this.secrets.get(arn);
    if (value === undefined) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return { ARN: arn, Name: t.name(t.ownerOf(arn) ?? ''), VersionId: 'v1', SecretString: value, VersionStages: ['AWSCURRENT'], CreatedDate: 1_700_000_000 };
  }

  async close(): Promise<void> {
    await this.s3.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
