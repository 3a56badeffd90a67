import { createHash } from 'node:crypto';
import type { Message } from '../../protocols/common/types.js';

/**
 * Message packing. Messages are stored many to an item ("pack"): one write unit carries several
 * messages, compressed together. A pack holds the messages of one device (or channel) whose
 * timestamps lie within PACK_SPAN_MS of its first message; its sort key is that first timestamp.
 * Every message has a content key, so a retried batch (packed differently) never shows twice:
 * readers merge packs by (timestamp, key) and drop repeats.
 */
export const PACK_SPAN_MS = 10 * 60 * 1000;
/** Upper bound of one pack's JSON, before compression (DynamoDB items are limited to 400 KB). */
export const PACK_MAX_JSON_BYTES = 64 * 1024;
export const PACK_MAX_MESSAGES = 1000;

/** Fields that differ between two deliveries of the same device record; left out of its key. */
const VOLATILE_FIELDS = new Set(['server.timestamp', 'peer', 'device.name', 'device.type.id']);

export interface Keyed {
  readonly key: string;
  readonly ts: number;
  readonly message: Message;
}

export interface Pack {
  /** First (lowest) timestamp in ms: the sort key. */
  readonly firstMs: number;
  readonly lastMs: number;
  readonly entries: readonly Keyed[];
}

/** Milliseconds of a message's `timestamp` (seconds, fractions allowed), clamped to ≥ 0. */
export function timestampMs(m: Message): number {
  const ts = typeof m.timestamp === 'number' && Number.isFinite(m.timestamp) ? m.timestamp : 0;
  return Math.max(0, Math.round(ts * 1000));
}

/** Content key of a message: 16 hex digits of SHA-1 over its stable fields (hashed as one string: one native call, not four per field). */
export function messageKey(m: Message): string {
  let text = '';
  for (const name in m) {
    if (VOLATILE_FIELDS.has(name)) continue;
    text += `${name}\u0000${JSON.stringify(m[name])}\u0001`;
  }
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

export function compareKeyed(a: Pick<Keyed, 'ts' | 'key'>, b: Pick<Keyed, 'ts' | 'key'>): number {
  return a.ts - b.ts || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function keyed(message: Message, key = messageKey(message)): Keyed {
  return { key, ts: timestampMs(message), message };
}

/** Splits keyed messages into packs (sorted; duplicates removed), each within span, size and count limits. */
export function buildPacks(items: readonly Keyed[]): Pack[] {
  const sorted = [...items].sort(compareKeyed);
  const packs: Pack[] = [];
  let current: Keyed[] = [];
  let bytes = 0;
  const close = () => {
    if (current.length > 0) packs.push({ firstMs: current[0].ts, lastMs: current[current.length - 1].ts, entries: current });
    current = [];
    bytes = 0;
  };
  let prev: Keyed | undefined;
  for (const item of sorted) {
    if (prev && prev.ts === item.ts && prev.key === item.key) continue;
    prev = item;
    const size = JSON.stringify(item.message).length + 20;
    if (current.length > 0 && (item.ts - current[0].ts >= PACK_SPAN_MS || bytes + size > PACK_MAX_JSON_BYTES || current.length >= PACK_MAX_MESSAGES)) close();
    current.push(item);
    bytes += size;
  }
  close();
  return packs;
}

/** Sort key of a pack: 13-digit first timestamp (ms) + hash of its keys, so identical packs overwrite. */
export function packSortKey(pack: Pack): string {
  const h = createHash('sha1');
  for (const e of pack.entries) h.update(e.key);
  return `${padMs(pack.firstMs)}#${h.digest('hex').slice(0, 12)}`;
}

export function padMs(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(13, '0');
}
