import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StreamRepository, SubscriptionKind, SubscriptionRepository } from '../../core/ports.js';
import type { Stream } from '../../core/schemas/streams.js';
import { PK, pad } from './keys.js';
import { queryAll } from './registry.js';

const KIND = { device: 'd', channel: 'c' } as const;

export class DynamoStreamRepository implements StreamRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(stream: Stream): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: PK.stream, sk: pad(stream.id), ...stream }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(id: number): Promise<Stream | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.stream, sk: pad(id) } }));
    return r.Item ? strip(r.Item) : undefined;
  }

  async list(): Promise<Stream[]> {
    return (await queryAll(this.doc, this.table, PK.stream)).map(strip);
  }

  async update(stream: Stream): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.stream, sk: pad(stream.id), ...stream } }));
  }

  async delete(stream: Stream): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.stream, sk: pad(stream.id) } }));
  }
}

/**
 * Subscriptions under their stream: `sub#s#<stream>`/<d|c>#<id>. Ingest reads them all at once (the
 * fan-out's snapshot), so there is no reverse index by device or channel.
 */
export class DynamoSubscriptionRepository implements SubscriptionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(streamId: number, kind: SubscriptionKind, id: number): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.subscriptions(streamId), sk: `${KIND[kind]}#${pad(id)}` } }));
  }

  async remove(streamId: number, kind: SubscriptionKind, id: number): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.subscriptions(streamId), sk: `${KIND[kind]}#${pad(id)}` } }));
  }

  async subscribers(streamId: number): Promise<{ devices: number[]; channels: number[] }> {
    const items = await queryAll(this.doc, this.table, PK.subscriptions(streamId));
    const of = (k: string) => items.filter((i) => String(i.sk).startsWith(`${k}#`)).map((i) => Number(String(i.sk).slice(2)));
    return { devices: of('d'), channels: of('c') };
  }
}

function strip(item: Record<string, unknown>): Stream {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return { source: 'messages', ...rest } as Stream; // streams stored before sources existed deliver messages
}
