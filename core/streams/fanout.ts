import { createHash } from 'node:crypto';
import type { Message } from '../../protocols/common/types.js';
import { TtlCache } from '../cache.js';
import { type CompiledExpression, compileExpression } from '../expressions/index.js';
import type { GeofenceIndex } from '../geofences/index.js';
import type { IngestedMessage } from '../ingest.js';
import { messageKey } from '../messages/pack.js';
import type { Bus, BusEvent, DeviceEvent, StreamRepository, SubscriptionRepository } from '../ports.js';
import type { Device } from '../schemas/devices.js';
import type { Stream } from '../schemas/streams.js';
import { eventRecord, flattenEvent, type RoutedEvent } from './events.js';

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
  readonly stats = { events: 0, messages: 0, reloads: 0, deviceEvents: 0 };

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
    /** A device by id: device events name their device by id only (templates need its ident and name). */
    private readonly devices?: (id: number) => Promise<Device | undefined>,
  ) {
    this.deviceCache = new TtlCache(refreshMs, 100_000, now);
  }

  /** The buffer position of the last device event (s): events keep the order they were published in. */
  private lastEventAt = 0;
  /** Devices of events (ident and name for templates, metadata for validate_message), reused like the snapshot. */
  private deviceCache: TtlCache<number, Device | undefined>;

  invalidate(): void {
    this.snapshot = undefined;
    this.deviceCache = new TtlCache(this.refreshMs, 100_000, this.now);
  }

  publish = async (batch: readonly IngestedMessage[]): Promise<void> => {
    const snap = await this.current();
    if (snap.streams.size === 0) return;
    const perStream = new Map<number, IngestedMessage[]>();
    for (const item of batch) {
      const byDevice = item.device ? snap.messages.byDevice.get(item.device.id) : undefined;
      const byChannel = item.channel ? snap.messages.byChannel.get(item.channel.id) : undefined;
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
   * their device is subscribed to (and, for online/offline, the streams subscribed to the channel
   * the device connected on; interval events know no channel). One bus event per stream per call,
   * in the order given, through the same buffer and delivery as messages.
   */
  publishEvents = async (events: readonly DeviceEvent[]): Promise<void> => {
    await this.publishRouted(events.map((event) => ({ event })));
  };

  /** `publishEvents` with the channel of each event when it is known. */
  publishRouted = async (events: readonly RoutedEvent[]): Promise<void> => {
    if (events.length === 0) return;
    const snap = await this.current();
    const perStream = new Map<number, Message[]>();
    const skippedPer = new Map<number, Message[]>();
    for (const e of events) {
      const ids = routeEvent(snap.intervals, e);
      if (ids.length === 0) continue;
      const device = await this.deviceCache.get(e.event.device_id, async (id) => this.devices?.(id));
      const record = eventRecord(e, device, this.nextEventAt(e));
      for (const id of ids) {
        const validate = snap.validate.get(id);
        if (validate && !validate.test({ message: flattenEvent(e.event), metadata: device?.metadata })) {
          push(skippedPer, id, record);
          continue;
        }
        push(perStream, id, record);
      }
    }
    const out: BusEvent[] = [];
    for (const id of new Set([...perStream.keys(), ...skippedPer.keys()])) {
      const stream = snap.streams.get(id);
      if (!stream) continue;
      const records = perStream.get(id) ?? [];
      const left = skippedPer.get(id) ?? [];
      const skipped = left.length;
      if (records.length === 0) {
        // validate_message left nothing: one empty event so that the stream log counts the skipped events
        out.push({ type: stream.protocol_name, stream_id: id, batch_id: batchId(id, left), messages: [], skipped });
        continue;
      }
      splitBySize(records, MAX_EVENT_JSON_BYTES).forEach((part, k) => {
        out.push({ type: stream.protocol_name, stream_id: id, batch_id: batchId(id, part), messages: part, ...(k === 0 && skipped > 0 ? { skipped } : {}) });
      });
    }
    if (out.length === 0) return;
    await this.bus.publish(out);
    this.stats.events += out.length;
    this.stats.deviceEvents += out.reduce((n, e) => n + e.messages.length, 0);
  };

  /** Online/offline at their own time, interval events at the hub's; never before the previous event. */
  private nextEventAt(e: RoutedEvent): number {
    const own = e.event.event === 'online' || e.event.event === 'offline' ? e.event.timestamp : this.now() / 1000;
    this.lastEventAt = Math.max(own, this.lastEventAt + 0.001);
    return this.lastEventAt;
  }

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
    const messages: Subscribers = { byDevice: new Map(), byChannel: new Map() };
    const intervals: Subscribers = { byDevice: new Map(), byChannel: new Map() };
    const add = (map: Map<number, number[]>, key: number, id: number) => map.set(key, [...(map.get(key) ?? []), id]);
    for (const [id, stream] of streams) {
      const subs = await this.subscriptions.subscribers(id);
      const to = stream.source === 'intervals' ? intervals : messages;
      for (const d of subs.devices) add(to.byDevice, d, id);
      for (const c of subs.channels) add(to.byChannel, c, id);
    }
    return { streams, messages, intervals, validate };
  }
}

function push<T>(map: Map<number, T[]>, key: number, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** Who is subscribed to the streams of one source. */
interface Subscribers {
  readonly byDevice: Map<number, number[]>;
  readonly byChannel: Map<number, number[]>;
}

/** The `intervals` streams an event goes to: its device's, and its channel's when it has one (each once). */
function routeEvent(subs: Subscribers, e: RoutedEvent): number[] {
  const byDevice = subs.byDevice.get(e.event.device_id) ?? [];
  const byChannel = e.channelId === undefined ? [] : (subs.byChannel.get(e.channelId) ?? []);
  return [...new Set([...byDevice, ...byChannel])];
}

interface Snapshot {
  readonly streams: ReadonlyMap<number, Stream>;
  /** Subscriptions of `messages` streams and of `intervals` streams. */
  readonly messages: Subscribers;
  readonly intervals: Subscribers;
  /** Compiled validate_message of the streams that have one. */
  readonly validate: ReadonlyMap<number, CompiledExpression>;
}

export function batchId(streamId: number, messages: readonly Message[]): string {
  const h = createHash('sha1').update(String(streamId));
  for (const m of messages) h.update(messageKey(m));
  return h.digest('hex').slice(0, 20);
}

/** Splits messages (or events) into runs whose JSON stays under `maxBytes` (a single larger one goes alone). */
export function splitBySize<T>(messages: readonly T[], maxBytes: number): T[][] {
  const parts: T[][] = [];
  let current: T[] = [];
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
