import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { BatchGetCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { initialState } from '../../core/calcs/index.js';
import type { Interval, IntervalState } from '../../core/calcs/types.js';
import type { CalcRepository, CalcStateRecord, StoredInterval } from '../../core/ports.js';
import type { Calc } from '../../core/schemas/calcs.js';
import { batchWrite, type WriteRequest } from './batch-write.js';
import { isConditionFailed } from './errors.js';
import { type RegistryChanged, unannounced } from './generation.js';
import { PK, pad, SK } from './keys.js';
import { queryAll } from './registry.js';

/**
 * Calculators (`calc`/<id>), their devices from both sides and the (calc, device) state in the
 * registry table; the intervals in the messages table, which expires items by TTL (keys.ts). Cheap on purpose: ingest reads a device's calculators once (cached) and one
 * state item per (calc, device) per batch, writes that item once per batch (conditional on its
 * version: two writers never lose an update) and one item per changed interval; nothing per message.
 * The state item is the calculator-side link too, so the tick and the API read all of a
 * calculator's states in one query.
 */
export class DynamoCalcRepository implements CalcRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** The messages table (it has DynamoDB TTL on `ttl`): the intervals live there. */
    private readonly intervalTable: string,
    private readonly now: () => number = () => Date.now() / 1000,
    /** Raises the registry generation after a change of a calculator or an assignment (generation.ts). */
    private readonly changed: RegistryChanged = unannounced,
  ) {}

  async create(calc: Calc): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: PK.calc, sk: pad(calc.id), ...calc }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    await this.changed();
  }

  async get(id: number): Promise<Calc | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.calc, sk: pad(id) } }));
    return r.Item ? strip(r.Item) : undefined;
  }

  async list(): Promise<Calc[]> {
    return (await queryAll(this.doc, this.table, PK.calc)).map(strip);
  }

  async update(calc: Calc): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.calc, sk: pad(calc.id), ...calc } }));
    await this.changed();
  }

  async delete(calc: Calc): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.calc, sk: pad(calc.id) } }));
    await this.changed();
  }

  async assign(calcId: number, deviceId: number): Promise<boolean> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: PK.calcsOfDevice(deviceId), sk: pad(calcId) } }));
    await this.changed();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: PK.calcStates(calcId), sk: pad(deviceId), z: packState(initialState()), synced: false, updated: null, ver: 1 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async unassign(calcId: number, deviceId: number): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.calcsOfDevice(deviceId), sk: pad(calcId) } }));
    await this.changed();
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: PK.calcStates(calcId), sk: pad(deviceId) } }));
    const ids = (await queryAll(this.doc, this.intervalTable, PK.intervals(calcId, deviceId))).map((i) => Number(i.sk));
    const userIds = (await queryAll(this.doc, this.intervalTable, PK.intervalUserFields(calcId, deviceId))).map((i) => Number(i.sk));
    await this.deleteIntervals(calcId, deviceId, [...new Set([...ids, ...userIds])]);
  }

  async calcsOf(deviceId: number): Promise<number[]> {
    return (await queryAll(this.doc, this.table, PK.calcsOfDevice(deviceId))).map((i) => Number(i.sk));
  }

  async statesOf(calcId: number): Promise<CalcStateRecord[]> {
    return (await queryAll(this.doc, this.table, PK.calcStates(calcId))).map((i) => record(calcId, i));
  }

  async getState(calcId: number, deviceId: number): Promise<CalcStateRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: PK.calcStates(calcId), sk: pad(deviceId) }, ConsistentRead: true }));
    return r.Item ? record(calcId, r.Item) : undefined;
  }

  async getStates(pairs: readonly { readonly calcId: number; readonly deviceId: number }[]): Promise<CalcStateRecord[]> {
    const out: CalcStateRecord[] = [];
    for (let i = 0; i < pairs.length; i += 100) {
      let keys: Record<string, unknown>[] = pairs.slice(i, i + 100).map((p) => ({ pk: PK.calcStates(p.calcId), sk: pad(p.deviceId) }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`BatchGetItem left ${keys.length} state(s) unread after ${attempt} attempts`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        const r = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of r.Responses?.[this.table] ?? []) out.push(record(Number(String(item.pk).split('#')[2]), item));
        keys = (r.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return out;
  }

  async putState(rec: CalcStateRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: stateItem(rec, rec.version + 1),
          // an unassigned pair is not brought back: the item must exist, at the version read
          ConditionExpression: 'ver = :v',
          ExpressionAttributeValues: { ':v': rec.version },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async intervals(calcId: number, deviceId: number, q: { fromId?: number; toId?: number; reverse?: boolean; count?: number } = {}): Promise<StoredInterval[]> {
    const items = await this.queryRange(this.intervalTable, PK.intervals(calcId, deviceId), q);
    if (items.length === 0) return [];
    // the items come in key order: the first and the last bound the range (no spread of a long list)
    const ends = [Number(items[0].sk), Number(items[items.length - 1].sk)];
    const users = await this.queryRange(this.intervalTable, PK.intervalUserFields(calcId, deviceId), { fromId: Math.min(...ends), toId: Math.max(...ends) });
    const user = new Map(users.map((u) => [Number(u.sk), u.user as object]));
    // user fields first: the engine's fields win a name clash (`user` in the interval item: written before the user fields had their own items)
    return items.map((item) => ({ ...(item.user as object), ...user.get(Number(item.sk)), ...intervalOf(item), calc_id: calcId, device_id: deviceId }));
  }

  /** Unexpired items of one partition with ids in [fromId, toId], up to `count`. */
  private async queryRange(
    table: string,
    pk: string,
    q: { fromId?: number; toId?: number; reverse?: boolean; count?: number },
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const now = this.now();
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: { ':pk': pk, ':a': SK.interval(Math.max(0, q.fromId ?? 0)), ':b': SK.interval(q.toId ?? 9e15) },
          ScanIndexForward: !q.reverse,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) {
        // dynalite has no TTL: expired items are left out on read (DynamoDB deletes them within days)
        if (typeof item.ttl === 'number' && item.ttl <= now) continue;
        out.push(item);
        if (q.count !== undefined && out.length >= q.count) return out;
      }
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** One item per interval, put in batches (the user fields live in their own items, so a put keeps them). */
  async putIntervals(calcId: number, deviceId: number, intervals: readonly Interval[], ttl: number): Promise<void> {
    await batchWrite(
      this.doc,
      this.intervalTable,
      intervals.map((iv) => intervalPut(calcId, deviceId, iv, ttl)),
    );
  }

  async deleteIntervals(calcId: number, deviceId: number, ids: readonly number[]): Promise<void> {
    await batchWrite(
      this.doc,
      this.intervalTable,
      ids.flatMap((id) => intervalDeletes(calcId, deviceId, id)),
    );
  }

  /**
   * Interval writes of many pairs, then their states, in batches, the states without the version
   * condition: for the only writer of these pairs (the local write-behind store, which orders its
   * writes with removals).
   */
  async storeBehind(intervals: readonly IntervalWrite[], states: readonly CalcStateRecord[]): Promise<void> {
    await batchWrite(
      this.doc,
      this.intervalTable,
      intervals.flatMap((w): WriteRequest[] => {
        if (!w.put) return intervalDeletes(w.calcId, w.deviceId, w.id);
        const put = intervalPut(w.calcId, w.deviceId, w.put.interval, w.put.ttl);
        return w.put.dropUserFields ? [put, { DeleteRequest: { Key: userFieldsKey(w.calcId, w.deviceId, w.id) } }] : [put];
      }),
      undefined,
      FLUSH_CONCURRENCY,
    );
    await batchWrite(
      this.doc,
      this.table,
      states.map((rec) => ({ PutRequest: { Item: stateItem(rec, rec.version) } })),
      undefined,
      FLUSH_CONCURRENCY,
    );
  }

  async setUserFields(calcId: number, deviceId: number, id: number, fields: Readonly<Record<string, string | number | boolean | null>>): Promise<void> {
    const key = intervalKey(calcId, deviceId, id);
    const userKey = userFieldsKey(calcId, deviceId, id);
    const [interval, existing] = await Promise.all([
      this.doc.send(new GetCommand({ TableName: this.intervalTable, Key: key })),
      this.doc.send(new GetCommand({ TableName: this.intervalTable, Key: userKey })),
    ]);
    if (!interval.Item) return;
    const user: Record<string, unknown> = { ...(interval.Item.user as object), ...(existing.Item?.user as object) };
    for (const [k, v] of Object.entries(fields)) {
      if (v === null) delete user[k];
      else user[k] = v;
    }
    // kept a year past the interval's expiry as it stands (a later end moves that; the fields stay readable meanwhile)
    const ttl = Number(interval.Item.ttl) + USER_FIELDS_MARGIN_S;
    await this.doc.send(new PutCommand({ TableName: this.intervalTable, Item: { ...userKey, user, ttl } }));
  }
}

const USER_FIELDS_MARGIN_S = 366 * 86_400;

/** A (calc, device) state item at `ver`: the one layout putState and storeBehind write. */
function stateItem(rec: CalcStateRecord, ver: number): Record<string, unknown> {
  return {
    pk: PK.calcStates(rec.calcId),
    sk: pad(rec.deviceId),
    z: packState(rec.state),
    ...outboxAttribute(rec),
    synced: rec.synced,
    updated: rec.updated,
    ver,
  };
}

const intervalKey = (calcId: number, deviceId: number, id: number) => ({ pk: PK.intervals(calcId, deviceId), sk: SK.interval(id) });
const userFieldsKey = (calcId: number, deviceId: number, id: number) => ({ pk: PK.intervalUserFields(calcId, deviceId), sk: SK.interval(id) });

/**
 * An interval's item, expiring `ttl` s after its end (its user fields stay in their own item). The
 * interval is one JSON string (`j`), not a map: nothing reads its fields on the server side, and a
 * string costs the SDK and the store far less per item than a map of a dozen typed attributes (the
 * write-behind store of `npm start` writes thousands at a time: 2,800 items to dynalite took 250 ms
 * as strings, 375 ms as maps).
 */
function intervalPut(calcId: number, deviceId: number, iv: Interval, ttl: number): WriteRequest {
  return { PutRequest: { Item: { ...intervalKey(calcId, deviceId, iv.id), j: JSON.stringify(iv), ttl: Math.ceil(iv.end + ttl) } } };
}

/** The interval of an item: `j` (JSON), or `iv` (a map: items written before intervals were strings). */
function intervalOf(item: Record<string, unknown>): Interval {
  return typeof item.j === 'string' ? (JSON.parse(item.j) as Interval) : (item.iv as Interval);
}

/** An interval's item and its user fields' item, removed. */
function intervalDeletes(calcId: number, deviceId: number, id: number): WriteRequest[] {
  return [{ DeleteRequest: { Key: intervalKey(calcId, deviceId, id) } }, { DeleteRequest: { Key: userFieldsKey(calcId, deviceId, id) } }];
}
/** BatchWriteItem requests in flight at once when the write-behind store stores its pairs. */
const FLUSH_CONCURRENCY = 8;

/** One interval write of the write-behind store: the interval's newest form and TTL, or null when it is deleted. */
export interface IntervalWrite {
  readonly calcId: number;
  readonly deviceId: number;
  readonly id: number;
  /** `dropUserFields`: the interval was deleted, then written again, since the last store: its old user fields go. */
  readonly put: { readonly interval: Interval; readonly ttl: number; readonly dropUserFields?: boolean } | null;
}

function record(calcId: number, item: Record<string, unknown>): CalcStateRecord {
  return {
    calcId,
    deviceId: Number(item.sk),
    state: unpackState(item),
    ...(item.ob instanceof Uint8Array ? { outbox: JSON.parse(inflateRawSync(item.ob).toString()) as CalcStateRecord['outbox'] } : {}),
    synced: item.synced === true,
    updated: typeof item.updated === 'number' ? item.updated : null,
    version: Number(item.ver),
  };
}

/**
 * The state as stored: JSON deflated (binary `z`). States are 1-2 KB of JSON with repeated names
 * and are written once per batch per (calc, device): deflated they mostly fit one write unit (1 KB)
 * instead of two (bench/ingest-calcs: "aws_added_cost_3_calcs"). Items written before as JSON (`s`) are still read.
 */
function packState(state: IntervalState): Uint8Array {
  return deflateRawSync(JSON.stringify(state), { level: 1 });
}

/** The record's outbox, deflated like the state (absent when empty). */
function outboxAttribute(rec: CalcStateRecord): { ob?: Uint8Array } {
  return rec.outbox ? { ob: deflateRawSync(JSON.stringify(rec.outbox), { level: 1 }) } : {};
}

function unpackState(item: Record<string, unknown>): IntervalState {
  if (item.z instanceof Uint8Array) return JSON.parse(inflateRawSync(item.z).toString()) as IntervalState;
  return JSON.parse(String(item.s)) as IntervalState;
}

function strip(item: Record<string, unknown>): Calc {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as Calc;
}
