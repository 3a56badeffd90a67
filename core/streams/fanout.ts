import { createHash } from 'node:crypto';
import type { Message } from '../../protocols/common/types.js';
import { TtlCache } from '../cache.js';
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
  private readonly subs = new TtlCache<string, number[]>(10_000);
  private readonly streams = new TtlCache<number, Stream | undefined>(10_000);
  readonly stats = { events: 0, messages: 0 };

  constructor(
    private readonly repo: Pick<StreamRepository, 'get'>,
    private readonly subscriptions: Pick<SubscriptionRepository, 'streamsOf'>,
    private readonly bus: Bus,
  ) {}

  invalidate(): void {
    this.subs.clear();
    this.streams.clear();
  }

  publish = async (batch: readonly IngestedMessage[]): Promise<void> => {
    const perStream = new Map<number, Message[]>();
    for (const { message, channel, device } of batch) {
      const ids = new Set([
        ...(device ? await this.subs.get(`d${device.id}`, () => this.subscriptions.streamsOf('device', device.id)) : []),
        ...(channel ? await this.subs.get(`c${channel.id}`, () => this.subscriptions.streamsOf('channel', channel.id)) : []),
      ]);
      for (const id of ids) perStream.set(id, [...(perStream.get(id) ?? []), message]);
    }
    const events: BusEvent[] = [];
    for (const [id, messages] of perStream) {
      const stream = await this.streams.get(id, (s) => this.repo.get(s));
      if (!stream || !stream.enabled) continue;
      for (const part of splitBySize(messages, MAX_EVENT_JSON_BYTES)) events.push({ type: stream.protocol_name, stream_id: id, batch_id: batchId(id, part), messages: part });
    }
    if (events.length === 0) return;
    await this.bus.publish(events);
    this.stats.events += events.length;
    this.stats.messages += events.reduce((n, e) => n + e.messages.length, 0);
  };
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
