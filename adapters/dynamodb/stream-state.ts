import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BufferedBatch, DroppedBatch, StreamLogEntry, StreamStateRepository } from '../../core/ports.js';
import { EMPTY_STATUS, type StreamStatus } from '../../core/schemas/streams.js';
import type { Message } from '../../protocols/common/types.js';
import { isConditionFailed } from './errors.js';
import { PK, SK } from './keys.js';

const LOG_TTL_S = 7 * 86400;
const DROP_TTL_S = 30 * 86400;
/** Delivered batch ids are remembered this long (an ingest retry comes within minutes). */
const DONE_TTL_S = 86400;

/**
 * Stream delivery state in the registry table: the buffer `sbuf#<stream>`/<sk> (gzip JSON batches,
 * in order), the drain lease `slease#<stream>`, the status `sstat#<stream>`, per-batch logs
 * `slog#<stream>` and dropped batches `sdrop#<stream>`; `sbacklog`/<stream> marks non-empty buffers.
 */
export class DynamoStreamStateRepository implements StreamStateRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(streamId: number, b: BufferedBatch): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.streamBuffer(streamId), sk: b.sk, ...encode(b) } }));
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.streamBacklog, sk: String(streamId) } }));
  }

  async oldest(streamId: number, limit: number): Promise<BufferedBatch[]> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PK.streamBuffer(streamId) },
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map(decode);
  }

  async touch(streamId: number, b: BufferedBatch): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: PK.streamBuffer(streamId), sk: b.sk },
          UpdateExpression: 'SET attempts = :a, ambiguous = :m',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':a': b.attempts, ':m': b.ambiguous === true },
        }),
      )
      .catch((err) => {
        if (!isConditionFailed(err)) throw err;
      });
  }

  async remove(streamId: number, sk: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.streamBuffer(streamId), sk } }));
  }

  async removeMany(streamId: number, sks: readonly string[]): Promise<void> {
    for (let i = 0; i < sks.length; i += 25) {
      let pending = sks.slice(i, i + 25).map((sk) => ({ DeleteRequest: { Key: { pk: PK.streamBuffer(streamId), sk } } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`could not remove ${pending.length} delivered batch(es) from the buffer`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (r.UnprocessedItems?.[this.table] ?? []) as typeof pending;
      }
    }
  }

  async markDelivered(streamId: number, batchIds: readonly string[], nowS: number): Promise<void> {
    for (let i = 0; i < batchIds.length; i += 25) {
      const items = batchIds
        .slice(i, i + 25)
        .map((id) => ({ PutRequest: { Item: { pk: PK.streamDelivered(streamId), sk: id, ttl: Math.ceil(nowS + DONE_TTL_S) } } }));
      await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: items } }));
    }
  }

  async wasDelivered(streamId: number, batchId: string): Promise<boolean> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.streamDelivered(streamId), sk: batchId } }));
    return r.Item !== undefined && (!r.Item.ttl || Number(r.Item.ttl) >= Date.now() / 1000);
  }

  async count(streamId: number): Promise<{ batches: number; messages: number }> {
    let batches = 0;
    let messages = 0;
    for await (const page of paginateQuery(
      { client: this.doc },
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK.streamBuffer(streamId) }, ProjectionExpression: 'n' },
    )) {
      for (const item of page.Items ?? []) {
        batches++;
        messages += Number(item.n ?? 0);
      }
    }
    if (batches === 0) {
      await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.streamBacklog, sk: String(streamId) } }));
      // a batch appended meanwhile re-marks the stream
      if ((await this.oldest(streamId, 1)).length > 0)
        await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.streamBacklog, sk: String(streamId) } }));
    }
    return { batches, messages };
  }

  async backlogged(): Promise<number[]> {
    const r = await this.doc.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK.streamBacklog } }),
    );
    return (r.Items ?? []).map((i) => Number(i.sk));
  }

  async acquire(streamId: number, owner: string, untilS: number, nowS: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: PK.streamLease(streamId), sk: SK.single, owner, until: untilS },
          ConditionExpression: 'attribute_not_exists(pk) OR #u < :now OR #o = :me',
          ExpressionAttributeNames: { '#u': 'until', '#o': 'owner' },
          ExpressionAttributeValues: { ':now': nowS, ':me': owner },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async release(streamId: number, owner: string): Promise<void> {
    await this.doc
      .send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: PK.streamLease(streamId), sk: SK.single },
          ConditionExpression: '#o = :me',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':me': owner },
        }),
      )
      .catch((err) => {
        if (!isConditionFailed(err)) throw err;
      });
  }

  async status(streamId: number): Promise<StreamStatus> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.streamStatus(streamId), sk: SK.single } }));
    return r.Item ? { ...EMPTY_STATUS, ...(r.Item.s as StreamStatus) } : EMPTY_STATUS;
  }

  async saveStatus(streamId: number, status: StreamStatus): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.streamStatus(streamId), sk: SK.single, s: status } }));
  }

  async log(streamId: number, entry: StreamLogEntry): Promise<void> {
    const sk = `${String(Math.round(entry.timestamp * 1000)).padStart(13, '0')}#${randomBytes(3).toString('hex')}`;
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: PK.streamLog(streamId), sk, e: entry, ttl: Math.ceil(entry.timestamp + LOG_TTL_S) } }),
    );
  }

  async logs(streamId: number, limit: number): Promise<StreamLogEntry[]> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PK.streamLog(streamId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map((i) => i.e as StreamLogEntry).reverse();
  }

  async drop(streamId: number, b: DroppedBatch): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: PK.streamDropped(streamId), sk: b.sk, ...encode(b), dropped: b.dropped, reason: b.reason, ttl: Math.ceil(b.dropped + DROP_TTL_S) },
      }),
    );
  }

  async dropped(streamId: number): Promise<DroppedBatch[]> {
    const out: DroppedBatch[] = [];
    for await (const page of paginateQuery(
      { client: this.doc },
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK.streamDropped(streamId) } },
    )) {
      for (const item of page.Items ?? []) out.push({ ...decode(item), dropped: Number(item.dropped), reason: String(item.reason) });
    }
    return out;
  }

  async removeDropped(streamId: number, sk: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.streamDropped(streamId), sk } }));
  }

  async clear(streamId: number): Promise<void> {
    for (const pk of [PK.streamBuffer(streamId), PK.streamDropped(streamId), PK.streamLog(streamId), PK.streamStatus(streamId), PK.streamLease(streamId)]) {
      for await (const page of paginateQuery(
        { client: this.doc },
        { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ProjectionExpression: 'pk, sk' },
      )) {
        for (const item of page.Items ?? []) await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: item.pk, sk: item.sk } }));
      }
    }
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.streamBacklog, sk: String(streamId) } }));
  }
}

function encode(b: BufferedBatch): Record<string, unknown> {
  return {
    batch_id: b.batchId,
    z: gzipSync(JSON.stringify(b.messages)),
    n: b.messages.length,
    enqueued: b.enqueued,
    attempts: b.attempts,
    ambiguous: b.ambiguous === true,
    skipped: b.skipped ?? 0,
  };
}

function decode(item: Record<string, unknown>): BufferedBatch {
  return {
    sk: String(item.sk),
    batchId: String(item.batch_id),
    messages: JSON.parse(gunzipSync(item.z as Uint8Array).toString()) as Message[],
    enqueued: Number(item.enqueued),
    attempts: Number(item.attempts ?? 0),
    ambiguous: item.ambiguous === true,
    skipped: Number(item.skipped ?? 0),
  };
}
