import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Bus, BusEvent } from '../../core/ports.js';

export const EVENT_SOURCE = 'telematics-hub';
export const EVENT_DETAIL_TYPE = 'messages';

/** The bus on EventBridge: one entry per stream batch, PutEvents in groups of 10, failed entries retried. */
export class EventBridgeBus implements Bus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly BusEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      let entries: PutEventsRequestEntry[] = events
        .slice(i, i + 10)
        .map((e) => ({ EventBusName: this.busName, Source: EVENT_SOURCE, DetailType: EVENT_DETAIL_TYPE, Detail: JSON.stringify(e) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        if (attempt >= 4) throw new Error(`EventBridge refused ${entries.length} event(s) after ${attempt} attempts`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        const r = await this.client.send(new PutEventsCommand({ Entries: entries }));
        entries = entries.filter((_, j) => r.Entries?.[j]?.ErrorCode);
      }
    }
  }
}
