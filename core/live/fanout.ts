import { createHash } from 'node:crypto';
import type { Message } from '../../protocols/common/types.js';
import type { IngestedMessage } from '../ingest.js';
import type { Logger } from '../logger.js';
import { messageKey } from '../messages/pack.js';
import type { DeviceEvent } from '../ports.js';
import { MAX_EVENT_JSON_BYTES, splitBySize } from '../streams/fanout.js';
import { isIntervalEvent, type LiveIntervalEvent } from './frames.js';
import type { LiveEvent, LivePublisher, LiveStore } from './ports.js';

/** Interval events kept for the next publish at most (the oldest are dropped past it: push is best effort). */
const MAX_PENDING_EVENTS = 10_000;

/**
 * The `live` route of ingest's fan-out (AWS): one bus event per ingest batch holding the messages
 * and interval events of devices someone watches (split only at the event size limit), and nothing
 * at all when nobody watches them. Interval events handed to `events` (the hub's device event sink:
 * the calculators run before the batch's `publish`) wait for the next `publish`, or for `flush`
 * (the calculators' tick, which has no batch). Which devices are watched comes from a snapshot of
 * the live index, read again after `refreshMs`; a new subscription therefore starts receiving
 * within that time (its current telemetry is sent at once by the subscribe route). A failure is
 * logged, never fails the batch: live push is best effort, storage and streams are not.
 */
export class LiveFanout {
  private snapshot?: Promise<ReadonlySet<number>>;
  private loadedAt = 0;
  private pending: LiveIntervalEvent[] = [];
  readonly stats = { events: 0, messages: 0, intervalEvents: 0, reloads: 0, failures: 0 };

  constructor(
    private readonly store: Pick<LiveStore, 'watchedDevices'>,
    private readonly publisher: LivePublisher,
    private readonly logger: Logger,
    private readonly refreshMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps the interval events (online/offline are not live) for the next `publish` or `flush`. */
  events = async (events: readonly DeviceEvent[]): Promise<void> => {
    for (const e of events) if (isIntervalEvent(e)) this.pending.push(e);
    if (this.pending.length > MAX_PENDING_EVENTS) this.pending.splice(0, this.pending.length - MAX_PENDING_EVENTS);
  };

  /** Publishes the interval events kept so far (a run without an ingest batch: the calculators' tick). */
  flush = (): Promise<void> => this.publish([]);

  publish = async (batch: readonly IngestedMessage[]): Promise<void> => {
    const pending = this.pending.splice(0);
    if (batch.length === 0 && pending.length === 0) return;
    try {
      const watched = await this.current();
      if (watched.size === 0) return;
      const messages = batch.filter((m) => m.device && watched.has(m.device.id)).map((m) => m.message);
      const events = pending.filter((e) => watched.has(e.device_id));
      if (messages.length === 0 && events.length === 0) return;
      const out = liveEvents(messages, events);
      await this.publisher.publish(out);
      this.stats.events += out.length;
      this.stats.messages += messages.length;
      this.stats.intervalEvents += events.length;
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

/** One event for the messages and interval events together when they fit, else the messages and the events split apart. */
function liveEvents(messages: readonly Message[], events: readonly LiveIntervalEvent[]): LiveEvent[] {
  const one = (m: readonly Message[], e: readonly LiveIntervalEvent[]): LiveEvent => ({
    batch_id: liveBatchId(m, e),
    messages: m,
    ...(e.length > 0 ? { events: e } : {}),
  });
  if (JSON.stringify({ messages, events }).length <= MAX_EVENT_JSON_BYTES) return [one(messages, events)];
  return [
    ...splitBySize(messages, MAX_EVENT_JSON_BYTES).map((part) => one(part, [])),
    ...splitBySize(events, MAX_EVENT_JSON_BYTES).map((part) => one([], part)),
  ];
}

function liveBatchId(messages: readonly Message[], events: readonly LiveIntervalEvent[]): string {
  const h = createHash('sha1').update('live');
  for (const m of messages) h.update(messageKey(m));
  for (const e of events) h.update(`${e.event}#${e.calc_id}#${e.device_id}#${JSON.stringify(e.interval)}`);
  return h.digest('hex').slice(0, 20);
}
