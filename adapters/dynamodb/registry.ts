import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors.js';
import type { ChannelRepository, DeviceRepository, IdGenerator } from '../../core/ports.js';
import type { Channel } from '../../core/schemas/channels.js';
import type { Device } from '../../core/schemas/devices.js';
import { batchGet } from './batch-get.js';
import { isConditionFailed } from './errors.js';
import { type RegistryChanged, unannounced } from './generation.js';
import { PK, pad } from './keys.js';

/** Strips the table keys from an item. */
function body<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

/** Every item of a partition, all pages. */
export async function queryAll(doc: DynamoDBDocumentClient, table: string, pk: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: doc }, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } })) {
    out.push(...(page.Items ?? []));
  }
  return out;
}

export class DynamoIdGenerator implements IdGenerator {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async next(kind: string): Promise<number> {
    const r = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: PK.counter, sk: kind },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(r.Attributes?.n);
  }
}

/**
 * Devices, with ident uniqueness kept by claim items (`ident`/<ident> → device id). A claim whose
 * device no longer has that ident (an interrupted swap) is stale and may be taken over.
 */
export class DynamoDeviceRepository implements DeviceRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Raises the registry generation after a write (generation.ts). */
    private readonly changed: RegistryChanged = unannounced,
  ) {}

  async create(device: Device): Promise<void> {
    await this.claim(device.configuration.ident, device.id);
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.device, sk: pad(device.id), ...device } }));
    await this.changed();
  }

  async get(id: number): Promise<Device | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.device, sk: pad(id) } }));
    return r.Item ? body<Device>(r.Item) : undefined;
  }

  async list(): Promise<Device[]> {
    return (await queryAll(this.doc, this.table, PK.device)).map((i) => body<Device>(i));
  }

  async update(device: Device, previous: Device): Promise<void> {
    const swapped = device.configuration.ident !== previous.configuration.ident;
    if (swapped) await this.claim(device.configuration.ident, device.id);
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.device, sk: pad(device.id), ...device } }));
    if (swapped) await this.release(previous.configuration.ident, device.id);
    await this.changed();
  }

  async delete(device: Device): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.device, sk: pad(device.id) } }));
    await this.release(device.configuration.ident, device.id);
    await this.changed();
  }

  async assignType(id: number, deviceTypeId: number, protocolId: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: PK.device, sk: pad(id) },
          UpdateExpression: 'SET device_type_id = :t, protocol_id = :p',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(device_type_id) OR attribute_type(device_type_id, :null))',
          ExpressionAttributeValues: { ':t': deviceTypeId, ':p': protocolId, ':null': 'NULL' },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
    await this.changed();
    return true;
  }

  async findByIdent(ident: string): Promise<Device | undefined> {
    const claim = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.ident, sk: ident } }));
    if (!claim.Item) return undefined;
    const device = await this.get(Number(claim.Item.device_id));
    return device && device.configuration.ident === ident ? device : undefined;
  }

  /** Two BatchGetItem requests per 100 idents (claims, then their devices) instead of two GetItem per ident. */
  async findByIdents(idents: readonly string[]): Promise<Map<string, Device>> {
    const unique = [...new Set(idents)];
    const claims = await batchGet(
      this.doc,
      this.table,
      unique.map((ident) => ({ pk: PK.ident, sk: ident })),
    );
    const ids = [...new Set(claims.map((c) => Number(c.device_id)))];
    const devices = await batchGet(
      this.doc,
      this.table,
      ids.map((id) => ({ pk: PK.device, sk: pad(id) })),
    );
    const found = new Map<string, Device>();
    for (const item of devices) {
      const device = body<Device>(item);
      found.set(device.configuration.ident, device);
    }
    // a claim whose device no longer has that ident (an interrupted swap) finds nothing, as in findByIdent
    const out = new Map<string, Device>();
    for (const c of claims) {
      const ident = String(c.sk);
      const device = found.get(ident);
      if (device && device.id === Number(c.device_id)) out.set(ident, device);
    }
    return out;
  }

  private async claim(ident: string, deviceId: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.table, Item: { pk: PK.ident, sk: ident, device_id: deviceId }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const holder = await this.findByIdent(ident);
    if (holder && holder.id !== deviceId) throw new ConflictError(`configuration.ident: "${ident}" belongs to device ${holder.id}`);
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.ident, sk: ident, device_id: deviceId } }));
  }

  private async release(ident: string, deviceId: number): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: PK.ident, sk: ident },
          ConditionExpression: 'device_id = :id',
          ExpressionAttributeValues: { ':id': deviceId },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
}

export class DynamoChannelRepository implements ChannelRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Raises the registry generation after a write (generation.ts). */
    private readonly changed: RegistryChanged = unannounced,
  ) {}

  async create(channel: Channel): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: PK.channel, sk: pad(channel.id), ...channel }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    await this.changed();
  }

  async get(id: number): Promise<Channel | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.channel, sk: pad(id) } }));
    return r.Item ? body<Channel>(r.Item) : undefined;
  }

  async list(): Promise<Channel[]> {
    return (await queryAll(this.doc, this.table, PK.channel)).map((i) => body<Channel>(i));
  }

  async update(channel: Channel): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.channel, sk: pad(channel.id), ...channel } }));
    await this.changed();
  }

  async delete(channel: Channel): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.channel, sk: pad(channel.id) } }));
    await this.changed();
  }
}
