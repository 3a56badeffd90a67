import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ConnectionDirectory, ConnectionRecord, ListenerChannelStatus } from '../../core/ports.js';
import { PK } from './keys.js';

/** Connections per snapshot item (kept well under the 400 KB item limit once compressed). */
const CHUNK = 2000;
/** Off the event loop (libuv's pool): a listener publishes its snapshot while it acks frames. */
const gzipAsync = promisify(gzip);

/**
 * The connection table as snapshots: each listener writes its connections per channel every so
 * often (`conn#<channel>`/<listener>#<chunk>, gzip JSON, expiring). Writing a snapshot instead of
 * one item per connection keeps the cost flat: 50,000 connections are ~25 small writes per
 * snapshot instead of 50,000 heartbeats.
 */
export class DynamoConnectionDirectory implements ConnectionDirectory {
  private readonly lastChunks = new Map<string, number>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ttlSeconds = 180,
  ) {}

  async publish(listenerId: string, channelId: number, connections: readonly ConnectionRecord[], at: number, status?: ListenerChannelStatus): Promise<void> {
    const chunks = Math.max(1, Math.ceil(connections.length / CHUNK));
    const key = `${listenerId}#${channelId}`;
    const previous = this.lastChunks.get(key) ?? 0;
    for (let i = 0; i < Math.max(chunks, previous); i++) {
      const part = connections.slice(i * CHUNK, (i + 1) * CHUNK);
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: PK.connections(channelId),
            sk: `${listenerId}#${String(i).padStart(4, '0')}`,
            at,
            z: await gzipAsync(JSON.stringify(part)),
            ttl: Math.ceil(at + this.ttlSeconds),
            ...(i === 0 && status ? { status } : {}),
          },
        }),
      );
    }
    this.lastChunks.set(key, chunks);
  }

  async list(channelId: number, freshAfter: number): Promise<ConnectionRecord[]> {
    const out: ConnectionRecord[] = [];
    for await (const item of this.fresh(channelId, freshAfter)) out.push(...(JSON.parse(gunzipSync(item.z as Uint8Array).toString()) as ConnectionRecord[]));
    return out;
  }

  async statuses(channelId: number, freshAfter: number): Promise<(ListenerChannelStatus & { listener: string })[]> {
    const out: (ListenerChannelStatus & { listener: string })[] = [];
    for await (const item of this.fresh(channelId, freshAfter)) {
      const status = item.status as ListenerChannelStatus | undefined;
      if (status) out.push({ ...status, listener: String(item.sk).replace(/#\d{4}$/, '') });
    }
    return out;
  }

  /** The snapshot items of a channel newer than `freshAfter`. */
  private async *fresh(channelId: number, freshAfter: number): AsyncIterable<Record<string, unknown>> {
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PK.connections(channelId) },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) if (Number(item.at) >= freshAfter) yield item;
      start = r.LastEvaluatedKey;
    } while (start);
  }
}
