import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DeviceLogEntry, DeviceLogRepository } from '../../core/ports.js';
import { batchWrite } from './batch-write.js';
import { PK } from './keys.js';

const DEFAULT_TTL_S = 30 * 86400;

/** Device logs: `log#<device>`/<ms>#<random>, expiring after 30 days by default. */
export class DynamoDeviceLogRepository implements DeviceLogRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(deviceId: number, entry: DeviceLogEntry, ttlSeconds = DEFAULT_TTL_S): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: logItem(deviceId, entry, ttlSeconds) }));
  }

  /** One BatchWriteItem request per 25 entries. */
  async appendMany(entries: readonly { readonly deviceId: number; readonly entry: DeviceLogEntry }[]): Promise<void> {
    await batchWrite(
      this.doc,
      this.table,
      entries.map((e) => ({ PutRequest: { Item: logItem(e.deviceId, e.entry, DEFAULT_TTL_S) } })),
    );
  }

  async list(deviceId: number, from: number, to: number, limit: number): Promise<DeviceLogEntry[]> {
    const out: DeviceLogEntry[] = [];
    const now = Date.now() / 1000;
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: {
            ':pk': PK.logs(deviceId),
            ':a': String(Math.round(from * 1000)).padStart(13, '0'),
            ':b': `${String(Math.round(to * 1000)).padStart(13, '0')}~`,
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) if (!item.ttl || Number(item.ttl) >= now) out.push(item.e as DeviceLogEntry);
      start = r.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out.slice(0, limit);
  }
}

function logItem(deviceId: number, entry: DeviceLogEntry, ttlSeconds: number): Record<string, unknown> {
  const sk = `${String(Math.round(entry.timestamp * 1000)).padStart(13, '0')}#${randomBytes(4).toString('hex')}`;
  return { pk: PK.logs(deviceId), sk, e: entry, ttl: Math.ceil(entry.timestamp + ttlSeconds) };
}
