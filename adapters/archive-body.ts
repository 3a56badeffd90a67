import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { timestampMs } from '../core/messages/pack.js';
import type { ArchivedGroup, MessageScope, OwnerId } from '../core/ports.js';
import type { Message } from '../protocols/common/types.js';

/**
 * An archived day as stored (S3 object or file): `{"v": 1, "g": [{"t": ttl, "k": [keys], "m":
 * [messages]}]}` as JSON, raw-deflated like a pack body; a whole day of one owner compresses far
 * better than its small hot packs did.
 */
export function encodeArchivedDay(groups: readonly ArchivedGroup[]): Uint8Array {
  const json = JSON.stringify({ v: 1, g: groups.map((g) => ({ t: g.ttl, k: g.entries.map((e) => e.key), m: g.entries.map((e) => e.message) })) });
  return deflateRawSync(Buffer.from(json), { level: 9 });
}

export function decodeArchivedDay(z: Uint8Array): ArchivedGroup[] {
  const body = JSON.parse(inflateRawSync(z).toString()) as { v: number; g: { t: number; k: string[]; m: Message[] }[] };
  if (body.v !== 1) throw new Error(`archived day format ${body.v} is not supported`);
  return body.g.map((g) => ({ ttl: g.t, entries: g.m.map((message, i) => ({ key: g.k[i], message, ts: timestampMs(message) })) }));
}

/** Path of an archived day below the archive's root: `<scope>/<id>/<YYYY-MM-DD>.z`. */
export function archivedDayPath(scope: MessageScope, id: OwnerId, day: string): string {
  return `${ownerPath(scope, id)}${day}.z`;
}

/** Folder (prefix) of an owner's archived days, ending in `/`. */
export function ownerPath(scope: MessageScope, id: OwnerId): string {
  return `${scope}/${encodeURIComponent(String(id))}/`;
}

/** The day of an archived day's file or key name, if it is one. */
export function dayOfName(name: string): string | undefined {
  return /(\d{4}-\d{2}-\d{2})\.z$/.exec(name)?.[1];
}
