import { createHash } from 'node:crypto';
import type { Message } from '../../protocols/common/types.js';
import { type CompiledExpression, compileExpression } from '../expressions/index.js';
import type { GeofenceIndex } from '../geofences/index.js';
import type { IngestedMessage } from '../ingest.js';
import { messageKey } from '../messages/pack.js';
import type { Bus, BusEvent, DeviceEvent, StreamRepository, SubscriptionRepository } from '../ports.js';
import type { Stream } from '../schemas/streams.js';

/** EventBridge entries are limited to 256 KB; keep each event's messages well under it. */
export const MAX_EVENT_JSON_BYTES = 200 * 1024;

/**
 * Fan-out from ingest: groups a batch's messages by subscribed stream and publishes one bus event
 * per stream per batch (split only at the event size limit), never one per message. Batch ids
 * are derived from the messages, so a retried ingest batch publishes the same ids (receivers
 * drop repeats).
 */
export class StreamFanout {
  private snapshot?: Promise<Snapshot>;
  private loadedAt = 0;
  readonly stats = { events: 0, messages: 0, reloads: 0, undeliveredEvents: 0 };

  /**
   * @param refreshMs how long a subscriptions snapshot is used before it is read again (the whole
   * set: streams and their subscribers, a few queries however many devices report). On AWS a
   * subscription change reaches ingest within this time; local mode refreshes on every change.
   */
  constructor(
    private readonly repo: Pick<StreamRepository, 'list'>,
    private readonly subscriptions: Pick<SubscriptionRepository, 'subscribers'>,
    private readonly bus: Bus,
    private readonly refreshMs = 30_000,
    private readonly now: () => number = Date.now,
    /** The geofences, for `geofence('name')` in a validate_message. */
    private readonly geofences?: () => Promise<GeofenceIndex>,
  ) {}

  invalidate(): void {
    this.snapshot = undefined;
  }

  publish = async (batch: readonly IngestedMessage[]): Promise<void> => {
    const snap = await this.current();
    if (snap.streams.size === 0) return;
    const perStream = new Map<number, IngestedMessage[]>();
    for (const item of batch) {
      const byDevice = item.device ? snap.byDevice.get(item.device.id) : undefined;
      const byChannel = item.channel ? snap.byChannel.get(item.channel.id) : undefined;
      if (!byDevice && !byChannel) continue;
      for (const id of new Set([...(byDevice ?? []), ...(byChannel ?? [])])) {
        const list = perStream.get(id);
        if (list) list.push(item);
        else perStream.set(id, [item]);
      }
    }
    const events: BusEvent[] = [];
    for (const [id, items] of perStream) {
      const stream = snap.streams.get(id);
      if (!stream) continue; // the snapshot lists a subscription of every stream it holds
      const validate = snap.validate.get(id);
      const messages = validate ? await this.validated(validate, items) : items.map((i) => i.message);
      const skipped = items.length - messages.length;
      if (messages.length === 0) {
        // nothing left: one empty event so that the stream log counts the skipped messages
        events.push({
          type: stream.protocol_name,
          stream_id: id,
          batch_id: batchId(
            id,
            items.map((i) => i.message),
          ),
          messages: [],
          skipped,
        });
        continue;
      }
      splitBySize(messages, MAX_EVENT_JSON_BYTES).forEach((part, k) => {
        events.push({ type: stream.protocol_name, stream_id: id, batch_id: batchId(id, part), messages: part, ...(k === 0 && skipped > 0 ? { skipped } : {}) });
      });
    }
    if (events.length === 0) return;
    await this.bus.publish(events);
    this.stats.events += events.length;
    this.stats.messages += events.reduce((n, e) => n + e.messages.length, 0);
  };

  /**
   * Device events (interval changes, online/offline) to the streams with `"source": "intervals"`
   * their device is subscribed to. SEAM: to be implemented (issue 18) with the same order, buffer
   * and replay guarantees as messages; until then the events are counted as not delivered.
   */
  publishEvents = async (events: readonly DeviceEvent[]): Promise<void> => {
    this.stats.undeliveredEvents += events.length;
  };

  /** The messages that pass a stream's validate_message (metadata of their device, their previous message, geofences). */
  private async validated(validate: CompiledExpression, items: readonly IngestedMessage[]): Promise<Message[]> {
    const index = validate.usesGeofences.length > 0 && this.geofences ? await this.geofences() : undefined;
    const insideGeofence = index ? (name: string, lat: number, lon: number) => index.inside(name, lat, lon) : undefined;
    const out: Message[] = [];
    for (const { message, device, previous } of items) {
      if (validate.test({ message, previous, metadata: device?.metadata, insideGeofence })) out.push(message);
    }
    return out;
  }

  private current(): Promise<Snapshot> {
    if (!this.snapshot || this.now() - this.loadedAt >= this.refreshMs) {
      this.loadedAt = this.now();
      this.stats.reloads++;
      this.snapshot = this.load();
      this.snapshot.catch(() => (this.snapshot = undefined));
    }
    return this.snapshot;
  }

  /** Enabled streams and who is subscribed to each, as lookup maps. */
  private async load(): Promise<Snapshot> {
    const streams = new Map((await this.repo.list()).filter((s) => s.enabled).map((s) => [s.id, s]));
    const validate = new Map<number, CompiledExpression>();
    for (const s of streams.values()) {
      if (!s.validate_message) continue;
      try {
        validate.set(s.id, compileExpression(s.validate_message, 'validate_message'));
      } catch {
        // checked when the stream was saved; a text an older version accepted and this one cannot read filters nothing
      }
    }
    const byDevice = new Map<number, number[]>();
    const byChannel = new Map<number, number[]>();
    const add = (map: Map<number, number[]>, key: number, id: number) => map.set(key, [...(map.get(key) ?? []), id]);
    for (const id of streams.keys()) {
      const subs = await this.subscriptions.subscribers(id);
      for (const d of subs.devices) add(byDevice, d, id);
      for (const c of subs.channels) add(byChannel, c, id);
    }
    return { streams, byDevice, byChannel, validate };
  }
}

interface Snapshot {
  readonly streams: ReadonlyMap<number, Stream>;
  readonly byDevice: ReadonlyMap<number, readonly number[]>;
  readonly byChannel: ReadonlyMap<number, readonly number[]>;
  /** Compiled validate_message of the streams that have one. */
  readonly validate: ReadonlyMap<number, CompiledExpression>;
}

export function batchId(streamId: number, messages: readonly Message[]): string {
  const h = createHash('sha1').update(String(streamId));
  for (const m of messages) h.update(messageKey(m));
  return h.digest('hex').slice(0, 20);
}

/** Splits messages into runs whose JSON stays under `maxBytes` (a single larger message goes alone). */
export function splitBySize(messages: readonly Message[], maxBytes: number): Message[][] {
  const parts: Message[][] = [];
  let current: Message[] = [];
  let size = 2;
  for (const m of messages) {
    const n = JSON.stringify(m).length + 1;
    if (current.length > 0 && size + n > maxBytes) {
      parts.push(current);
      current = [];
      size = 2;
    }
    current.push(m);
    size += n;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
