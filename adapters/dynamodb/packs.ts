import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Keyed } from '../../core/messages/pack.js';
import { packSortKey, padMs, timestampMs } from '../../core/messages/pack.js';
import type { MessageScope, OwnerId, PackRangeQuery, PackStore, PackWrite } from '../../core/ports.js';
import type { Message } from '../../protocols/common/types.js';
import { batchWrite, type WriteRequest } from './batch-write.js';
import { PK } from './keys.js';

const BATCH = 25;

export function packPartitionKey(scope: MessageScope, id: OwnerId): string {
  return PK.packs(scope, id);
}

/** Pack body: `{"k": [keys], "m": [messages]}` as JSON, raw-deflated. */
export function encodePackBody(entries: readonly Keyed[]): Uint8Array {
  const json = JSON.stringify({ k: entries.map((e) => e.key), m: entries.map((e) => e.message) });
  return deflateRawSync(Buffer.from(json), { level: 6 });
}

export function decodePackBody(z: Uint8Array): Keyed[] {
  const { k, m } = JSON.parse(inflateRawSync(z).toString()) as { k: string[]; m: Message[] };
  return m.map((message, i) => ({ key: k[i], message, ts: timestampMs(message) }));
}

type Item = Record<string, unknown>;

/**
 * Expiry attributes of a pack item: `ttl` is the table's TTL attribute (DynamoDB deletes the item
 * some time after it, for free); with a cold tier that is `hotUntil`, and `x` keeps the messages'
 * own expiry, which reads honour.
 */
function expiry(ttl: number, hotUntil?: number): { ttl: number; x?: number } {
  return hotUntil !== undefined && hotUntil < ttl ? { ttl: hotUntil, x: ttl } : { ttl };
}

/** Message packs in the messages table; expired messages are skipped on read (dynalite has no TTL sweeper). */
export class DynamoPackStore implements PackStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * The packs of many owners in shared BatchWriteItem requests (25 items each, sent together):
   * an ingest batch of frames from many devices costs one or two requests instead of one per
   * device. A pack's key includes its content hash, so a key seen twice is the same item.
   */
  async putMany(writes: readonly PackWrite[]): Promise<void> {
    const items = new Map<string, Item>();
    for (const { scope, id, packs, ttl, hotUntil } of writes) {
      const pk = packPartitionKey(scope, id);
      for (const p of packs) {
        const sk = packSortKey(p);
        items.set(`${pk} ${sk}`, { pk, sk, f: p.firstMs, n: p.entries.length, ...expiry(ttl, hotUntil), z: encodePackBody(p.entries) });
      }
    }
    const requests = [...items.values()].map((Item) => ({ PutRequest: { Item } }));
    const chunks: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += BATCH) chunks.push(requests.slice(i, i + BATCH));
    await Promise.all(chunks.map((c) => this.batchWrite(c)));
  }

  async *read(scope: MessageScope, id: OwnerId, range: PackRangeQuery): AsyncIterable<{ firstMs: number; entries: Keyed[]; sk: string; ttl: number }> {
    let start: Item | undefined;
    let limit = 25;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: { ':pk': packPartitionKey(scope, id), ':a': padMs(range.fromMs), ':b': `${padMs(range.toMs)}~` },
          ScanIndexForward: !range.reverse,
          ExclusiveStartKey: start,
          Limit: limit,
        }),
      );
      for (const item of r.Items ?? []) {
        const ttl = Number(item.x ?? item.ttl);
        if (ttl && ttl < range.now) continue;
        yield { firstMs: Number(item.f), entries: decodePackBody(item.z as Uint8Array), sk: String(item.sk), ttl };
      }
      start = r.LastEvaluatedKey;
      limit = Math.min(limit * 4, 1000);
    } while (start);
  }

  async rewrite(scope: MessageScope, id: OwnerId, sk: string, entries: readonly Keyed[], ttl: number, hotUntil?: number): Promise<void> {
    const pk = packPartitionKey(scope, id);
    if (entries.length === 0) {
      await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk, sk } }));
      return;
    }
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk, sk, f: entries[0].ts, n: entries.length, ...expiry(ttl, hotUntil), z: encodePackBody(entries) } }),
    );
  }

  async drop(scope: MessageScope, id: OwnerId): Promise<void> {
    const pk = packPartitionKey(scope, id);
    let start: Item | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      await this.batchWrite((r.Items ?? []).map((Key) => ({ DeleteRequest: { Key } })));
      start = r.LastEvaluatedKey;
    } while (start);
  }

  private batchWrite(requests: readonly WriteRequest[]): Promise<void> {
    return batchWrite(this.doc, this.table, requests, this.sleep);
  }
}
