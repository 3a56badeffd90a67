import type { Logger } from '../logger.js';
import type { ArchivedGroup, ChannelRepository, Clock, DeviceRepository, MessageScope, OwnerId, PackArchive, PackStore } from '../ports.js';
import type { Keyed } from './pack.js';
import { archiveCutoffMs, keepDays, mergeArchivedDay, utcDay } from './tiers.js';

export interface ArchiverDeps {
  readonly packs: PackStore;
  readonly archive: PackArchive;
  readonly devices: Pick<DeviceRepository, 'list'>;
  readonly channels: Pick<ChannelRepository, 'list'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whole UTC days a message stays only hot (the same as the MessageService's). */
  readonly afterDays: number;
  /** Owners archived at once. @default 16 */
  readonly concurrency?: number;
}

export interface ArchiveRunStats {
  owners: number;
  /** Day objects written (new or with messages added). */
  daysWritten: number;
  /** Messages added to the archive. */
  messages: number;
  failures: number;
}

/** One of `count` disjoint parts of the owners (by a hash of the owner), archived by one run. */
export interface ArchiveShard {
  readonly index: number;
  readonly count: number;
}

/** The shard an owner belongs to: FNV-1a of `scope/id`, so the split does not depend on listing order. */
export function shardOf(scope: MessageScope, id: OwnerId, count: number): number {
  let h = 0x811c9dc5;
  for (const c of `${scope}/${id}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h % count;
}

/** Raised when some owners could not be archived (the others were); the next run retries them. */
export class ArchiveRunError extends Error {
  constructor(
    readonly stats: ArchiveRunStats,
    options?: ErrorOptions,
  ) {
    super(`archiving failed for ${stats.failures} of ${stats.owners} owners`, options);
    this.name = 'ArchiveRunError';
  }
}

/**
 * Copies the hot packs of every device and channel whose messages are older than `afterDays`
 * whole days into the archive, one object per owner per UTC day, merging into what a day object
 * already holds (late messages, reruns). Idempotent: a rerun writes nothing new. Run it daily; a
 * pack stays hot ARCHIVE_MARGIN_DAYS longer than needed, so one or two failed runs lose nothing.
 */
export class HistoryArchiver {
  constructor(private readonly deps: ArchiverDeps) {}

  /** Archives every owner, or only those of `shard` (runs of all shards together archive every owner once). */
  async run(shard?: ArchiveShard): Promise<ArchiveRunStats> {
    if (shard && !(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count))
      throw new RangeError(`archive shard ${shard.index} of ${shard.count}: give 0 <= index < count`);
    const owners: [MessageScope, OwnerId][] = [
      ...(await this.deps.devices.list()).map((d) => ['device', d.id] as [MessageScope, OwnerId]),
      ...(await this.deps.channels.list()).map((c) => ['channel', c.id] as [MessageScope, OwnerId]),
    ].filter(([scope, id]) => !shard || shardOf(scope, id, shard.count) === shard.index);
    const stats: ArchiveRunStats = { owners: owners.length, daysWritten: 0, messages: 0, failures: 0 };
    let next = 0;
    let firstError: unknown;
    const worker = async () => {
      while (next < owners.length) {
        const [scope, id] = owners[next++];
        try {
          const r = await this.archiveOwner(scope, id);
          stats.daysWritten += r.daysWritten;
          stats.messages += r.messages;
        } catch (err) {
          stats.failures++;
          firstError ??= err;
          this.deps.logger.error('archiving failed', { scope, id, error: String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 16, owners.length) }, worker));
    this.deps.logger.info('archive run', { ...stats });
    if (stats.failures > 0) throw new ArchiveRunError(stats, { cause: firstError });
    return stats;
  }

  /** Archives one owner's hot messages older than the cutoff. */
  async archiveOwner(scope: MessageScope, id: OwnerId): Promise<{ daysWritten: number; messages: number }> {
    const now = this.deps.clock.now();
    const cutoffMs = archiveCutoffMs(now, this.deps.afterDays);
    const byDay = new Map<string, Map<number, Keyed[]>>();
    for await (const pack of this.deps.packs.read(scope, id, { fromMs: 0, toMs: cutoffMs - 1, reverse: false, now })) {
      for (const e of pack.entries) {
        if (e.ts >= cutoffMs) continue; // the rest of a pack that crosses the cutoff: next run
        const day = utcDay(e.ts);
        const groups = byDay.get(day) ?? new Map<number, Keyed[]>();
        byDay.set(day, groups);
        const list = groups.get(pack.ttl);
        if (list) list.push(e);
        else groups.set(pack.ttl, [e]);
      }
    }
    let daysWritten = 0;
    let messages = 0;
    for (const [day, groups] of byDay) {
      const incoming: ArchivedGroup[] = [...groups].map(([ttl, entries]) => ({ ttl, entries }));
      const existing = (await this.deps.archive.get(scope, id, day)) ?? [];
      const merged = mergeArchivedDay(existing, incoming);
      if (merged.added === 0) continue;
      await this.deps.archive.put(scope, id, day, merged.groups, keepDays(merged.groups, now));
      daysWritten++;
      messages += merged.added;
    }
    return { daysWritten, messages };
  }
}
