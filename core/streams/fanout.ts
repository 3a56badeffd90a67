import { createHash } from 'node:crypto';
import type { Message } from '../../protocols/common/types.js';
import type { IngestedMessage } from '../ingest.js';
import { messageKey } from '../messages/pack.js';
import type { Bus, BusEvent, StreamRepository, SubscriptionRepository } from '../ports.js';
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
  readonly stats = { events: 0, messages: 0, reloads: 0 };

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
  ) {}

  invalidate(): void {
    this.snapshot = undefined;
  }

  publish = async (batch: readonly IngestedMessage[]): Promise<void> => {
    const snap = await this.current();
    if (snap.streams.size === 0) return;
    const perStream = new Map<number, Message[]>();
    for (const { message, channel, device } of batch) {
      const byDevice = device ? snap.byDevice.get(device.id) : undefined;
      const byChannel = channel ? snap.byChannel.get(channel.id) : undefined;
      if (!byDevice && !byChannel) continue;
      for (const id of new Set([...(byDevice ?? []), ...(byChannel ?? [])])) {
        const list = perStream.get(id);
        if (list) list.push(message);
        else perStream.set(id, [message]);
      }
    }
    const events: BusEvent[] = [];
    for (const [id, messages] of perStream) {
      const stream = snap.streams.get(id);
      if (!stream) continue; // the snapshot lists a subscription of every stream it holds
      for (const part of splitBySize(messages, MAX_EVENT_JSON_BYTES))
        events.push({ type: stream.protocol_name, stream_id: id, batch_id: batchId(id, part), messages: part });
    }
    if (events.length === 0) return;
    await this.bus.publish(events);
    this.stats.events += events.length;
    this.stats.messages += events.reduce((n, e) => n + e.messages.length, 0);
  };

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
    const byDevice = new Map<number, number[]>();
    const byChannel = new Map<number, number[]>();
    const add = (map: Map<number, number[]>, key: number, id: number) => map.set(key, [...(map.get(key) ?? []), id]);
    for (const id of streams.keys()) {
      const subs = await this.subscriptions.subscribers(id);
      for (const d of subs.devices) add(byDevice, d, id);
      for (const c of subs.channels) add(byChannel, c, id);
    }
    return { streams, byDevice, byChannel };
  }
}

interface Snapshot {
  readonly streams: ReadonlyMap<number, Stream>;
  readonly byDevice: ReadonlyMap<number, readonly number[]>;
  readonly byChannel: ReadonlyMap<number, readonly number[]>;
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
