import type { ArchivedGroup, MessageScope } from '../ports.js';
import type { StoredPack } from './merge.js';
import { buildPacks, type Keyed } from './pack.js';

/**
 * Cold history: packs of devices and channels older than `afterDays` whole UTC days move from the
 * hot store (DynamoDB) to a PackArchive (S3), one object per owner per day of message time. The
 * archiver copies them; the hot store drops them later by itself (DynamoDB TTL deletes are free),
 * so a pack is never in neither tier. Reads merge both tiers; a message in both shows once.
 */
export const DAY_MS = 86_400_000;
const DAY_S = 86_400;
/**
 * Days a pack stays hot after the archiver run that copies it: runs that may fail (the archiver
 * alarms) before a pack that was not archived could leave the hot store.
 */
export const ARCHIVE_MARGIN_DAYS = 2;
/** History kept in the archive: of devices and channels (an unregistered ident's history stays hot until adopted or expired). */
export const ARCHIVED_SCOPES: readonly MessageScope[] = ['device', 'channel'];

/** `YYYY-MM-DD` (UTC) of a time in ms. */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** Start (ms) of the oldest day still only hot at `nowS`: every archived day lies before it. */
export function archiveCutoffMs(nowS: number, afterDays: number): number {
  return (Math.floor((nowS * 1000) / DAY_MS) - afterDays) * DAY_MS;
}

/**
 * When a pack written at `nowS` may leave the hot store: after the run that archives its day
 * (`afterDays` + 1 days later at the latest) and ARCHIVE_MARGIN_DAYS more. Late messages (older
 * timestamps) are archived by the next run, well within that.
 */
export function hotUntil(nowS: number, afterDays: number): number {
  return Math.ceil(nowS) + (afterDays + 1 + ARCHIVE_MARGIN_DAYS) * DAY_S;
}

/** Days an archived object must be kept from now: until its longest-lived group expires. */
export function keepDays(groups: readonly { readonly ttl: number }[], nowS: number): number {
  return Math.max(1, Math.ceil((Math.max(...groups.map((g) => g.ttl)) - nowS) / DAY_S) + 1);
}

/** An archived day's messages alive at `nowS`, cut into packs (sorted, duplicates removed). */
export function archivedPacks(groups: readonly ArchivedGroup[], nowS: number): StoredPack[] {
  return buildPacks(groups.filter((g) => g.ttl >= nowS).flatMap((g) => g.entries));
}

/**
 * Merges new entries into an archived day: one entry per (ts, key), with the latest expiry seen;
 * `added` counts entries that were not there (or live longer now).
 */
export function mergeArchivedDay(existing: readonly ArchivedGroup[], incoming: readonly ArchivedGroup[]): { groups: ArchivedGroup[]; added: number } {
  const byKey = new Map<string, { entry: Keyed; ttl: number }>();
  for (const g of existing) for (const e of g.entries) put(byKey, e, g.ttl);
  let added = 0;
  for (const g of incoming) for (const e of g.entries) if (put(byKey, e, g.ttl)) added++;
  const byTtl = new Map<number, Keyed[]>();
  for (const { entry, ttl } of byKey.values()) {
    const list = byTtl.get(ttl);
    if (list) list.push(entry);
    else byTtl.set(ttl, [entry]);
  }
  const groups = [...byTtl]
    .sort(([a], [b]) => a - b)
    .map(([ttl, entries]) => ({ ttl, entries: entries.sort((a, b) => a.ts - b.ts || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) }));
  return { groups, added };
}

function put(map: Map<string, { entry: Keyed; ttl: number }>, entry: Keyed, ttl: number): boolean {
  const id = `${entry.ts}:${entry.key}`;
  const seen = map.get(id);
  if (seen && seen.ttl >= ttl) return false;
  map.set(id, { entry, ttl });
  return true;
}

/** How to reach the archived days of one owner, for `withArchive`. */
export interface ArchivedDays {
  /** Start of the first day that cannot be archived yet (ms). */
  readonly cutoffMs: number;
  /** The owner's archived days of the query's range, in read order (called at most once, when first needed). */
  list(): Promise<string[]>;
  load(day: string): Promise<StoredPack[]>;
}

/**
 * The hot packs (sort-key order) and the archived days merged into one stream in sort-key order,
 * read lazily: a reverse read ("the latest N") that the hot store answers never touches the
 * archive, and a day is fetched only when the merge reaches it.
 */
export async function* withArchive(hot: AsyncIterable<StoredPack>, cold: ArchivedDays, reverse: boolean): AsyncIterable<StoredPack> {
  let days: string[] | undefined;
  let next = 0;
  const buffer: StoredPack[] = [];
  /** Loads days while `due(dayStart)` holds for the next day in read order. */
  const fill = async (due: (start: number) => boolean) => {
    days ??= await cold.list();
    while (next < days.length && due(dayStartMs(days[next]))) {
      const packs = await cold.load(days[next++]);
      buffer.push(...(reverse ? packs.reverse() : packs));
    }
  };
  for await (const pack of hot) {
    // ascending: days starting at or before this pack; descending: days ending after its start
    if (!reverse || pack.firstMs < cold.cutoffMs) await fill((start) => (reverse ? start + DAY_MS > pack.firstMs : start <= pack.firstMs));
    while (buffer.length > 0 && (reverse ? buffer[0].firstMs >= pack.firstMs : buffer[0].firstMs <= pack.firstMs)) yield buffer.shift() as StoredPack;
    yield pack;
  }
  await fill(() => true);
  yield* buffer;
}
