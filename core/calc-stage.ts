import { createHash } from 'node:crypto';
import type { Message } from '../protocols/common/types.js';
import { TtlCache } from './cache.js';
import { advance, type CalcEntry, type CalcStoreDeps, commitPair, contextOf, storedMessages } from './calc-store.js';
import { compileCalc } from './calcs/index.js';
import type { GenerationWatch } from './generation.js';
import type { IngestedMessage } from './ingest.js';
import { messageKey } from './messages/pack.js';
import type { CalcStateRecord } from './ports.js';
import type { Device } from './schemas/devices.js';

function keysOf(lists: readonly (readonly Message[])[]): Map<Message, string> {
  const keys = new Map<Message, string>();
  for (const list of lists) for (const m of list) if (!keys.has(m)) keys.set(m, messageKey(m));
  return keys;
}

/** A batch's messages of one device, as a token: the same messages give the same token (a redelivery). */
function batchToken(batch: readonly Message[], keys: ReadonlyMap<Message, string>): string {
  const h = createHash('sha1');
  for (const k of batch.map((m) => keys.get(m) ?? messageKey(m)).sort()) h.update(k);
  return h.digest('hex').slice(0, 16);
}

/** (calc, device) pairs of a batch that run at the same time (different pairs are independent). */
const CONCURRENT_PAIRS = 16;

export interface CalcStageDeps extends CalcStoreDeps {
  /** How long a device's calculators and a compiled calculator are reused (ms; default 2 minutes, like plugin chains). */
  readonly cacheMs?: number;
  /** Keeps expired assignments and calculators while the registry generation is unchanged (read by ingest at the start of a batch, by CalcSync at the start of a run). */
  readonly generation?: GenerationWatch;
}

/**
 * The calculators in ingest (DESIGN §7), after plugins and storage: each stored message of a device
 * with calculators advances each (calc, device) state; the state is read and written once per pair
 * per batch, and the intervals the events name are written and the events published (calc-store.ts).
 * Late messages recompute their span; a redelivered batch finds its messages seen (duplicates, or
 * late ones whose recomputation changes nothing) and writes nothing. A pair whose history is not yet
 * calculated (unsynced) is left to the backfill (calc-sync.ts).
 */
export class CalcStage {
  private readonly links: TtlCache<number, readonly number[]>;
  private readonly entries: TtlCache<number, CalcEntry | undefined>;

  constructor(private readonly d: CalcStageDeps) {
    this.links = new TtlCache(d.cacheMs ?? 120_000, undefined, undefined, d.generation);
    this.entries = new TtlCache(d.cacheMs ?? 120_000, undefined, undefined, d.generation);
  }

  invalidate(): void {
    this.links.clear();
    this.entries.clear();
  }

  /** A calculator, compiled (cached); undefined when it is gone or no longer compiles (logged). */
  async entry(calcId: number): Promise<CalcEntry | undefined> {
    return this.entries.get(calcId, async (id) => {
      const calc = await this.d.calcs.get(id);
      if (!calc) return undefined;
      try {
        return { calc, compiled: compileCalc(calc) };
      } catch (err) {
        this.d.logger.error('calculator skipped: its definition does not compile', { calc_id: id, error: err instanceof Error ? err.message : String(err) });
        return undefined;
      }
    });
  }

  /** Runs the calculators of every device in the batch on its stored messages. */
  async process(batch: readonly IngestedMessage[], stored?: ReadonlyMap<Message, string>): Promise<void> {
    const byDevice = new Map<number, { device: Device; messages: Message[] }>();
    for (const { message, device } of batch) {
      if (!device) continue;
      const d = byDevice.get(device.id);
      if (d) d.messages.push(message);
      else byDevice.set(device.id, { device, messages: [message] });
    }
    const pairs: { entry: CalcEntry; device: Device; messages: Message[] }[] = [];
    for (const { device, messages } of byDevice.values()) {
      for (const calcId of await this.links.get(device.id, (id) => this.d.calcs.calcsOf(id))) {
        const entry = await this.entry(calcId);
        if (entry) pairs.push({ entry, device, messages });
      }
    }
    if (pairs.length === 0) return;
    // ingest's keys when given (storage computed them), else once here for all the calculators
    const keys = stored ?? keysOf(pairs.map((p) => p.messages));
    // one token per device: its calculators see the same messages
    const tokens = new Map<Message[], string>();
    for (const p of pairs) if (!tokens.has(p.messages)) tokens.set(p.messages, batchToken(p.messages, keys));
    // the batch's states in a few requests, then the pairs several at a time (each pair's writes stay in order)
    const states = new Map(
      (await this.d.calcs.getStates(pairs.map((p) => ({ calcId: p.entry.calc.id, deviceId: p.device.id })))).map((r) => [`${r.calcId}#${r.deviceId}`, r]),
    );
    for (let i = 0; i < pairs.length; i += CONCURRENT_PAIRS) {
      await Promise.all(
        pairs.slice(i, i + CONCURRENT_PAIRS).map((p) => {
          const record = states.get(`${p.entry.calc.id}#${p.device.id}`);
          return record?.synced ? this.runPair(p.entry, p.device, p.messages, record, keys, tokens.get(p.messages)) : undefined;
        }),
      );
    }
  }

  private async runPair(
    entry: CalcEntry,
    device: Device,
    batch: readonly Message[],
    prefetched: CalcStateRecord,
    keys: ReadonlyMap<Message, string>,
    token: string | undefined,
  ): Promise<void> {
    const ctx = await contextOf(this.d, device);
    const lastTs = prefetched.state.lastTs;
    const messages = prefetched.catchUp && lastTs !== null ? await this.caughtUp(device.id, lastTs, batch, keys) : batch;
    await commitPair(
      this.d,
      entry,
      device.id,
      async (record) => (record.synced ? advance(this.d, entry, device.id, record.state, messages, ctx, keys) : null),
      prefetched,
      token,
    );
  }

  /**
   * A state read back after a restart of a write-behind store may miss messages stored after its
   * newest one: those (the batch's among them, they are stored before this stage) come first, then
   * the batch's messages older than the state (late: recomputed as usual).
   */
  private async caughtUp(deviceId: number, lastTs: number, batch: readonly Message[], keys: ReadonlyMap<Message, string>): Promise<Message[]> {
    let to = lastTs;
    for (const m of batch) if (typeof m.timestamp === 'number' && m.timestamp > to) to = m.timestamp;
    const stored = await storedMessages(this.d, deviceId, lastTs, to);
    const seen = new Set(stored.map((m) => messageKey(m)));
    return [...stored, ...batch.filter((m) => !seen.has(keys.get(m) ?? messageKey(m)))];
  }
}
