import { cloneJson } from '../../core/calcs/index.js';
import type { Interval } from '../../core/calcs/types.js';
import type { Logger } from '../../core/logger.js';
import type { CalcRepository, CalcStateRecord, StoredInterval } from '../../core/ports.js';
import type { Calc } from '../../core/schemas/calcs.js';
import type { DynamoCalcRepository, IntervalWrite } from '../dynamodb/calcs.js';

export interface WriteBehindOptions {
  /**
   * Dirty states and intervals are written at least this often (ms; default 30 minutes). Nothing
   * depends on it for safety (a crash is caught up from the stored messages, and reads store the
   * pair first): it bounds what a restart re-reads.
   */
  readonly flushMs?: number;
  /** More dirty pairs than this are written at once (bounds memory and what a restart re-reads). */
  readonly maxDirty?: number;
  /** Clean pairs kept in memory beyond this are dropped after a flush (oldest first). */
  readonly maxEntries?: number;
  readonly logger: Logger;
}

/** A pair held in memory: the newest record (its version counts the in-memory updates) and the stored version. */
interface Entry {
  record: CalcStateRecord;
  stored: number;
  dirty: boolean;
  /** Interval writes not yet stored: the newest form of each (null: deleted), with its TTL. */
  intervals: Map<number, { interval: Interval; ttl: number; dropUserFields?: boolean } | null>;
}

const key = (calcId: number, deviceId: number) => `${calcId}#${deviceId}`;

/**
 * The calculators' state and intervals, written behind (local mode: one process runs ingest, the
 * tick and the backfill, so it is the only writer of the pairs it holds).
 *
 * Why: with one state write per (calculator, device) per batch and one per changed interval, three
 * calculators made local ingest 5× slower (every tracker message cost six requests to the local
 * DynamoDB). Here a pair's state and intervals live in memory and are stored every `flushMs`
 * (30 minutes), when too many are dirty, before any read of the pair's intervals (the API reads
 * what ingest computed) and at close. Nothing is lost by a crash in between: calculators run on
 * stored messages, and a pair read back from the store is marked `catchUp`, so the calculator
 * stage first re-reads the device's messages stored after the state's newest one
 * (core/calc-stage.ts). Events of that span are then published again: interval events are
 * delivered at least once, like messages. The periodic store only bounds what a restart re-reads.
 *
 * On AWS each ingest invocation stores its pairs' states itself (SQS redelivers a failed batch),
 * so this wrapper is local only.
 */
export class WriteBehindCalcs implements CalcRepository {
  private readonly entries = new Map<string, Entry>();
  /** Calculators whose every state is held: their assigned devices. */
  private readonly listed = new Map<number, Set<number>>();
  private serial: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly maxDirty: number;
  private readonly maxEntries: number;
  private dirtyCount = 0;
  private closed = false;

  constructor(
    private readonly inner: CalcRepository & Pick<DynamoCalcRepository, 'storeBehind'>,
    private readonly opts: WriteBehindOptions,
  ) {
    this.maxDirty = opts.maxDirty ?? 20_000;
    this.maxEntries = opts.maxEntries ?? 60_000;
    this.timer = setInterval(() => {
      this.flush().catch((err) => opts.logger.error('calculator state flush failed (retried)', { error: errorText(err) }));
    }, opts.flushMs ?? 1_800_000);
    this.timer.unref();
  }

  create(calc: Calc): Promise<void> {
    return this.inner.create(calc);
  }
  get(id: number): Promise<Calc | undefined> {
    return this.inner.get(id);
  }
  list(): Promise<Calc[]> {
    return this.inner.list();
  }
  update(calc: Calc): Promise<void> {
    return this.inner.update(calc);
  }
  async delete(calc: Calc): Promise<void> {
    await this.inOrder(async () => {
      for (const [k, e] of this.entries) if (e.record.calcId === calc.id) this.drop(k);
      this.listed.delete(calc.id);
    });
    await this.inner.delete(calc);
  }
  async assign(calcId: number, deviceId: number): Promise<boolean> {
    let created = false;
    await this.inOrder(async () => {
      created = await this.inner.assign(calcId, deviceId);
      const devices = this.listed.get(calcId);
      if (!devices || this.entries.has(key(calcId, deviceId))) return;
      const r = await this.inner.getState(calcId, deviceId);
      if (!r) return;
      this.load(r);
      devices.add(deviceId);
    });
    return created;
  }
  unassign(calcId: number, deviceId: number): Promise<void> {
    // in order with flushes: a flush in progress must not write intervals after they were removed
    return this.inOrder(async () => {
      this.drop(key(calcId, deviceId));
      this.listed.get(calcId)?.delete(deviceId);
      await this.inner.unassign(calcId, deviceId);
    });
  }
  calcsOf(deviceId: number): Promise<number[]> {
    return this.inner.calcsOf(deviceId);
  }

  /**
   * All of a calculator's states, from memory after the first call (the tick asks every few
   * seconds; this store is the only writer, and assignments go through it). Not copied: the tick
   * and the API only read these (a change goes through getState and putState).
   */
  async statesOf(calcId: number): Promise<CalcStateRecord[]> {
    if (!this.listed.has(calcId))
      await this.inOrder(async () => {
        if (this.listed.has(calcId)) return;
        const devices = new Set<number>();
        for (const r of await this.inner.statesOf(calcId)) {
          devices.add(r.deviceId);
          if (!this.entries.has(key(calcId, r.deviceId))) this.load(r);
        }
        this.listed.set(calcId, devices);
      });
    const out: CalcStateRecord[] = [];
    for (const id of [...(this.listed.get(calcId) ?? [])].sort((a, b) => a - b)) {
      const e = this.entries.get(key(calcId, id));
      if (e) out.push(e.record);
    }
    return out;
  }

  async getState(calcId: number, deviceId: number): Promise<CalcStateRecord | undefined> {
    const e = this.entries.get(key(calcId, deviceId));
    if (e) return copy(e.record);
    const r = await this.inner.getState(calcId, deviceId);
    return r && copy(this.load(r));
  }

  async getStates(pairs: readonly { readonly calcId: number; readonly deviceId: number }[]): Promise<CalcStateRecord[]> {
    const out: CalcStateRecord[] = [];
    const missing: { calcId: number; deviceId: number }[] = [];
    for (const p of pairs) {
      const e = this.entries.get(key(p.calcId, p.deviceId));
      if (e) out.push(copy(e.record));
      else missing.push(p);
    }
    if (missing.length > 0) for (const r of await this.inner.getStates(missing)) out.push(copy(this.load(r)));
    return out;
  }

  async putState(record: CalcStateRecord): Promise<boolean> {
    const e = this.entries.get(key(record.calcId, record.deviceId));
    // a pair not held (read through statesOf and not loaded) is written through
    if (!e) return this.inner.putState(record);
    if (e.record.version !== record.version) return false;
    const { catchUp: _, ...rest } = record;
    e.record = { ...rest, version: record.version + 1 };
    this.markDirty(e);
    if (this.dirtyCount > this.maxDirty) await this.flush();
    return true;
  }

  async intervals(calcId: number, deviceId: number, q?: Parameters<CalcRepository['intervals']>[2]): Promise<StoredInterval[]> {
    await this.flushPair(calcId, deviceId);
    return this.inner.intervals(calcId, deviceId, q);
  }

  async putIntervals(calcId: number, deviceId: number, intervals: readonly Interval[], ttl: number): Promise<void> {
    const e = this.entries.get(key(calcId, deviceId));
    if (!e) return this.inner.putIntervals(calcId, deviceId, intervals, ttl);
    for (const interval of intervals) {
      const earlier = e.intervals.get(interval.id);
      // deleted and written again within one flush: the deletion of its user fields must still happen
      const dropUserFields = earlier === null || earlier?.dropUserFields === true;
      e.intervals.set(interval.id, dropUserFields ? { interval, ttl, dropUserFields } : { interval, ttl });
    }
    if (intervals.length > 0) this.markDirty(e);
  }

  async deleteIntervals(calcId: number, deviceId: number, ids: readonly number[]): Promise<void> {
    const e = this.entries.get(key(calcId, deviceId));
    if (!e) return this.inner.deleteIntervals(calcId, deviceId, ids);
    for (const id of ids) e.intervals.set(id, null);
    if (ids.length > 0) this.markDirty(e);
  }

  async setUserFields(calcId: number, deviceId: number, id: number, fields: Parameters<CalcRepository['setUserFields']>[3]): Promise<void> {
    await this.flushPair(calcId, deviceId);
    await this.inner.setUserFields(calcId, deviceId, id, fields);
  }

  /** Stores the pair now (late data recalculated, a reset, deleted intervals: a restart's catch-up could not redo them). */
  settle(calcId: number, deviceId: number): Promise<void> {
    return this.flushPair(calcId, deviceId);
  }

  /** Stores every dirty pair (one flush at a time): their intervals, then their states, in batches. */
  flush(): Promise<void> {
    return this.inOrder(() => this.store([...this.entries.values()].filter((e) => e.dirty)));
  }

  /** Stores what is dirty, stops the timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }

  /** Pairs held in memory and how many of them are not yet stored (tests, logs). */
  stats(): { held: number; dirty: number } {
    return { held: this.entries.size, dirty: this.dirtyCount };
  }

  private flushPair(calcId: number, deviceId: number): Promise<void> {
    return this.inOrder(async () => {
      const e = this.entries.get(key(calcId, deviceId));
      if (e?.dirty) await this.store([e]);
    });
  }

  private async store(dirty: readonly Entry[]): Promise<void> {
    if (dirty.length === 0) return;
    const started = performance.now();
    const taken = dirty.map((e) => ({ e, record: e.record, pending: e.intervals }));
    for (const e of dirty) {
      e.intervals = new Map();
      this.clean(e);
    }
    try {
      const writes: IntervalWrite[] = taken.flatMap(({ record, pending }) =>
        [...pending].map(([id, put]) => ({ calcId: record.calcId, deviceId: record.deviceId, id, put })),
      );
      await this.inner.storeBehind(
        writes,
        taken.map(({ e, record }) => ({ ...record, version: e.stored + 1 })),
      );
      for (const t of taken) t.e.stored += 1;
    } catch (err) {
      // kept dirty for the next flush; newer interval writes win over the failed ones
      for (const { e, pending } of taken) {
        for (const [id, w] of pending) if (!e.intervals.has(id)) e.intervals.set(id, w);
        this.markDirty(e);
      }
      throw err;
    }
    this.evict();
    this.opts.logger.debug('calculator states stored', {
      pairs: dirty.length,
      intervals: taken.reduce((n, t) => n + t.pending.size, 0),
      ms: Math.round(performance.now() - started),
    });
  }

  private load(r: CalcStateRecord): CalcStateRecord {
    const record: CalcStateRecord = { ...r, catchUp: true };
    this.entries.set(key(r.calcId, r.deviceId), { record, stored: r.version, dirty: false, intervals: new Map() });
    return record;
  }

  private clean(e: Entry): void {
    if (!e.dirty) return;
    e.dirty = false;
    this.dirtyCount--;
  }

  private markDirty(e: Entry): void {
    if (e.dirty) return;
    e.dirty = true;
    this.dirtyCount++;
  }

  private drop(k: string): void {
    const e = this.entries.get(k);
    if (e?.dirty) this.dirtyCount--;
    this.entries.delete(k);
  }

  /** Over maxEntries: drops clean pairs, oldest loaded first (they are read again, and caught up, when next needed). */
  private evict(): void {
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries) return;
      if (e.dirty) continue;
      this.entries.delete(k);
      // its calculator's list is no longer all in memory
      this.listed.delete(e.record.calcId);
    }
  }

  private inOrder(work: () => Promise<void>): Promise<void> {
    const run = this.serial.then(work);
    this.serial = run.catch(() => undefined);
    return run;
  }
}

/**
 * What a reader gets: the engine changes a state in place while it steps messages, and a change
 * must reach the held record only through putState (a conflicting writer then redoes its work on
 * the held state, not on a half-changed one). The engine replaces or appends to the lists and
 * never changes a checkpoint or a closing interval in place (core/calcs: checkpoints are copied
 * when resumed), so the lists are copied shallowly and only the core deeply: a third of the cost
 * of copying the whole state, which is mostly checkpoints (cloneJson: a fifth of a JSON round trip).
 */
function copy(r: CalcStateRecord): CalcStateRecord {
  const st = r.state;
  const state: CalcStateRecord['state'] = {
    ...st,
    keys: st.keys.slice(),
    closing: st.closing.slice(),
    checkpoints: st.checkpoints.slice(),
    core: cloneJson(st.core),
  };
  return { ...r, state };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
