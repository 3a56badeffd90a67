import { TtlCache } from './cache.js';
import { advance, type CalcEntry, type CalcStoreDeps, commitPair, contextOf, storedMessages } from './calc-store.js';
import { tick } from './calcs/index.js';
import type { GenerationWatch } from './generation.js';
import type { CalcRepository, CalcStateRecord, Clock, DeviceRepository } from './ports.js';
import type { Device } from './schemas/devices.js';

export interface CalcSyncDeps extends CalcStoreDeps {
  readonly calcs: CalcRepository;
  readonly devices: Pick<DeviceRepository, 'get'>;
  readonly clock: Clock;
  /** A calculator compiled (the ingest stage's cache). */
  readonly entry: (calcId: number) => Promise<CalcEntry | undefined>;
  /** Stored messages calculated per unsynced pair per run (default 5000). */
  readonly chunk?: number;
  /** How long a device read by a run is reused by later runs (ms; default 2 minutes, like ingest's caches). */
  readonly cacheMs?: number;
  /** Keeps expired devices while the registry generation is unchanged (read at the start of a run, at most once per `cacheMs`). */
  readonly generation?: GenerationWatch;
}

/** What one run did. */
export interface CalcSyncStats {
  /** Pairs whose backfill advanced, and those that finished (synced) in this run. */
  backfilled: number;
  synced: number;
  /** Messages the backfill calculated. */
  messages: number;
  /** Pairs whose state the tick changed (intervals closed or opened by time). */
  ticked: number;
  events: number;
}

/**
 * The calculators' background work, run by a timer (local mode, every 10 s) or a scheduled Lambda:
 * (a) the backfill: each unsynced pair calculates its next `chunk` stored messages (oldest first,
 *     within intervals_ttl), then is synced; once synced, messages stored while it finished are
 *     caught up and ingest takes over (ingest leaves unsynced pairs alone);
 * (b) the tick: the engine's `tick` for every synced pair with an open or ending interval (or an
 *     `inactive` selector), so update_delay, max_inactive and silences close intervals without new
 *     messages.
 */
export class CalcSync {
  /** Devices across runs (the tick runs every few seconds over every assigned device: one registry read per device per run was most of its requests). */
  private readonly devices: TtlCache<number, Device | undefined>;

  constructor(private readonly d: CalcSyncDeps) {
    this.devices = new TtlCache(d.cacheMs ?? 120_000, undefined, undefined, d.generation);
  }

  /** Drops the cached devices (a device's metadata changed). */
  invalidate(): void {
    this.devices.clear();
  }

  async run(): Promise<CalcSyncStats> {
    const stats: CalcSyncStats = { backfilled: 0, synced: 0, messages: 0, ticked: 0, events: 0 };
    await this.d.generation?.check();
    const deviceOf = (id: number) => this.devices.get(id, (key) => this.d.devices.get(key));
    for (const calc of await this.d.calcs.list()) {
      const entry = await this.d.entry(calc.id);
      if (!entry) continue;
      for (const record of await this.d.calcs.statesOf(calc.id)) {
        const device = await deviceOf(record.deviceId);
        if (!device) continue;
        if (!record.synced) await this.backfill(entry, device, stats);
        else if (due(entry, record)) await this.tick(entry, device, stats);
      }
    }
    return stats;
  }

  private async backfill(entry: CalcEntry, device: Device, stats: CalcSyncStats): Promise<void> {
    const chunk = this.d.chunk ?? 5000;
    const ctx = await contextOf(this.d, device);
    let read = 0;
    const done = await commitPair(this.d, entry, device.id, async (record) => {
      if (record.synced) return null;
      const st = record.state;
      const from = Math.max(st.lastTs ?? 0, this.d.clock.now() - entry.calc.intervals_ttl);
      const messages = await storedMessages(this.d, device.id, from, 9_999_999_999, chunk);
      read = messages.length;
      const change = await advance(this.d, entry, device.id, st, messages, ctx);
      return { state: change?.state ?? st, events: change?.events ?? [], synced: messages.length < chunk };
    });
    if (!done) return;
    stats.backfilled++;
    stats.messages += read;
    stats.events += done.change.events.length;
    const log = { calc_id: entry.calc.id, device_id: device.id, messages: read, updated: done.record.updated };
    if (!done.record.synced) {
      this.d.logger.info('calculator backfill advanced', log);
      return;
    }
    stats.synced++;
    this.d.logger.info('calculator backfill done: the device is synced', log);
    // messages ingest left alone while the pair was finishing
    await commitPair(this.d, entry, device.id, async (record) => {
      const messages = await storedMessages(this.d, device.id, record.state.lastTs ?? 0, 9_999_999_999);
      return advance(this.d, entry, device.id, record.state, messages, ctx);
    });
  }

  private async tick(entry: CalcEntry, device: Device, stats: CalcSyncStats): Promise<void> {
    const ctx = await contextOf(this.d, device);
    const now = this.d.clock.now();
    const done = await commitPair(this.d, entry, device.id, async (record) => {
      if (!record.synced) return null;
      const r = tick(entry.compiled, record.state, now, ctx);
      return r.events.length > 0 ? { state: r.state, events: r.events } : null;
    });
    if (!done) return;
    stats.ticked++;
    stats.events += done.change.events.length;
  }
}

/** The tick can change something: an interval is open or waits for update_delay, or an `inactive` selector watches the silence. */
function due(entry: CalcEntry, record: CalcStateRecord): boolean {
  const st = record.state;
  return st.core.open !== null || st.closing.length > 0 || (entry.compiled.inactive && st.core.last !== null);
}
