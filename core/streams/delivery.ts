import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import { padMs } from '../messages/pack.js';
import type { BufferedBatch, BusEvent, Clock, StreamRepository, StreamStateRepository } from '../ports.js';
import type { Stream, StreamStatus } from '../schemas/streams.js';
import type { StreamTarget } from './types.js';

/** Buffered batches read per step, and the most messages sent in one delivery. */
const MERGE_BATCHES = 50;
const MERGE_MESSAGES = 1000;

export interface DeliveryOptions {
  readonly streams: Pick<StreamRepository, 'get'>;
  readonly state: StreamStateRepository;
  /** The delivery target of a stream (pooled by the caller). */
  readonly target: (stream: Stream) => StreamTarget;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Lease owner name (function instance or process). */
  readonly owner: string;
  /** Longest wait between retries of a failing stream (s). */
  readonly backoffCapS: number;
  /** How long one drain may run before it yields (s); the lease lasts longer than this. */
  readonly drainBudgetS: number;
  readonly metric?: (name: 'StreamDeliveries' | 'StreamFailures' | 'StreamDropped', value: number, stream: Stream) => void;
}

/**
 * Stream delivery with order, retries and a bounded buffer. Every batch is first written to the
 * stream's durable buffer; a drain (one at a time per stream, under a lease) sends buffered
 * batches oldest first, consecutive ones together (up to 1,000 messages per delivery), and
 * removes them once the platform acknowledged them. On failure the drain
 * stops (later batches wait: order is kept) and the stream backs off exponentially; batches older
 * than the stream's queue_ttl are dropped into a list that can be inspected and replayed.
 */
export class StreamDelivery {
  private drains = 0;
  /** Repeated batches (same idempotency key) skipped by this instance. */
  repeatsSkipped = 0;

  constructor(private readonly o: DeliveryOptions) {}

  /**
   * Buffers one bus event. Idempotent: a redelivered event lands on the same item, and a batch
   * already delivered (an ingest retry publishes the same batch ids) is skipped and counted.
   */
  async accept(event: BusEvent): Promise<void> {
    if (await this.o.state.wasDelivered(event.stream_id, event.batch_id)) {
      this.o.logger.info('stream batch already delivered; repeat skipped', { stream_id: event.stream_id, batch_id: event.batch_id });
      this.repeatsSkipped++;
      return;
    }
    if (event.messages.length === 0) {
      // validate_message left nothing of this batch at fan-out: only the log shows it
      const now = this.o.clock.now();
      const skipped = event.skipped ?? 0;
      await this.o.state.log(event.stream_id, { timestamp: now, batch_id: event.batch_id, read: skipped, skipped, accepted: 0, rejected: 0, ack_latency: 0 });
      return;
    }
    const first = Math.min(...event.messages.map((m) => (typeof m['server.timestamp'] === 'number' ? m['server.timestamp'] : this.o.clock.now())));
    const batch: BufferedBatch = {
      sk: `${padMs(first * 1000)}#${event.batch_id}`,
      batchId: event.batch_id,
      messages: event.messages,
      enqueued: this.o.clock.now(),
      attempts: 0,
      skipped: event.skipped ?? 0,
    };
    await this.o.state.append(event.stream_id, batch);
  }

  /** Sends what a stream has buffered; `force` ignores the backoff. Returns batches delivered. */
  async drain(streamId: number, force = false, rounds = 3): Promise<number> {
    const stream = await this.o.streams.get(streamId);
    if (!stream) {
      await this.o.state.clear(streamId);
      return 0;
    }
    if (!stream.enabled) return 0;
    const now = this.o.clock.now();
    const owner = `${this.o.owner}#${++this.drains}`; // each drain its own lease holder, even in one process
    if (!(await this.o.state.acquire(streamId, owner, now + this.o.drainBudgetS * 2, now))) return 0;
    let status = await this.o.state.status(streamId);
    let delivered = 0;
    let emptied = false;
    let left = 0;
    try {
      if (!force && status.next_attempt !== null && status.next_attempt > now) return 0;
      const until = now + this.o.drainBudgetS;
      while (this.o.clock.now() < until) {
        const buffered = await this.o.state.oldest(streamId, MERGE_BATCHES);
        if (buffered.length === 0) {
          emptied = true;
          break;
        }
        const { expired, group } = this.plan(stream, buffered);
        for (const b of expired) status = await this.dropOne(stream, b, status);
        if (group.length === 0) continue;
        const outcome = await this.sendGroup(stream, group, status);
        status = outcome.status;
        if (!outcome.ok) break;
        delivered += group.length;
      }
    } finally {
      const { batches, messages } = await this.o.state.count(streamId);
      left = batches;
      await this.o.state.saveStatus(streamId, { ...status, buffered: batches, buffered_messages: messages });
      await this.o.state.release(streamId, owner);
    }
    // A batch buffered after this drain found the buffer empty had its own drain refused the lease
    // (held here): send it now instead of leaving it to the next sweep.
    if (emptied && left > 0 && rounds > 1) delivered += await this.drain(streamId, force, rounds - 1);
    return delivered;
  }

  /** Buffered batches past queue_ttl, and the run of oldest batches to send together (order kept). */
  private plan(stream: Stream, buffered: readonly BufferedBatch[]): { expired: BufferedBatch[]; group: BufferedBatch[] } {
    const now = this.o.clock.now();
    const expired: BufferedBatch[] = [];
    const group: BufferedBatch[] = [];
    let messages = 0;
    for (const b of buffered) {
      if (now - b.enqueued > stream.queue_ttl) {
        if (group.length > 0) break; // keep order: drop only from the head
        expired.push(b);
        continue;
      }
      if (group.length > 0 && messages + b.messages.length > MERGE_MESSAGES) break;
      group.push(b);
      messages += b.messages.length;
    }
    return { expired, group };
  }

  /** Drains every stream with a backlog whose retry is due (the scheduled sweep). */
  async drainAll(accept: (stream: Stream) => boolean = () => true): Promise<void> {
    for (const id of await this.o.state.backlogged()) {
      const stream = await this.o.streams.get(id);
      if (stream && !accept(stream)) continue;
      try {
        await this.drain(id);
      } catch (err) {
        this.o.logger.error('stream drain failed', { stream_id: id, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  private async dropOne(stream: Stream, batch: BufferedBatch, status: StreamStatus): Promise<StreamStatus> {
    const now = this.o.clock.now();
    await this.o.state.drop(stream.id, {
      ...batch,
      dropped: now,
      reason: `not delivered within queue_ttl (${stream.queue_ttl} s): ${status.last_error ?? 'no successful attempt'}`,
    });
    await this.o.state.remove(stream.id, batch.sk);
    this.o.metric?.('StreamDropped', batch.messages.length, stream);
    this.o.logger.warn('stream batch dropped after queue_ttl', { stream_id: stream.id, batch_id: batch.batchId, messages: batch.messages.length });
    return { ...status, dropped: status.dropped + 1 };
  }

  /** Sends consecutive buffered batches as one delivery; all are removed on success, none on failure. */
  private async sendGroup(stream: Stream, group: readonly BufferedBatch[], status: StreamStatus): Promise<{ ok: boolean; status: StreamStatus }> {
    const now = this.o.clock.now();
    // validate_message was applied at fan-out (streams/fanout.ts): what is buffered is sent
    const messages = group.flatMap((b) => b.messages);
    const skipped = group.reduce((n, b) => n + (b.skipped ?? 0), 0);
    const batchId =
      group.length === 1
        ? group[0].batchId
        : createHash('sha1')
            .update(group.map((b) => b.batchId).join(','))
            .digest('hex')
            .slice(0, 20);
    const started = Date.now();
    try {
      if (messages.length > 0) await this.o.target(stream).deliver({ streamId: stream.id, batchId, messages });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const ambiguous = (err as { ambiguous?: boolean }).ambiguous ?? /timeout|timed out|ECONNRESET|socket hang up/i.test(reason);
      for (const b of group) await this.o.state.touch(stream.id, { ...b, attempts: b.attempts + 1, ambiguous: b.ambiguous || ambiguous });
      const errors = status.errors + 1;
      await this.o.state.log(stream.id, {
        timestamp: now,
        batch_id: batchId,
        read: messages.length + skipped,
        skipped,
        accepted: 0,
        rejected: messages.length,
        ack_latency: Date.now() - started,
        error: reason,
      });
      this.o.metric?.('StreamFailures', messages.length, stream);
      this.o.logger.warn('stream delivery failed; will retry', { stream_id: stream.id, batch_id: batchId, batches: group.length, error: reason });
      return {
        ok: false,
        status: {
          ...status,
          errors,
          errors_total: status.errors_total + 1,
          last_error: reason,
          next_attempt: now + Math.min(this.o.backoffCapS, 2 ** Math.min(errors - 1, 20)),
        },
      };
    }
    const latency = Date.now() - started;
    await this.o.state.markDelivered(
      stream.id,
      group.map((b) => b.batchId),
      this.o.clock.now(),
    );
    await this.o.state.removeMany(
      stream.id,
      group.map((b) => b.sk),
    );
    await this.o.state.log(stream.id, {
      timestamp: this.o.clock.now(),
      batch_id: batchId,
      read: messages.length + skipped,
      skipped,
      accepted: messages.length,
      rejected: 0,
      ack_latency: latency,
    });
    this.o.metric?.('StreamDeliveries', messages.length, stream);
    const newest = Math.max(0, ...messages.map((m) => (typeof m['server.timestamp'] === 'number' ? m['server.timestamp'] : 0)));
    return {
      ok: true,
      status: {
        ...status,
        last_delivery: this.o.clock.now(),
        lag: newest > 0 ? Math.round(Math.max(0, this.o.clock.now() - newest) * 1000) / 1000 : null, // s, to the millisecond
        errors: 0,
        last_error: null,
        next_attempt: null,
        delivered_batches: status.delivered_batches + group.length,
        delivered_messages: status.delivered_messages + messages.length,
        duplicates: status.duplicates + group.filter((b) => b.ambiguous).length,
      },
    };
  }
}
