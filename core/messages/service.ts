import type { Message } from '../../protocols/common/types.js';
import { ValidationError } from '../errors.js';
import { compileExpression } from '../expressions/index.js';
import type { GeofenceIndex } from '../geofences/index.js';
import type { Clock, MessageScope, OwnerId, PackArchive, PackStore } from '../ports.js';
import type { MessagesQuery } from '../schemas/messages.js';
import { pickFields } from './filter.js';
import { decodeCursor, encodeCursor, mergePacks, packRange, type StoredPack } from './merge.js';
import { buildPacks, keyed } from './pack.js';
import { ARCHIVED_SCOPES, archiveCutoffMs, archivedPacks, hotUntil, keepDays, utcDay, withArchive } from './tiers.js';

/** What a query's `filter` may read besides the messages: the device's metadata, the geofences (loaded only when used). */
export interface FilterEnv {
  readonly metadata?: Record<string, unknown>;
  readonly geofences?: () => Promise<GeofenceIndex>;
}

/** Messages to add to the history of a device, channel or unregistered ident. */
export interface HistoryWrite {
  readonly scope: MessageScope;
  readonly id: OwnerId;
  readonly messages: readonly Message[];
  readonly ttlSeconds: number;
  /** The messages' content keys when the caller has them (else computed here). */
  readonly keys?: ReadonlyMap<Message, string>;
}

export interface MessagePage {
  readonly messages: Message[];
  readonly next?: string;
}

/** The cold tier of device and channel history (core/messages/tiers.ts). */
export interface ColdHistory {
  readonly archive: PackArchive;
  /** Whole UTC days a message stays only in the hot store before the archiver copies it. */
  readonly afterDays: number;
}

/** Reads and writes message history (of a device or a channel) as packs, hot and (with `cold`) archived. */
export class MessageService {
  constructor(
    private readonly packs: PackStore,
    private readonly clock: Clock,
    private readonly cold?: ColdHistory,
  ) {}

  async write(scope: MessageScope, id: OwnerId, messages: readonly Message[], ttlSeconds: number): Promise<void> {
    await this.writeMany([{ scope, id, messages, ttlSeconds }]);
  }

  /** `write` for several devices and channels at once (one store call: shared requests). */
  async writeMany(writes: readonly HistoryWrite[]): Promise<void> {
    const now = this.clock.now();
    const packs = writes
      .filter((w) => w.messages.length > 0)
      .map((w) => {
        const ttl = Math.ceil(now + w.ttlSeconds);
        const cold = this.coldFor(w.scope);
        const hot = cold ? hotUntil(now, cold.afterDays) : undefined;
        return {
          scope: w.scope,
          id: w.id,
          packs: buildPacks(w.messages.map((m) => keyed(m, w.keys?.get(m)))),
          ttl,
          ...(hot !== undefined && hot < ttl ? { hotUntil: hot } : {}),
        };
      });
    if (packs.length > 0) await this.packs.putMany(packs);
  }

  /**
   * A page of history. `filter` is an expression (API.md, Expressions): `previous('x')` reads the
   * message before it in the page's reading order (chronological, or newer-first with `reverse`),
   * `metadata('k')` and `geofence('name')` come from `env`.
   */
  async query(scope: MessageScope, id: OwnerId, q: MessagesQuery, env: FilterEnv = {}): Promise<MessagePage> {
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && !after) throw new ValidationError('cursor: not a cursor returned by this API');
    const accept = q.filter === undefined ? undefined : await compileFilter(q.filter, env);
    let fromMs = Math.max(0, Math.round(q.from * 1000));
    let toMs = Math.round(q.to * 1000);
    // a cursor narrows the range to what is left, so each page reads only its own packs
    if (after && !q.reverse) fromMs = Math.max(fromMs, after.ts);
    if (after && q.reverse) toMs = Math.min(toMs, after.ts);
    const source = this.read(scope, id, packRange(fromMs, toMs), q.reverse);
    const page = await mergePacks(source, { fromMs, toMs, reverse: q.reverse, count: q.count, after, accept });
    const messages = page.entries.map((e) => pickFields(e.message, q.fields));
    return page.next ? { messages, next: encodeCursor(page.next) } : { messages };
  }

  /** Removes all history of a device or channel. */
  async drop(scope: MessageScope, id: OwnerId): Promise<void> {
    await this.packs.drop(scope, id);
    await this.coldFor(scope)?.archive.drop(scope, id);
  }

  /**
   * Moves the history kept for an unregistered ident into a device's history (when the device is
   * registered or given that ident); returns the messages moved, oldest first.
   */
  async adopt(ident: string, deviceId: number, ttlSeconds: number, annotate: (m: Message) => Message): Promise<Message[]> {
    const moved: Message[] = [];
    for await (const pack of this.packs.read('ident', ident, { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, reverse: false, now: this.clock.now() })) {
      for (const e of pack.entries) moved.push(annotate({ ...e.message }));
    }
    if (moved.length === 0) return moved;
    await this.write('device', deviceId, moved, ttlSeconds);
    await this.packs.drop('ident', ident);
    return moved;
  }

  /** Deletes the messages with `from <= timestamp <= to` (from both tiers); returns how many were removed. */
  async deleteRange(scope: MessageScope, id: OwnerId, from: number, to: number): Promise<number> {
    const fromMs = Math.max(0, Math.round(from * 1000));
    const toMs = Math.round(to * 1000);
    const now = this.clock.now();
    const removed = new Set<string>();
    const cold = this.coldFor(scope);
    for await (const pack of this.packs.read(scope, id, { ...packRange(fromMs, toMs), reverse: false, now })) {
      const keep = pack.entries.filter((e) => e.ts < fromMs || e.ts > toMs);
      if (keep.length === pack.entries.length) continue;
      for (const e of pack.entries) if (e.ts >= fromMs && e.ts <= toMs) removed.add(`${e.ts}:${e.key}`);
      await this.packs.rewrite(scope, id, pack.sk, keep, pack.ttl, cold ? hotUntil(now, cold.afterDays) : undefined);
    }
    if (cold && fromMs < archiveCutoffMs(now, cold.afterDays)) {
      for (const day of await cold.archive.days(scope, id, utcDay(fromMs), utcDay(Math.min(toMs, archiveCutoffMs(now, cold.afterDays) - 1)))) {
        const groups = (await cold.archive.get(scope, id, day)) ?? [];
        const kept = groups.map((g) => ({ ttl: g.ttl, entries: g.entries.filter((e) => e.ts < fromMs || e.ts > toMs) }));
        const gone = groups.flatMap((g) => g.entries.filter((e) => e.ts >= fromMs && e.ts <= toMs && g.ttl >= now));
        if (kept.every((g, i) => g.entries.length === groups[i].entries.length)) continue;
        for (const e of gone) removed.add(`${e.ts}:${e.key}`);
        const left = kept.filter((g) => g.entries.length > 0);
        if (left.length === 0) await cold.archive.delete(scope, id, day);
        else await cold.archive.put(scope, id, day, left, keepDays(left, now));
      }
    }
    return removed.size;
  }

  /** Packs of a range in sort-key order: the hot store's, merged with the archived days before the cutoff. */
  private read(scope: MessageScope, id: OwnerId, range: { fromMs: number; toMs: number }, reverse: boolean): AsyncIterable<StoredPack> {
    const now = this.clock.now();
    const hot = this.packs.read(scope, id, { ...range, reverse, now });
    const cold = this.coldFor(scope);
    if (!cold) return hot;
    const cutoffMs = archiveCutoffMs(now, cold.afterDays);
    if (range.fromMs >= cutoffMs) return hot;
    const lastDay = utcDay(Math.min(range.toMs, cutoffMs - 1));
    return withArchive(
      hot,
      {
        cutoffMs,
        list: async () => {
          const days = await cold.archive.days(scope, id, utcDay(range.fromMs), lastDay);
          return reverse ? days.reverse() : days;
        },
        load: async (day) => archivedPacks((await cold.archive.get(scope, id, day)) ?? [], now),
      },
      reverse,
    );
  }

  private coldFor(scope: MessageScope): ColdHistory | undefined {
    return this.cold && ARCHIVED_SCOPES.includes(scope) ? this.cold : undefined;
  }
}

async function compileFilter(text: string, env: FilterEnv): Promise<(m: Message, previous: Message | undefined) => boolean> {
  const e = compileExpression(text, 'filter');
  const index = e.usesGeofences.length > 0 && env.geofences ? await env.geofences() : undefined;
  const insideGeofence = index ? (name: string, lat: number, lon: number) => index.inside(name, lat, lon) : undefined;
  const metadata = env.metadata;
  return (message, previous) => e.test({ message, previous, metadata, insideGeofence });
}
