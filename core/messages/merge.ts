import type { Message } from '../../protocols/common/types.js';
import { compareKeyed, type Keyed, PACK_SPAN_MS } from './pack.js';

/** A pack as read back: its first timestamp and its entries (sorted by (ts, key)). */
export interface StoredPack {
  readonly firstMs: number;
  readonly entries: readonly Keyed[];
}

/** Where a page ended: the last (ts, key) returned. */
export interface Cursor {
  readonly ts: number;
  readonly key: string;
}

export interface MergeQuery {
  /** Inclusive bounds in ms. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly reverse: boolean;
  readonly count: number;
  readonly after?: Cursor;
  /** Keeps a message or not; `previous` is the message read just before it (accepted or not). */
  readonly accept?: (m: Message, previous: Message | undefined) => boolean;
}

/** The sort-key range of packs that can hold messages in [fromMs, toMs]. */
export function packRange(fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  return { fromMs: Math.max(0, fromMs - PACK_SPAN_MS + 1), toMs };
}

/**
 * Merges packs (read in sort-key order: ascending, or descending for `reverse`) into one ordered
 * stream of messages without repeats, stopping after `count`. A message can be emitted once every
 * pack that could hold an earlier one has been read: ascending, packs starting after its time;
 * descending, packs starting more than a span before it.
 */
export async function mergePacks(packs: AsyncIterable<StoredPack>, q: MergeQuery): Promise<{ entries: Keyed[]; next?: Cursor }> {
  const dir = q.reverse ? -1 : 1;
  const order = (a: Keyed, b: Keyed) => dir * compareKeyed(a, b);
  const out: Keyed[] = [];
  let pending: Keyed[] = [];
  let last: Keyed | undefined;
  let more = false;

  const inRange = (e: Keyed) => e.ts >= q.fromMs && e.ts <= q.toMs && (!q.after || order(e, { ...e, ts: q.after.ts, key: q.after.key }) > 0);

  const emitWhile = (ready: (e: Keyed) => boolean): boolean => {
    pending.sort(order);
    let i = 0;
    for (; i < pending.length && ready(pending[i]); i++) {
      const e = pending[i];
      if (last && last.ts === e.ts && last.key === e.key) continue;
      const previous = last;
      last = e;
      if (q.accept && !q.accept(e.message, previous?.message)) continue;
      if (out.length >= q.count) {
        more = true;
        return false;
      }
      out.push(e);
    }
    pending = pending.slice(i);
    return true;
  };

  for await (const pack of packs) {
    const boundary = q.reverse ? pack.firstMs + PACK_SPAN_MS : pack.firstMs;
    const ok = emitWhile((e) => (q.reverse ? e.ts >= boundary : e.ts < boundary));
    if (!ok) break;
    for (const e of pack.entries) if (inRange(e)) pending.push(e);
  }
  if (!more) emitWhile(() => true);
  if (!more && pending.length > 0) more = pending.some((e) => !q.accept || q.accept(e.message, undefined));
  const tail = out[out.length - 1];
  return more && tail ? { entries: out, next: { ts: tail.ts, key: tail.key } } : { entries: out };
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.ts}:${c.key}`).toString('base64url');
}

export function decodeCursor(text: string): Cursor | undefined {
  const raw = Buffer.from(text, 'base64url').toString('latin1');
  const m = /^(\d{1,15}):([0-9a-f]{16})$/.exec(raw);
  return m ? { ts: Number(m[1]), key: m[2] } : undefined;
}
