import { createHash } from 'node:crypto';
import type { Message } from '../../protocols/common/types.js';
import type { IngestedMessage } from '../ingest.js';
import type { Logger } from '../logger.js';
import { messageKey } from '../messages/pack.js';
import { MAX_EVENT_JSON_BYTES, splitBySize } from '../streams/fanout.js';
import type { LivePublisher, LiveStore } from './ports.js';

/**
 * The `live` route of ingest's fan-out (AWS): one bus event per ingest batch holding the messages
 * of devices someone watches (split only at the event size limit), and nothing at all when nobody
 * watches them. Which devices are watched comes from a snapshot of the live index, read again
 * after `refreshMs`; a new subscription therefore starts receiving within that time (its current
 * telemetry is sent at once by the subscribe route). A failure is logged, never fails the batch:
 * live push is best effort, storage and streams are not.
 */
export class LiveFanout {
  private snapshot?: Promise<ReadonlySet<number>>;
  private loadedAt = 0;
  readonly stats = { events: 0, messages: 0, reloads: 0, failures: 0 };

  constructor(
    private readonly store: Pick<LiveStore, 'watchedDevices'>,
    private readonly publisher: LivePublisher,
    private readonly logger: Logger,
    private readonly refreshMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  publish = async (batch: readonly IngestedMessage[]): Promise<void> => {
    try {
      const watched = await this.current();
      if (watched.size === 0) return;
      const messages = batch.filter((m) => m.device && watched.has(m.device.id)).map((m) => m.message);
      if (messages.length === 0) return;
      const events = splitBySize(messages, MAX_EVENT_JSON_BYTES).map((part) => ({ batch_id: liveBatchId(part), messages: part }));
      await this.publisher.publish(events);
      this.stats.events += events.length;
      this.stats.messages += messages.length;
    } catch (err) {
      this.stats.failures++;
      this.logger.warn('live push event not published', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  private current(): Promise<ReadonlySet<number>> {
    if (!this.snapshot || this.now() - this.loadedAt >= this.refreshMs) {
      this.loadedAt = this.now();
      this.stats.reloads++;
      this.snapshot = this.store.watchedDevices();
      this.snapshot.catch(() => (this.snapshot = undefined));
    }
    return this.snapshot;
  }
}

function liveBatchId(messages: readonly Message[]): string {
  const h = createHash('sha1').update('live');
  for (const m of messages) h.update(messageKey(m));
  return h.digest('hex').slice(0, 20);
}
