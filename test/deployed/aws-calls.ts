/**
 * What an AWS request is in IAM's terms: the action(s) and resource ARN(s) it is authorized
 * against, per service, as IAM's service authorization reference lists them (batch operations
 * of SQS authorize as their single action; DynamoDB transactions as each item's action; a query
 * on an index acts on `table/<name>/index/<index>`).
 */
import type { ResolvedTemplate } from './template.js';
import { ACCOUNT, asArray, isObject, REGION } from './template.js';

export interface CallTarget {
  readonly action: string;
  readonly resource: string;
}

export type Service = 'dynamodb' | 'sqs' | 'events' | 'secretsmanager' | 'iot';

/** The service and operation of a JSON-protocol request (`X-Amz-Target`). */
export function targetOf(header: string | undefined): { service: Service; operation: string } | undefined {
  const [prefix, operation] = (header ?? '').split('.');
  const service = ({ DynamoDB_20120810: 'dynamodb', AmazonSQS: 'sqs', AWSEvents: 'events', secretsmanager: 'secretsmanager' } as const)[prefix];
  return service && operation ? { service, operation } : undefined;
}

const tableArn = (name: unknown) => {
  const s = String(name);
  return s.startsWith('arn:') ? s : `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${s}`;
};

const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

export function dynamodbCalls(operation: string, input: Record<string, unknown>): CallTarget[] {
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem')
    return Object.keys(isObject(input.RequestItems) ? input.RequestItems : {}).map((name) => ({ action: `dynamodb:${operation}`, resource: tableArn(name) }));
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems')
    return asArray(input.TransactItems).flatMap((item) =>
      Object.entries(isObject(item) ? item : {}).map(([kind, v]) => ({
        action: `dynamodb:${TRANSACT_ACTIONS[kind] ?? kind}`,
        resource: tableArn(isObject(v) ? v.TableName : ''),
      })),
    );
  if (input.TableName === undefined) return [{ action: `dynamodb:${operation}`, resource: '*' }];
  const table = tableArn(input.TableName);
  return [{ action: `dynamodb:${operation}`, resource: input.IndexName === undefined ? table : `${table}/index/${String(input.IndexName)}` }];
}

const SQS_BATCH: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

export function sqsCalls(t: ResolvedTemplate, operation: string, input: Record<string, unknown>): CallTarget[] {
  const action = `sqs:${SQS_BATCH[operation] ?? operation}`;
  if (operation === 'GetQueueUrl') return [{ action, resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:${String(input.QueueName)}` }];
  const url = String(input.QueueUrl ?? '');
  const id = t.ownerOf(url);
  return [{ action, resource: id ? t.getAtt(id, 'Arn') : `arn:aws:sqs:${REGION}:${ACCOUNT}:${url.split('/').pop()}` }];
}

export function busArn(name: unknown): string {
  const s = name === undefined || name === '' ? 'default' : String(name);
  return s.startsWith('arn:') ? s : `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${s}`;
}

export function eventsCalls(operation: string, input: Record<string, unknown>): CallTarget[] {
  if (operation !== 'PutEvents') return [{ action: `events:${operation}`, resource: '*' }];
  const buses = new Set(asArray(input.Entries).map((e) => busArn(isObject(e) ? e.EventBusName : undefined)));
  return [...buses].map((resource) => ({ action: 'events:PutEvents', resource }));
}

export function secretArn(t: ResolvedTemplate, secretId: unknown): string {
  const s = String(secretId ?? '');
  if (s.startsWith('arn:')) return s;
  const id = t.ofType('AWS::SecretsManager::Secret').find((x) => t.name(x) === s);
  return id ? t.getAtt(id, 'Arn') : `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${s}`;
}

/** IoT data plane (REST): `POST /topics/{topic}` publishes, `/things/{name}/shadow` reads or updates a shadow. */
export function iotCall(method: string, path: string): CallTarget | undefined {
  const topic = /^\/topics\/(.+)$/.exec(path);
  if (topic && method === 'POST') return { action: 'iot:Publish', resource: `arn:aws:iot:${REGION}:${ACCOUNT}:topic/${decodeURIComponent(topic[1])}` };
  const shadow = /^\/things\/([^/]+)\/shadow$/.exec(path);
  if (!shadow) return undefined;
  const action = method === 'GET' ? 'iot:GetThingShadow' : method === 'DELETE' ? 'iot:DeleteThingShadow' : 'iot:UpdateThingShadow';
  return { action, resource: `arn:aws:iot:${REGION}:${ACCOUNT}:thing/${decodeURIComponent(shadow[1])}` };
}

/** The access key id of a SigV4 `Authorization` header (the caller's role here). */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}
