import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LiveEvent, LivePublisher } from '../../core/live/ports.js';
import { EVENT_SOURCE } from './eventbridge-bus.js';

/** `detail-type` of live push events (the streams' events are `messages`). */
export const LIVE_DETAIL_TYPE = 'live';

/** Live events on the hub's EventBridge bus, for the push function's rule; PutEvents in groups of 10, failed entries retried. */
export class EventBridgeLivePublisher implements LivePublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly LiveEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      let entries: PutEventsRequestEntry[] = events
        .slice(i, i + 10)
        .map((e) => ({ EventBusName: this.busName, Source: EVENT_SOURCE, DetailType: LIVE_DETAIL_TYPE, Detail: JSON.stringify(e) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        if (attempt >= 3) throw new Error(`EventBridge refused ${entries.length} live event(s) after ${attempt} attempts`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        const r = await this.client.send(new PutEventsCommand({ Entries: entries }));
        entries = entries.filter((_, j) => r.Entries?.[j]?.ErrorCode);
      }
    }
  }
}
