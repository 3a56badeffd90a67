import { BatchWriteCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LiveConnection, LiveStore, LiveSubscription, LiveWatcher } from '../../core/live/ports.js';
import type { Principal } from '../../core/registry/auth.js';
import { PK, SK } from './keys.js';

/**
 * How long live items are kept (s): API Gateway closes a WebSocket connection after 2 hours at the
 * most, so nothing of a connection is needed later; items its `$disconnect` missed expire.
 */
export const LIVE_ITEM_TTL_S = 2 * 3600 + 600;

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * Live connections and subscriptions in the registry table (keys.ts): a connection item with the
 * token's principal, one item per subscription (its resolved device ids), and one index item per
 * watched device under a single partition (an intervals topic's item lists, in `k`, the calculators
 * watched for that device), so that the push function finds a device's watchers
 * with one Query and ingest lists the watched devices with one (paged) Query.
 */
export class DynamoLiveStore implements LiveStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly nowS: () => number = () => Date.now() / 1000,
  ) {}

  private ttl(): number {
    return Math.ceil(this.nowS() + LIVE_ITEM_TTL_S);
  }

  private live(item: Record<string, unknown> | undefined): boolean {
    return item !== undefined && !(Number(item.ttl) > 0 && Number(item.ttl) < this.nowS());
  }

  async connect(c: LiveConnection): Promise<void> {
    const item = { pk: PK.liveConnection, sk: c.id, p: JSON.stringify(c.principal), at: c.connectedAt, ttl: this.ttl() };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  async connection(id: string): Promise<LiveConnection | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.liveConnection, sk: id } }));
    if (!r.Item || !this.live(r.Item)) return undefined;
    return { id, principal: JSON.parse(String(r.Item.p)) as Principal, connectedAt: Number(r.Item.at) };
  }

  async subscribe(connectionId: string, sub: LiveSubscription): Promise<void> {
    const previous = await this.subscription(connectionId, sub.topic);
    const ttl = this.ttl();
    const keep = new Set(sub.devices);
    const writes: WriteRequest[] = [
      ...(previous?.devices ?? []).filter((d) => !keep.has(d)).map((d) => this.deleteWatch(d, connectionId, sub.topic)),
      ...sub.devices.map((d) => {
        const calcs = sub.calcs?.get(d);
        const item = { pk: PK.liveIndex, sk: SK.liveWatch(d, connectionId, sub.topic), c: connectionId, t: sub.topic, ttl };
        return { PutRequest: { Item: calcs ? { ...item, k: [...calcs] } : item } };
      }),
    ];
    await this.batchWrite(writes);
    const item = { pk: PK.liveSubscriptions(connectionId), sk: sub.topic, d: [...sub.devices], ttl };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  async unsubscribe(connectionId: string, topic: string): Promise<boolean> {
    const sub = await this.subscription(connectionId, topic);
    if (!sub) return false;
    await this.remove(connectionId, sub);
    return true;
  }

  async watchers(deviceIds: readonly number[]): Promise<ReadonlyMap<number, readonly LiveWatcher[]>> {
    const out = new Map<number, LiveWatcher[]>();
    await Promise.all(
      deviceIds.map(async (id) => {
        const items = await this.query(PK.liveIndex, SK.liveWatchesOf(id), 'c, t, k, #ttl');
        const list = items
          .filter((i) => this.live(i))
          .map((i) => {
            const watcher = { connectionId: String(i.c), topic: String(i.t) };
            return Array.isArray(i.k) ? { ...watcher, calcs: i.k.map(Number) } : watcher;
          });
        if (list.length > 0) out.set(id, list);
      }),
    );
    return out;
  }

  async watchedDevices(): Promise<ReadonlySet<number>> {
    const items = await this.query(PK.liveIndex, undefined, 'sk, #ttl');
    return new Set(items.filter((i) => this.live(i)).map((i) => Number(String(i.sk).slice(0, 12))));
  }

  async disconnect(connectionId: string): Promise<void> {
    const subs = await this.query(PK.liveSubscriptions(connectionId), undefined, 'sk, d');
    for (const s of subs) await this.remove(connectionId, { topic: String(s.sk), devices: (s.d as number[] | undefined) ?? [] });
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.liveConnection, sk: connectionId } }));
  }

  private async subscription(connectionId: string, topic: string): Promise<LiveSubscription | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.liveSubscriptions(connectionId), sk: topic } }));
    return r.Item && this.live(r.Item) ? { topic, devices: (r.Item.d as number[] | undefined) ?? [] } : undefined;
  }

  private async remove(connectionId: string, sub: LiveSubscription): Promise<void> {
    await this.batchWrite(sub.devices.map((d) => this.deleteWatch(d, connectionId, sub.topic)));
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.liveSubscriptions(connectionId), sk: sub.topic } }));
  }

  private deleteWatch(deviceId: number, connectionId: string, topic: string): WriteRequest {
    return { DeleteRequest: { Key: { pk: PK.liveIndex, sk: SK.liveWatch(deviceId, connectionId, topic) } } };
  }

  private async query(pk: string, prefix: string | undefined, projection: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: prefix === undefined ? { ':pk': pk } : { ':pk': pk, ':prefix': prefix },
          ProjectionExpression: projection,
          ...(projection.includes('#ttl') ? { ExpressionAttributeNames: { '#ttl': 'ttl' } } : {}),
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** BatchWriteItem in chunks of 25, retrying unprocessed items with backoff. */
  private async batchWrite(requests: readonly WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`BatchWriteItem left ${pending.length} live item(s) unprocessed after ${attempt} attempts`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (r.UnprocessedItems?.[this.table] ?? []) as WriteRequest[];
      }
    }
  }
}
